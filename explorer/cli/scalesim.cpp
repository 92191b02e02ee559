// dse scalesim: SCALE-Sim v2's command line and files, run on this simulator.
#include <iostream>

#include "explorer/cli/command.hpp"
#include "explorer/scalesim/scalesim_mode.hpp"

namespace deepchip::cli {
namespace {

constexpr const char* kUsage =
    "dse scalesim [-c CONFIG.cfg] [-t TOPOLOGY.csv] [-i conv|gemm] [-p OUTDIR]\n"
    "  SCALE-Sim v2's command line and files: runs the topology on this simulator (the config's Dataflow,\n"
    "  ws, os or is, with SCALE-Sim's per-fold timing) and writes OUTDIR/<run_name>/COMPUTE_REPORT.csv, "
    "BANDWIDTH_REPORT.csv,\n"
    "  DETAILED_ACCESS_REPORT.csv with SCALE-Sim's columns, and results.csv, result.json, report.html with\n"
    "  this project's stats. Defaults as SCALE-Sim's: -c ../configs/scale.cfg, -t\n"
    "  ../topologies/conv_nets/test.csv, -i conv, -p ../test_runs.\n";

struct ScaleSimCommand {
  explorer::ScaleSimArgs args{"../configs/scale.cfg", "../topologies/conv_nets/test.csv", false,
                              "../test_runs"};
  std::string input_type = "conv";
};

int run_scalesim(const explorer::ScaleSimArgs& args) {
  std::string summary;
  const int code = explorer::run_scalesim(args, summary);
  (code == 0 ? std::cout : std::cerr)
      << (code == 0 ? "dse scalesim: " : "dse scalesim: error: ") << summary << "\n";
  return code;
}

}  // namespace

// SCALE-Sim's options as its argparse reads them: "-c X" or "-cX".
Command add_scalesim(CLI::App& dse) {
  auto a = std::make_shared<ScaleSimCommand>();
  CLI::App* app = add_command(dse, "scalesim");
  add_value(*app, "-c", a->args.config);
  add_value(*app, "-t", a->args.topology);
  add_value(*app, "-i", a->input_type);
  add_value(*app, "-p", a->args.out_dir);
  Command c;
  c.app = app;
  c.usage = kUsage;
  c.reports_own_extras = true;
  c.check = [a, app](std::vector<std::string>& errors) {
    if (a->input_type != "conv" && a->input_type != "gemm" && !a->input_type.empty())
      errors.push_back("-i: must be conv or gemm, got '" + a->input_type + "'");
    a->args.gemm = a->input_type == "gemm";
    std::string unrecognized;
    for (const auto& extra : app->remaining()) unrecognized += (unrecognized.empty() ? "" : " ") + extra;
    if (!unrecognized.empty())  // as argparse says it: one line for all of them
      errors.push_back("unrecognized arguments: " + unrecognized + " (dse scalesim takes -c, -t, -i, -p)");
  };
  c.run = [a] { return run_scalesim(a->args); };
  return c;
}

}  // namespace deepchip::cli
