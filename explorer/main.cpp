// dse: the DeepChip design-space explorer.
//   dse --config sweep.json [--out DIR] [--jobs N]   sweep (results.sqlite; its exports results.csv,
//                                                    layers.csv, summary.json in DIR); resumable
//   dse run --config point.json [--out DIR]          one design point, per-layer table
//   dse report DIR                                   DIR/report.html of a sweep's or a point's results
//   dse --list-keys | --schema                       the config keys, as text or JSON schema
// Bad input: one line per error naming its JSON path or file:line, exit code 2, nothing written.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>

#include "explorer/config.hpp"
#include "explorer/config_keys.hpp"
#include "explorer/html/report_page.hpp"
#include "explorer/progress.hpp"
#include "explorer/report.hpp"
#include "explorer/runner.hpp"
#include "explorer/scalesim/scalesim_mode.hpp"
#include "explorer/store/merge.hpp"
#include "explorer/store/result_store.hpp"
#include "explorer/walk_noise.hpp"
#include "sim/errors.hpp"
#include "sim/json_input.hpp"
#include "sim/onnx_import.hpp"
#include "sim/output_file.hpp"
#include "sim/timeline.hpp"

namespace fs = std::filesystem;
using namespace deepchip;

namespace {

constexpr const char* kSweepUsage =
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
constexpr const char* kMergeUsage =
    "dse merge OUT... --out DIR [--jobs N] [--allow-other-revision] [--quiet]\n"
    "  Unites the result stores of a sweep's shards (each OUT a --shard K/N run's --out) in DIR and writes\n"
    "  the exports of one unsharded run there (what the shards lack runs then).\n";
constexpr const char* kRunUsage =
    "dse run --config POINT.json [--out DIR] [--trace WAVES.vcd]\n"
    "  Runs one design point and prints its per-layer table; writes effective_config.json, result.json and\n"
    "  report.html to DIR (default dse_out/<point id>). Exit 1 when the point is not ok or differs from\n"
    "  golden.\n"
    "  --trace FILE     waveforms (VCD) of the rtl or cycle array\n"
    "  --timeline FILE  a Chrome/Perfetto trace (Trace Event JSON) of what every unit did when: one track\n"
    "                   per unit, a slice per fold or transfer; open it in ui.perfetto.dev or "
    "chrome://tracing\n";
constexpr const char* kReportUsage =
    "dse report DIR\n"
    "  Writes DIR/report.html (one self-contained page, opens offline) from a sweep's result store\n"
    "  (DIR/results.sqlite) or a point's results (DIR/result.json, and DIR/timeline.json when there). Every\n"
    "  sweep and dse run write it at the end too.\n";
constexpr const char* kScaleSimUsage =
    "dse scalesim [-c CONFIG.cfg] [-t TOPOLOGY.csv] [-i conv|gemm] [-p OUTDIR]\n"
    "  SCALE-Sim v2's command line and files: runs the topology on this simulator (weight stationary,\n"
    "  SCALE-Sim's per-fold timing) and writes OUTDIR/<run_name>/COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv,\n"
    "  DETAILED_ACCESS_REPORT.csv with SCALE-Sim's columns, and results.csv, result.json, report.html with\n"
    "  this project's stats. Defaults as SCALE-Sim's: -c ../configs/scale.cfg, -t\n"
    "  ../topologies/conv_nets/test.csv, -i conv, -p ../test_runs.\n";
constexpr const char* kWalkNoiseUsage =
    "dse walk-noise --config POINT.json [--out DIR]\n"
    "  The Walking Noise protocol on the point's compressed model: noise (noise.walk_kind) on one conv/fc\n"
    "  layer at a time at a ladder of levels, accuracy on the dataset as the mean of noise.repeats seeded\n"
    "  passes; per layer the level at which accuracy falls to noise.walk_fraction of the clean accuracy.\n"
    "  Writes DIR/walk_noise.csv, walk_noise.json and effective_config.json (default\n"
    "  dse_out/walk_noise_<point id>).\n";
constexpr const char* kInferUsage =
    "dse infer --model M.onnx --input IN.pb --output OUT.pb [--quantized [--config POINT.json]]\n"
    "  Runs an ONNX model on an ONNX TensorProto input with the float executor and writes the output\n"
    "  TensorProto; --quantized runs the integer golden path, quantized with POINT.json's quantization keys\n"
    "  and calibrated on this input, output dequantized.\n";
constexpr const char* kCommonUsage =
    "dse --list-keys    every config key with unit, default, range and doc\n"
    "dse --schema       the JSON schema of the config\n"
    "dse --version      the code revision\n"
    "dse [COMMAND] --help\n"
    "exit codes: 0 done; 1 the design point is not ok or differs from golden (dse run); 2 bad input\n"
    "            (config, network, model, tensor, dataset, result store or argument: one line per problem\n"
    "            on stderr, nothing written); 3 internal error (a bug: please report it); 4 a sweep with\n"
    "            points whose workers were killed from outside (not stored: rerun the same command to run\n"
    "            them); 5 the environment failed (disk full, read-only file system, permission, I/O error:\n"
    "            one line naming the path; no file half-written; rerun once fixed to resume); 130/143\n"
    "            interrupted by SIGINT/SIGTERM (workers stopped, finished points kept)\n";

constexpr int kExitEnvironment = 5;

using sim::printable;

struct Args {
  bool run = false, infer = false, quantized = false, list_keys = false, schema = false, help = false;
  bool allow_other_revision = false, quiet = false, version = false, merge = false, report = false;
  bool scalesim = false, walk_noise = false;
  explorer::ScaleSimArgs scalesim_args{"../configs/scale.cfg", "../topologies/conv_nets/test.csv", false,
                                       "../test_runs"};
  std::string config, out, trace, timeline, model, input, output, report_dir;
  std::vector<std::string> merge_inputs;  // dse merge OUT...
  int shard_index = 0, shard_count = 1;   // --shard K/N
  int jobs = 0;
};

// The options that take a value (the next argument).
const std::set<std::string> kValueOptions = {"--shard", "--model", "--input",    "--output", "--config",
                                             "--out",   "--trace", "--timeline", "--jobs"};

// The whole of `text` as a decimal integer in [lo, hi], else -1 ("2x", "1e3", " 2" and "" are not integers).
int parse_int_argument(const std::string& text, int lo, int hi) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) return -1;
  const int v = std::stoi(text);
  return v >= lo && v <= hi ? v : -1;
}

// --shard K/N, 1 <= K <= N <= 100000.
void parse_shard(const std::string& text, Args& a, std::vector<std::string>& errors) {
  if (text.empty()) return;  // reported as an empty value
  const auto slash = text.find('/');
  const int n = slash == std::string::npos ? -1 : parse_int_argument(text.substr(slash + 1), 1, 100000);
  const int k = slash == std::string::npos || n < 1 ? -1 : parse_int_argument(text.substr(0, slash), 1, n);
  if (k < 1) {
    errors.push_back("--shard: must be K/N with integers 1 <= K <= N <= 100000, got '" + text + "'");
    return;
  }
  a.shard_index = k - 1;
  a.shard_count = n;
}

// dse scalesim: SCALE-Sim's own options (argparse: "-c X" or "-cX").
Args parse_scalesim_args(int argc, char** argv) {
  Args a;
  a.scalesim = true;
  std::vector<std::string> errors;
  std::string unrecognized;
  std::set<char> seen;
  for (int i = 2; i < argc; ++i) {
    const std::string s = argv[i];
    if (s == "--help" || s == "-h") {
      a.help = true;
      continue;
    }
    const char flag = s.size() >= 2 && s[0] == '-' ? s[1] : '\0';
    if (std::string("ctip").find(flag) == std::string::npos || flag == '\0') {
      unrecognized += (unrecognized.empty() ? "" : " ") + s;
      continue;
    }
    std::string value = s.substr(2);
    if (value.empty()) {
      if (i + 1 >= argc) {
        errors.push_back(s + ": needs a value");
        continue;
      }
      value = argv[++i];
    }
    if (!seen.insert(flag).second) {
      errors.push_back(std::string("-") + flag + ": given twice");
      continue;
    }
    if (value.empty()) {
      errors.push_back(std::string("-") + flag + ": an empty value");
      continue;
    }
    if (flag == 'c') a.scalesim_args.config = value;
    if (flag == 't') a.scalesim_args.topology = value;
    if (flag == 'p') a.scalesim_args.out_dir = value;
    if (flag == 'i') {
      if (value != "conv" && value != "gemm")
        errors.push_back("-i: must be conv or gemm, got '" + value + "'");
      a.scalesim_args.gemm = value == "gemm";
    }
  }
  if (!unrecognized.empty())  // as argparse says it: one line for all of them
    errors.push_back("unrecognized arguments: " + unrecognized + " (dse scalesim takes -c, -t, -i, -p)");
  if (!errors.empty()) throw sim::ConfigError(errors);
  return a;
}

Args parse_args(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "scalesim") return parse_scalesim_args(argc, argv);
  Args a;
  std::vector<std::string> errors;
  std::set<std::string> seen;  // every option once: a repeated one is an error, never "the last wins"
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    if (s.empty()) {
      errors.push_back("'': an empty argument");
      continue;
    }
    if (s[0] == '-' && !seen.insert(s).second) {
      errors.push_back(s + ": given twice");
      if (i + 1 < argc && kValueOptions.count(s)) ++i;
      continue;
    }
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        errors.push_back(s + ": needs a value");
        return "";
      }
      const std::string v = argv[++i];
      if (v.empty())
        errors.push_back(s + ": an empty " + (s == "--shard" || s == "--jobs" ? "value" : "path"));
      return v;
    };
    if (s == "run" && i == 1)
      a.run = true;
    else if (s == "merge" && i == 1)
      a.merge = true;
    else if (s == "report" && i == 1)
      a.report = true;
    else if (s == "walk-noise" && i == 1)
      a.walk_noise = true;
    else if (a.report && !s.empty() && s[0] != '-') {
      if (!a.report_dir.empty()) errors.push_back(s + ": `dse report` takes one directory");
      a.report_dir = s;
    } else if (a.merge && !s.empty() && s[0] != '-')
      a.merge_inputs.push_back(s);
    else if (s == "--shard")
      parse_shard(value(), a, errors);
    else if (s == "infer" && i == 1)
      a.infer = true;
    else if (s == "--model")
      a.model = value();
    else if (s == "--input")
      a.input = value();
    else if (s == "--output")
      a.output = value();
    else if (s == "--quantized")
      a.quantized = true;
    else if (s == "--config")
      a.config = value();
    else if (s == "--out")
      a.out = value();
    else if (s == "--trace")
      a.trace = value();
    else if (s == "--timeline")
      a.timeline = value();
    else if (s == "--jobs") {
      const std::string v = value();
      a.jobs = parse_int_argument(v, 1, 1024);
      if (a.jobs < 1 && !v.empty())
        errors.push_back("--jobs: must be an integer in 1..1024, got '" + v + "'");
    } else if (s == "--allow-other-revision")
      a.allow_other_revision = true;
    else if (s == "--quiet")
      a.quiet = true;
    else if (s == "--version")
      a.version = true;
    else if (s == "--list-keys")
      a.list_keys = true;
    else if (s == "--schema")
      a.schema = true;
    else if (s == "--help" || s == "-h")
      a.help = true;
    else
      errors.push_back(s + ": unknown argument");
  }
  if (a.infer && !a.help) {
    if (a.model.empty()) errors.push_back("--model: required with `dse infer`");
    if (a.input.empty()) errors.push_back("--input: required with `dse infer`");
    if (a.output.empty()) errors.push_back("--output: required with `dse infer`");
    if (!a.config.empty() && !a.quantized)
      errors.push_back("--config: only with --quantized (its quantization keys)");
  } else if (a.merge && !a.help) {
    if (a.merge_inputs.empty()) errors.push_back("merge: give the --out directories of the shards to merge");
    if (a.out.empty())
      errors.push_back("--out: required with `dse merge` (the merged store and its exports)");
    if (!a.config.empty())
      errors.push_back("--config: not with `dse merge` (the shards recorded their config)");
  } else if (a.report && !a.help) {
    if (a.report_dir.empty()) errors.push_back("report: give the directory (a sweep's --out or a dse run's)");
    if (!a.config.empty() || !a.out.empty())
      errors.push_back("report: takes only the directory (it writes DIR/report.html)");
  } else if (errors.empty() && !a.help && !a.version && !a.list_keys && !a.schema && a.config.empty()) {
    errors.push_back("--config: required");
  }
  if (a.walk_noise && (a.shard_count > 1 || a.jobs > 0 || a.quiet || a.allow_other_revision))
    errors.push_back("walk-noise: takes only --config and --out");
  if (!a.trace.empty() && !a.run) errors.push_back("--trace: only with `dse run` (one design point)");
  if (!a.timeline.empty() && !a.run) errors.push_back("--timeline: only with `dse run` (one design point)");
  if (a.allow_other_revision && (a.run || a.infer))
    errors.push_back("--allow-other-revision: only with a sweep (it resumes a result store)");
  if (a.quiet && (a.run || a.infer))
    errors.push_back("--quiet: only with a sweep (it silences its progress)");
  if (a.shard_count > 1 && (a.run || a.infer || a.merge))
    errors.push_back("--shard: only with a sweep (dse --config SWEEP.json)");
  if (!errors.empty()) throw sim::ConfigError(errors);
  return a;
}

// --out must be a directory or creatable as one; checked before anything runs.
void check_out_dir(const fs::path& dir) { sim::check_output_dir(dir, "--out"); }

// A file to be written later: its directory must exist, and it must be a regular file or new (a device,
// FIFO or socket is refused; a symlink is written through).
void check_output_file(const std::string& option, const std::string& file) {
  std::error_code ec;
  const fs::path parent = fs::path(file).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec))
    throw sim::ConfigError(option + ": directory " + parent.string() + " does not exist");
  sim::output_target(file, option);
}

// `dse run` and `dse walk-noise` write a point's files into --out: never into a sweep's folder, whose
// report.html and exports they would replace (a running sweep holds its lock on the same store).
void refuse_sweep_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(explorer::ResultStore::file(dir), ec) || fs::exists(dir / ".dse.lock", ec))
    throw sim::ConfigError("--out: " + dir.string() + " holds a sweep's result store (" +
                           explorer::ResultStore::file(dir).string() +
                           "); a single point's files would replace its exports: use another --out");
}

int run_single(const Args& a) {
  const auto json = explorer::load_json_file(a.config);
  explorer::PointConfig point = explorer::parse_point(json, a.config);
  if (!a.trace.empty()) {
    // Waveforms: the rtl array's ports and registers (Verilator --trace) or the cycle array's state per
    // cycle.
    if (point.hw.impl == sim::ArrayImpl::kTile || point.hw.impl == sim::ArrayImpl::kTiming)
      throw sim::ConfigError(
          "--trace: waveforms need hardware.array_impl \"cycle\" or \"rtl\" (tile computes a fold at once, "
          "timing computes no data)");
    check_output_file("--trace", a.trace);
    point.hw.trace_vcd = a.trace;
  }
  if (!a.timeline.empty()) check_output_file("--timeline", a.timeline);
  const fs::path dir = a.out.empty() ? fs::path("dse_out") / point.id : fs::path(a.out);
  check_out_dir(dir);
  refuse_sweep_dir(dir);
  sim::OutputSet outputs;  // every file of this run, written together at the end (the trace while it runs)
  point.hw.outputs = &outputs;
  sim::Timeline timeline;  // for the report's timeline view and --timeline
  point.hw.timeline = &timeline;
  explorer::WorkloadCache cache;
  cache.set_single_point();
  const auto accuracy = cache.accuracy(point);
  const sim::PointResult r = explorer::run_point_here(point, cache);
  const std::string rev = explorer::git_revision();
  sim::make_output_dir(dir, "--out");
  outputs.add(dir / "effective_config.json", sim::dump_json(point.effective, 2) + "\n");
  auto result = sim::to_json(r);
  result["git_revision"] = rev;
  if (accuracy)
    result["accuracy"] = {{"dataset", accuracy->dataset},
                          {"images", accuracy->images},
                          {"float_top1", accuracy->float_top1},
                          {"top1", accuracy->top1},
                          {"reference_top1", accuracy->reference_top1},
                          {"accuracy_drop", accuracy->drop()},
                          {"noise_repeats", accuracy->noise_repeats},
                          {"top1_std", accuracy->top1_std},
                          {"constraints_ok", point.accuracy.allows(accuracy->drop())}};
  outputs.add(dir / "result.json", sim::dump_json(result, 2) + "\n");
  const std::string title = point.id + " (" + fs::path(point.network).filename().string() + ")";
  if (!a.timeline.empty())
    outputs.add(a.timeline, timeline.trace_json(point.hw.clock_hz, title).dump() + "\n", "--timeline");
  outputs.add(dir / "report.html", explorer::report_page_html(explorer::point_report_data(
                                       point.effective, result, &timeline, point.hw.clock_hz, title)));
  outputs.commit();
  explorer::print_layer_table(std::cout, r);
  if (accuracy)
    std::cout << "top-1 accuracy on " << accuracy->images << " " << accuracy->dataset
              << " test images: " << accuracy->top1 << " (float model " << accuracy->float_top1 << ")\n";
  std::cout << "point " << point.id << " (" << point.network << "), results and report.html in "
            << dir.string() << "\n";
  if (!a.timeline.empty()) std::cout << "timeline: " << a.timeline << " (open it in ui.perfetto.dev)\n";
  return r.ok && (!r.verified || r.golden_match) ? 0 : 1;
}

// dse walk-noise: the point's layers one at a time under a ladder of noise levels.
int run_walk_noise(const Args& a) {
  const explorer::PointConfig point = explorer::parse_point(explorer::load_json_file(a.config), a.config);
  if (!point.accuracy.enabled())
    throw sim::ConfigError("accuracy.dataset: dse walk-noise measures accuracy; the point needs a dataset");
  if (point.noise.enabled())
    throw sim::ConfigError(
        std::string(point.noise.levels.additive > 0 ? "noise.additive_noise" : "noise.multiplicative_noise") +
        ": dse walk-noise sets the noise itself, layer by layer; leave it 0 (set walk_kind)");
  const fs::path dir = a.out.empty() ? fs::path("dse_out") / ("walk_noise_" + point.id) : fs::path(a.out);
  check_out_dir(dir);
  refuse_sweep_dir(dir);
  explorer::WorkloadCache cache;
  const auto result = explorer::walk_noise(point, cache, [](const std::string& layer, const auto& step) {
    std::cerr << "walk-noise " << layer << " at " << step.level << ": top-1 " << step.mean << " +- "
              << step.stddev << "\n";
  });
  sim::make_output_dir(dir, "--out");
  sim::OutputSet outputs;
  outputs.add(dir / "effective_config.json", sim::dump_json(point.effective, 2) + "\n");
  explorer::write_walk_noise(result, dir, outputs);
  outputs.commit();
  std::cout << explorer::walk_noise_table(result) << "walk_noise.csv and walk_noise.json in " << dir.string()
            << "\n";
  return 0;
}

// dse infer: the float model (or the integer path) on an ONNX TensorProto input.
int run_infer(const Args& a) {
  const sim::OnnxModel model = sim::load_onnx(a.model);
  const sim::OnnxTensor input = sim::load_onnx_tensor(a.input);
  const std::string problem = sim::onnx_input_problem(model, input);
  if (!problem.empty()) throw sim::InputError(a.input + ": " + problem);
  check_output_file("--output", a.output);
  sim::QuantConfig qc;
  if (!a.config.empty()) {
    auto cfg = explorer::load_json_file(a.config);
    cfg["network"] = a.model;
    qc = explorer::parse_point(cfg, a.config).quant;
  }
  sim::OnnxTensor output;
  try {
    output = sim::infer(model, input, a.quantized, qc);
  } catch (const sim::InputError& e) {  // what this input does to the model: name the input
    throw sim::InputError(a.input + ": " + e.what());
  }
  sim::save_onnx_tensor(output, a.output);
  std::cout << "wrote " << a.output << "\n";
  return 0;
}

int sweep_and_report(const Args& a, const explorer::SweepSpec& spec, const explorer::SweepOptions& options,
                     const std::string& out);

int run_sweep(const Args& a) {
  const auto json = explorer::load_json_file(a.config);
  const explorer::SweepSpec spec = explorer::parse_sweep(json, a.config);
  explorer::SweepOptions options;
  options.jobs = a.jobs > 0 ? a.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.revision = explorer::git_revision();
  options.allow_other_revision = a.allow_other_revision;
  options.shard_index = a.shard_index;
  options.shard_count = a.shard_count;
  options.config_path = fs::absolute(a.config).lexically_normal().string();
  const std::string out = a.out.empty() ? "dse_out" : a.out;
  check_out_dir(out);
  return sweep_and_report(a, spec, options, out);
}

// dse merge OUT... --out DIR: the shards' stores united in DIR, then the sweep resumed there (it runs only
// what the shards lack) and exported as one unsharded run.
int run_merge(const Args& a) {
  check_out_dir(a.out);
  explorer::SweepOptions options;
  options.jobs = a.jobs > 0 ? a.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.revision = explorer::git_revision();
  options.allow_other_revision = a.allow_other_revision;
  const explorer::MergePlan plan =
      explorer::merge_stores(a.merge_inputs, a.out, options.revision, a.allow_other_revision);
  options.config_path = plan.config_path;
  if (!a.quiet)
    std::cerr << "dse: merged " << a.merge_inputs.size() << " stores into "
              << (fs::path(a.out) / "results.sqlite").string() << "\n";
  return sweep_and_report(a, plan.spec, options, a.out);
}

// dse report DIR: a sweep's report from its store (nothing runs), or a point's from its result files.
int run_report(const Args& a) {
  const fs::path dir = a.report_dir;
  std::error_code ec;
  if (fs::exists(explorer::ResultStore::file(dir), ec)) {
    const explorer::StoreIdentity id = explorer::ResultStore::read_identity(dir);
    const auto json = explorer::load_json_file(id.config_path);
    const explorer::SweepSpec spec = explorer::parse_sweep(json, id.config_path);
    if (spec.identity != id.sweep)
      throw sim::ConfigError("report: " + id.config_path + " changed since " +
                             explorer::ResultStore::file(dir).string() +
                             " was written (its sweep is another one now): no report");
    explorer::SweepOptions options;
    options.report_only = true;
    options.revision = id.revision;
    options.allow_other_revision = true;
    options.config_path = id.config_path;
    options.shard_index = id.shard_index;
    options.shard_count = id.shard_count;
    explorer::run_sweep(spec, dir.string(), options);
    std::cout << "report: " << explorer::report_file(dir.string()).string() << "\n";
    return 0;
  }
  if (!fs::exists(dir / "result.json", ec) || !fs::exists(dir / "effective_config.json", ec))
    throw sim::ConfigError("report: " + dir.string() +
                           " has neither results.sqlite (a sweep's --out) nor result.json and "
                           "effective_config.json (a dse run's)");
  auto plain = [](const nlohmann::ordered_json& j) { return nlohmann::json::parse(j.dump()); };
  const auto result = plain(explorer::load_json_file((dir / "result.json").string()));
  const auto effective = plain(explorer::load_json_file((dir / "effective_config.json").string()));
  std::optional<sim::Timeline> timeline;
  double clock_hz = 0;
  if (fs::exists(dir / "timeline.json", ec))
    timeline = explorer::load_trace(plain(explorer::load_json_file((dir / "timeline.json").string())),
                                    (dir / "timeline.json").string(), clock_hz);
  sim::write_file_atomically(
      dir / "report.html", explorer::report_page_html(explorer::point_report_data(
                               effective, result, timeline ? &*timeline : nullptr, clock_hz, dir.string())));
  std::cout << "report: " << (dir / "report.html").string() << "\n";
  return 0;
}

int sweep_and_report(const Args& a, const explorer::SweepSpec& spec, const explorer::SweepOptions& options,
                     const std::string& out) {
  auto to_stderr = [](const std::string& text) {
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
  };
  explorer::ProgressPrinter printer(to_stderr, isatty(STDERR_FILENO) == 1, spec.objectives);
  explorer::SweepObserver progress;
  progress.warning = [](const std::string& message) { std::cerr << "dse: warning: " << message << "\n"; };
  progress.started = [&](size_t points, size_t stored) {
    printer.started(points, stored);
    if (a.quiet) return;
    std::cerr << "dse: " << points << " design points";
    if (stored > 0) std::cerr << " (resuming: " << stored << " already in " << out << "/results.sqlite)";
    std::cerr << ", " << options.jobs << " jobs, output in " << out << "\n";
  };
  if (!a.quiet) {
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

}  // namespace

// libsystemc provides main(), which calls sc_main (its declaration, from SystemC's sc_externs.h, is repeated
// here so that the explorer includes no SystemC header: it reaches the models only through
// models/system/evaluate.hpp).
extern "C" int sc_main(int argc, char* argv[]);

int sc_main(int argc, char* argv[]) {
  if (argc <= 1) {  // bare `dse`: what it can do, on stderr (nothing was asked, so not a success)
    std::cerr << "usage:\n"
              << kSweepUsage << kMergeUsage << kRunUsage << kReportUsage << kScaleSimUsage << kWalkNoiseUsage
              << kInferUsage << kCommonUsage;
    return 2;
  }
  try {
    const Args a = parse_args(argc, argv);
    if (a.help) {
      if (a.run)
        std::cout << "usage: " << kRunUsage;
      else if (a.merge)
        std::cout << "usage: " << kMergeUsage;
      else if (a.infer)
        std::cout << "usage: " << kInferUsage;
      else if (a.report)
        std::cout << "usage: " << kReportUsage;
      else if (a.scalesim)
        std::cout << "usage: " << kScaleSimUsage;
      else if (a.walk_noise)
        std::cout << "usage: " << kWalkNoiseUsage;
      else
        std::cout << "usage:\n"
                  << kSweepUsage << kMergeUsage << kRunUsage << kReportUsage << kScaleSimUsage
                  << kWalkNoiseUsage << kInferUsage << kCommonUsage;
      return 0;
    }
    if (a.version) {
      std::cout << "dse " << explorer::git_revision() << "\n";
      return 0;
    }
    if (a.list_keys) {
      std::cout << explorer::list_keys_text();
      return 0;
    }
    if (a.schema) {
      std::cout << explorer::schema_json().dump(2) << "\n";
      return 0;
    }
    if (a.infer) return run_infer(a);
    if (a.merge) return run_merge(a);
    if (a.report) return run_report(a);
    if (a.walk_noise) return run_walk_noise(a);
    if (a.scalesim) {
      std::string summary;
      const int code = explorer::run_scalesim(a.scalesim_args, summary);
      (code == 0 ? std::cout : std::cerr)
          << (code == 0 ? "dse scalesim: " : "dse scalesim: error: ") << summary << "\n";
      return code;
    }
    return a.run ? run_single(a) : run_sweep(a);
  } catch (const sim::ConfigError& e) {
    for (const auto& m : e.messages()) std::cerr << "dse: error: " << printable(m) << "\n";
    return 2;
  } catch (const sim::InputError& e) {
    std::cerr << "dse: error: " << printable(e.what()) << "\n";
    return 2;
  } catch (const sim::EnvironmentError& e) {
    std::cerr << "dse: error: " << printable(e.what()) << "\n";
    return kExitEnvironment;
  } catch (const fs::filesystem_error& e) {
    // A path the input named that is wrong is bad input; anything else the machine refused.
    const int err = e.code().value();
    const bool wrong_path = err == ENOENT || err == ENOTDIR || err == ENAMETOOLONG || err == ELOOP;
    std::cerr << "dse: error: " << printable(e.path1().string()) << ": " << e.code().message() << "\n";
    return wrong_path ? 2 : kExitEnvironment;
  } catch (const std::bad_alloc&) {
    // Inputs within the limits fit a stated bound (README "Input limits": about 40 bytes per element of the
    // largest tensor at peak); a machine with less memory than that is the environment's limit.
    std::cerr << "dse: error: out of memory: this machine (or its ulimit) has less memory than the input "
                 "needs (about 40 bytes per element of its largest tensor or im2col matrix at peak)\n";
    return kExitEnvironment;
  } catch (const std::exception& e) {
    std::cerr << "dse: internal error: " << printable(e.what())
              << " (this is a bug; please report it with the command and its input files)\n";
    return 3;
  } catch (...) {
    std::cerr << "dse: internal error: unknown exception (this is a bug; please report it)\n";
    return 3;
  }
}
