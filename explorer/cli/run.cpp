// dse run --config POINT.json: one design point, its per-layer table, result.json and report.html.
#include <iostream>

#include "explorer/cli/command.hpp"
#include "explorer/report/exports.hpp"
#include "explorer/report/html/report_page.hpp"
#include "explorer/run/workload_cache.hpp"
#include "explorer/store/result_store.hpp"
#include "sim/cost/timeline.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/json_input.hpp"
#include "sim/io/output_file.hpp"

namespace fs = std::filesystem;

namespace deepchip::cli {
namespace {

constexpr const char* kUsage =
    "dse run --config POINT.json [--out DIR] [--trace WAVES.vcd]\n"
    "  Runs one design point and prints its per-layer table; writes effective_config.json, result.json and\n"
    "  report.html to DIR (default dse_out/<point id>). Exit 1 when the point is not ok or differs from\n"
    "  golden.\n"
    "  --trace FILE     waveforms (VCD) of the rtl or cycle array\n"
    "  --timeline FILE  a Chrome/Perfetto trace (Trace Event JSON) of what every unit did when: one track\n"
    "                   per unit, a slice per fold or transfer; open it in ui.perfetto.dev or "
    "chrome://tracing\n";

struct RunArgs {
  std::string config, out, trace, timeline;
};

// Waveforms: the rtl array's ports and registers (Verilator --trace) or the cycle array's state per cycle.
void check_trace(const explorer::PointConfig& point, const std::string& trace) {
  if (point.hw.impl == sim::ArrayImpl::kTile || point.hw.impl == sim::ArrayImpl::kTiming)
    throw sim::ConfigError(
        "--trace: waveforms need hardware.array_impl \"cycle\" or \"rtl\" (tile computes a fold at once, "
        "timing computes no data)");
  check_output_file("--trace", trace);
}

// The accuracy block of a point's result.json: what a sweep stores of it (explorer/store), with the drop and
// whether it meets accuracy.max_accuracy_drop.
nlohmann::json accuracy_json(const explorer::AccuracyReport& accuracy,
                             const explorer::AccuracySpec& constraint) {
  nlohmann::json j = explorer::to_json(accuracy);
  j["accuracy_drop"] = accuracy.drop();
  j["constraints_ok"] = constraint.allows(accuracy.drop());
  return j;
}

void print_summary(const RunArgs& a, const explorer::PointConfig& point, const sim::PointResult& r,
                   const std::optional<explorer::AccuracyReport>& accuracy, const fs::path& dir) {
  explorer::print_layer_table(std::cout, r);
  if (accuracy)
    std::cout << "top-1 accuracy on " << accuracy->images << " " << accuracy->dataset
              << " test images: " << accuracy->top1 << " (float model " << accuracy->float_top1 << ")\n";
  std::cout << "point " << point.id << " (" << point.network << "), results and report.html in "
            << dir.string() << "\n";
  if (!a.timeline.empty()) std::cout << "timeline: " << a.timeline << " (open it in ui.perfetto.dev)\n";
}

int run_point(const RunArgs& a) {
  explorer::PointConfig point = explorer::parse_point(explorer::load_json_file(a.config), a.config);
  print_warnings(point.warnings);
  if (!a.trace.empty()) check_trace(point, a.trace);
  const fs::path dir = a.out.empty() ? fs::path("dse_out") / point.id : fs::path(a.out);
  // A timeline written into --out may name it before it exists: dse makes it (below).
  const bool timeline_in_out =
      fs::path(a.timeline).parent_path().lexically_normal() == dir.lexically_normal();
  std::error_code ec;
  if (!a.timeline.empty() && (!timeline_in_out || fs::is_directory(dir, ec)))
    check_output_file("--timeline", a.timeline);
  check_out_dir(dir);
  refuse_sweep_dir(dir);
  sim::OutputSet outputs;  // every file of this run, written together at the end (the trace while it runs)
  sim::Timeline timeline;  // for the report's timeline view and --timeline
  const sim::Observers observers{&timeline, a.trace, &outputs};
  explorer::WorkloadCache cache;
  cache.set_single_point();
  const auto accuracy = cache.accuracy(point);
  const sim::PointResult r = explorer::run_point_here(point, cache, std::nullopt, observers);
  sim::make_output_dir(dir, "--out");
  outputs.add(dir / "effective_config.json", sim::dump_json(point.effective, 2) + "\n");
  auto result = sim::to_json(r);
  result["git_revision"] = explorer::git_revision();
  if (accuracy) result["accuracy"] = accuracy_json(*accuracy, point.accuracy);
  outputs.add(dir / "result.json", sim::dump_json(result, 2) + "\n");
  const std::string title = point.id + " (" + fs::path(point.network).filename().string() + ")";
  if (!a.timeline.empty())
    outputs.add(a.timeline, timeline.trace_json(point.hw.clock_hz, title).dump() + "\n", "--timeline");
  outputs.add(dir / "report.html", explorer::report_page_html(explorer::point_report_data(
                                       point.effective, result, &timeline, point.hw.clock_hz, title)));
  outputs.commit();
  print_summary(a, point, r, accuracy, dir);
  return r.ok && (!r.verified || r.golden_match) ? 0 : 1;
}

}  // namespace

Command add_run(CLI::App& dse) {
  auto a = std::make_shared<RunArgs>();
  CLI::App* app = add_command(dse, "run");
  add_value(*app, "--config", a->config);
  add_value(*app, "--out", a->out);
  add_value(*app, "--trace", a->trace);
  add_value(*app, "--timeline", a->timeline);
  Command c;
  c.app = app;
  c.usage = kUsage;
  c.check = [a](std::vector<std::string>& errors) {
    if (errors.empty() && a->config.empty()) errors.push_back("--config: required");
  };
  c.run = [a] { return run_point(*a); };
  return c;
}

}  // namespace deepchip::cli
