// dse merge OUT... --out DIR: the shards' stores united in DIR, then the sweep resumed there (it runs only
// what the shards lack) and exported as one unsharded run.
#include "explorer/store/merge.hpp"

#include <iostream>

#include "explorer/cli/command.hpp"

namespace fs = std::filesystem;

namespace deepchip::cli {
namespace {

constexpr const char* kUsage =
    "dse merge OUT... --out DIR [--jobs N] [--allow-other-revision] [--quiet]\n"
    "  Unites the result stores of a sweep's shards (each OUT a --shard K/N run's --out) in DIR and writes\n"
    "  the exports of one unsharded run there (what the shards lack runs then).\n";

struct MergeArgs {
  std::vector<std::string> inputs;
  std::string out, jobs, config;
  bool allow_other_revision = false, quiet = false;
};

int run_merge(const MergeArgs& a, int jobs) {
  check_out_dir(a.out);
  explorer::SweepOptions options;
  options.jobs = jobs_or_cores(jobs);
  options.revision = explorer::git_revision();
  options.allow_other_revision = a.allow_other_revision;
  const explorer::MergePlan plan =
      explorer::merge_stores(a.inputs, a.out, options.revision, a.allow_other_revision);
  options.config_path = plan.config_path;
  options.config_text = plan.config_text;
  if (!a.quiet)
    std::cerr << "dse: merged " << a.inputs.size() << " stores into "
              << (fs::path(a.out) / "results.sqlite").string() << "\n";
  return sweep_and_report(plan.spec, options, a.out, a.quiet);
}

}  // namespace

Command add_merge(CLI::App& dse) {
  auto a = std::make_shared<MergeArgs>();
  auto jobs = std::make_shared<int>(0);
  CLI::App* app = add_command(dse, "merge");
  app->add_option("OUT", a->inputs);
  add_value(*app, "--out", a->out);
  add_value(*app, "--jobs", a->jobs);
  add_value(*app, "--config", a->config);  // refused with its reason
  app->add_flag("--allow-other-revision", a->allow_other_revision);
  app->add_flag("--quiet", a->quiet);
  Command c;
  c.app = app;
  c.usage = kUsage;
  c.check = [a, jobs](std::vector<std::string>& errors) {
    *jobs = jobs_argument(a->jobs, errors);
    if (a->inputs.empty()) errors.push_back("merge: give the --out directories of the shards to merge");
    if (a->out.empty())
      errors.push_back("--out: required with `dse merge` (the merged store and its exports)");
    if (!a->config.empty())
      errors.push_back("--config: not with `dse merge` (the shards recorded their config)");
  };
  c.run = [a, jobs] { return run_merge(*a, *jobs); };
  return c;
}

}  // namespace deepchip::cli
