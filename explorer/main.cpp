// dse: the DeepChip design-space explorer.
//   dse --config sweep.json [--out DIR] [--jobs N]   sweep (results.csv, layers.csv, summary.json in DIR)
//   dse run --config point.json [--out DIR]          one design point, per-layer table
//   dse --list-keys | --schema                       the config keys, as text or JSON schema
// Bad input: one line per error naming its JSON path or file:line, exit code 2, nothing written.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <systemc>
#include <thread>

#include "explorer/config.hpp"
#include "explorer/config_keys.hpp"
#include "explorer/report.hpp"
#include "explorer/runner.hpp"
#include "sim/errors.hpp"
#include "sim/onnx_import.hpp"

namespace fs = std::filesystem;
using namespace deepchip;

namespace {

constexpr const char* kUsage =
    "usage: dse --config SWEEP.json [--out DIR] [--jobs N]\n"
    "       dse run --config POINT.json [--out DIR] [--trace WAVES.vcd]\n"
    "       dse infer --model M.onnx --input IN.pb --output OUT.pb [--quantized [--config POINT.json]]\n"
    "       dse --list-keys | --schema | --help\n";

struct Args {
  bool run = false, infer = false, quantized = false, list_keys = false, schema = false, help = false;
  std::string config, out, trace, model, input, output;
  int jobs = 0;
};

Args parse_args(int argc, char** argv) {
  Args a;
  std::vector<std::string> errors;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        errors.push_back(s + ": needs a value");
        return "";
      }
      return argv[++i];
    };
    if (s == "run" && i == 1)
      a.run = true;
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
    else if (s == "--jobs") {
      const std::string v = value();
      try {
        a.jobs = std::stoi(v);
      } catch (...) {
        a.jobs = -1;
      }
      if (a.jobs < 1 || a.jobs > 1024)
        errors.push_back("--jobs: must be an integer in 1..1024, got '" + v + "'");
    } else if (s == "--list-keys")
      a.list_keys = true;
    else if (s == "--schema")
      a.schema = true;
    else if (s == "--help" || s == "-h")
      a.help = true;
    else
      errors.push_back(s + ": unknown argument");
  }
  if (a.infer) {
    if (a.model.empty()) errors.push_back("--model: required with `dse infer`");
    if (a.input.empty()) errors.push_back("--input: required with `dse infer`");
    if (a.output.empty()) errors.push_back("--output: required with `dse infer`");
    if (!a.config.empty() && !a.quantized)
      errors.push_back("--config: only with --quantized (its quantization keys)");
  } else if (errors.empty() && !a.help && !a.list_keys && !a.schema && a.config.empty()) {
    errors.push_back("--config: required");
  }
  if (!a.trace.empty() && !a.run) errors.push_back("--trace: only with `dse run` (one design point)");
  if (!errors.empty()) throw sim::ConfigError(errors);
  return a;
}

int run_single(const Args& a) {
  const auto json = explorer::load_json_file(a.config);
  explorer::PointConfig point = explorer::parse_point(json, a.config);
  if (!a.trace.empty()) {
    // Waveforms: the rtl array's ports and registers (Verilator --trace) or the cycle array's state per
    // cycle.
    if (point.hw.impl == sim::ArrayImpl::kTile)
      throw sim::ConfigError(
          "--trace: waveforms need hardware.array_impl \"cycle\" or \"rtl\" (tile computes a fold at once)");
    point.hw.trace_vcd = a.trace;
  }
  explorer::WorkloadCache cache;
  const auto accuracy = cache.accuracy(point);
  const sim::PointResult r = explorer::run_point_here(point, cache);
  const std::string rev = explorer::git_revision();
  const fs::path dir = a.out.empty() ? fs::path("dse_out") / point.id : fs::path(a.out);
  fs::create_directories(dir);
  std::ofstream(dir / "effective_config.json") << point.effective.dump(2) << "\n";
  auto result = sim::to_json(r);
  result["git_revision"] = rev;
  if (accuracy)
    result["accuracy"] = {{"dataset", accuracy->dataset},
                          {"images", accuracy->images},
                          {"float_top1", accuracy->float_top1},
                          {"top1", accuracy->top1},
                          {"reference_top1", accuracy->reference_top1},
                          {"accuracy_drop", accuracy->drop()},
                          {"constraints_ok", point.accuracy.allows(accuracy->drop())}};
  std::ofstream(dir / "result.json") << result.dump(2) << "\n";
  explorer::print_layer_table(std::cout, r);
  if (accuracy)
    std::cout << "top-1 accuracy on " << accuracy->images << " " << accuracy->dataset
              << " test images: " << accuracy->top1 << " (float model " << accuracy->float_top1 << ")\n";
  std::cout << "point " << point.id << " (" << point.network << "), results in " << dir.string() << "\n";
  return r.ok && r.golden_match ? 0 : 1;
}

// dse infer: the float model (or the integer path) on an ONNX TensorProto input.
int run_infer(const Args& a) {
  const sim::OnnxModel model = sim::load_onnx(a.model);
  const sim::OnnxTensor input = sim::load_onnx_tensor(a.input);
  sim::QuantConfig qc;
  if (!a.config.empty()) {
    auto cfg = explorer::load_json_file(a.config);
    cfg["network"] = a.model;
    qc = explorer::parse_point(cfg, a.config).quant;
  }
  sim::save_onnx_tensor(sim::infer(model, input, a.quantized, qc), a.output);
  std::cout << "wrote " << a.output << "\n";
  return 0;
}

int run_sweep(const Args& a) {
  const auto json = explorer::load_json_file(a.config);
  const explorer::SweepSpec spec = explorer::parse_sweep(json, a.config);
  const int jobs = a.jobs > 0 ? a.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const std::string out = a.out.empty() ? "dse_out" : a.out;
  fs::create_directories(out);
  const std::string rev = explorer::git_revision();
  std::cerr << "dse: " << spec.points.size() << " design points, " << jobs << " jobs, output in " << out
            << "\n";
  const auto run = explorer::run_sweep(spec, out, jobs, rev);
  explorer::write_reports(run.outcomes, spec, out, rev, run.compressions);
  explorer::print_best(std::cout, run.outcomes, spec);
  std::cout << "results: " << (fs::path(out) / "results.csv").string() << "\n";
  return 0;
}

}  // namespace

int sc_main(int argc, char** argv) {
  try {
    const Args a = parse_args(argc, argv);
    if (a.help) {
      std::cout << kUsage;
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
    return a.run ? run_single(a) : run_sweep(a);
  } catch (const sim::ConfigError& e) {
    for (const auto& m : e.messages()) std::cerr << "dse: error: " << m << "\n";
    return 2;
  } catch (const sim::InputError& e) {
    std::cerr << "dse: error: " << e.what() << "\n";
    return 2;
  }
}
