// dse --config SWEEP.json: a sweep, resumable in its --out directory.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>

#include "explorer/cli/command.hpp"
#include "explorer/report/exports.hpp"
#include "explorer/run/progress.hpp"

namespace fs = std::filesystem;

namespace deepchip::cli {
namespace {

constexpr const char* kUsage =
    "dse --config SWEEP.json [--out DIR] [--jobs N] [--allow-other-revision] [--quiet]\n"
    "  Runs a sweep: the design space of SWEEP.json (networks x axes) explored by its search strategy\n"
    "  (search.strategy: grid, random, lhs, nsga2), every point in a forked worker.\n"
    "  --out DIR        output directory (default dse_out): the result store results.sqlite, one committed\n"
    "                   row per finished point, and its exports results.csv, layers.csv, summary.json;\n"
    "                   rerunning the same command on the same DIR resumes the sweep\n"
    "  --jobs N         workers at a time, 1..1024 (default: the machine's cores)\n"
    "  --allow-other-revision  resume a store that another code revision wrote\n"
    "  --shard K/N      run only shard K of N: the points whose id hashes to K-1 modulo N (strategies grid,\n"
    "                   random, lhs); `dse merge` unites the shards\n"
    "  --quiet          no progress on stderr (errors still)\n";

struct SweepArgs {
  std::string config, out, jobs, shard;
  bool allow_other_revision = false, quiet = false;
  int shard_index = 0, shard_count = 1;
};

// --shard K/N, 1 <= K <= N <= 100000.
void parse_shard(SweepArgs& a, std::vector<std::string>& errors) {
  if (a.shard.empty()) return;  // not given, or reported as an empty value
  const auto slash = a.shard.find('/');
  const int n = slash == std::string::npos ? -1 : parse_int_argument(a.shard.substr(slash + 1), 1, 100000);
  const int k = slash == std::string::npos || n < 1 ? -1 : parse_int_argument(a.shard.substr(0, slash), 1, n);
  if (k < 1) {
    errors.push_back("--shard: must be K/N with integers 1 <= K <= N <= 100000, got '" + a.shard + "'");
    return;
  }
  a.shard_index = k - 1;
  a.shard_count = n;
}

int run_sweep(const SweepArgs& a, int jobs) {
  const auto json = explorer::load_json_file(a.config);
  const explorer::SweepSpec spec = explorer::parse_sweep(json, a.config);
  print_warnings(spec.warnings);
  explorer::SweepOptions options;
  options.jobs = jobs_or_cores(jobs);
  options.revision = explorer::git_revision();
  options.allow_other_revision = a.allow_other_revision;
  options.shard_index = a.shard_index;
  options.shard_count = a.shard_count;
  options.config_path = fs::absolute(a.config).lexically_normal().string();
  options.config_text = json.dump();  // the sweep as run, recorded in its store
  const std::string out = a.out.empty() ? "dse_out" : a.out;
  check_out_dir(out);
  return sweep_and_report(spec, options, out, a.quiet);
}

}  // namespace

Command add_sweep(CLI::App& dse) {
  auto a = std::make_shared<SweepArgs>();
  auto jobs = std::make_shared<int>(0);
  add_value(dse, "--config", a->config);
  add_value(dse, "--out", a->out);
  add_value(dse, "--jobs", a->jobs);
  add_value(dse, "--shard", a->shard);
  dse.add_flag("--allow-other-revision", a->allow_other_revision);
  dse.add_flag("--quiet", a->quiet);
  Command c;
  c.app = &dse;
  c.usage = kUsage;
  c.check = [a, jobs](std::vector<std::string>& errors) {
    *jobs = jobs_argument(a->jobs, errors);
    parse_shard(*a, errors);
    if (errors.empty() && a->config.empty()) errors.push_back("--config: required");
  };
  c.run = [a, jobs] { return run_sweep(*a, *jobs); };
  return c;
}

int sweep_and_report(const explorer::SweepSpec& spec, const explorer::SweepOptions& options,
                     const std::string& out, bool quiet) {
  auto to_stderr = [](const std::string& text) {
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
  };
  explorer::ProgressPrinter printer(to_stderr, isatty(STDERR_FILENO) == 1, spec.objectives);
  explorer::SweepObserver progress;
  progress.warning = [](const std::string& message) { print_warnings({message}); };
  progress.started = [&](size_t points, size_t stored) {
    printer.started(points, stored);
    if (quiet) return;
    std::cerr << "dse: " << points << " design points";
    if (stored > 0) std::cerr << " (resuming: " << stored << " already in " << out << "/results.sqlite)";
    std::cerr << ", " << options.jobs << " jobs, output in " << out << "\n";
  };
  if (!quiet) {
    progress.accuracy_evaluated = [&](const explorer::PointConfig& p, const explorer::AccuracyReport& r) {
      printer.finish();
      std::cerr << "accuracy of " << p.id << "'s compression on " << r.images << " test images: " << r.top1
                << " (float " << r.float_top1 << ", " << r.seconds << " s)\n";
    };
    progress.point_finished = [&](const std::string& phase, size_t finished, size_t total,
                                  const explorer::PointConfig& p, const explorer::WorkerOutcome& o) {
      printer.point_finished(phase, finished, total, p, o);
    };
  }
  const auto run = explorer::run_sweep(spec, out, options, progress);
  printer.finish();
  if (run.stopped_by_signal) {
    std::cerr << "dse: stopped by " << strsignal(run.stopped_by_signal) << ": " << run.outcomes.size()
              << " of " << run.planned << " points finished and stored in " << out
              << "; rerun the same command to resume\n";
    return 128 + run.stopped_by_signal;
  }
  explorer::print_best(std::cout, run.outcomes, spec);
  std::cout << "results: " << (fs::path(out) / "results.csv").string()
            << ", report: " << explorer::report_file(out).string() << "\n";
  if (run.interrupted > 0) {
    std::cerr << "dse: " << run.interrupted
              << " points did not finish (their workers were killed from outside) and are not stored; rerun "
                 "the same command to run them\n";
    return 4;
  }
  return 0;
}

}  // namespace deepchip::cli
