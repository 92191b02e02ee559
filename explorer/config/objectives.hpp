// What a sweep's Pareto front, search and constraints read of a point, declared once.
// Metrics: every number of a point's totals (sim/cost/stats.hpp: LayerStats and the silicon summary) and the
// derived ones below (a results.csv column each). Objectives (the "objectives" key) name a metric and
// whether more is better; constraints (the "constraints" key) bound any metric from below or above.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace deepchip::explorer {

struct ObjectiveDecl {
  std::string name;    // the "objectives" key's value
  std::string column;  // a metric (results.csv's column of that name), or "top1" (accuracy)
  bool maximised = false;
  bool from_accuracy() const { return column == "top1"; }  // measured in the parent, not by the worker
};

const std::vector<ObjectiveDecl>& objective_decls();
const ObjectiveDecl& objective_decl(const std::string& name);  // throws std::logic_error when not declared
std::vector<std::string> objective_names();

// The metrics computed from a point's totals, X(name, unit, doc).
#define DEEPCHIP_DERIVED_METRICS(X)                                                                     \
  X(latency_s, "s", "the run's time: cycles at the clock (seconds)")                                    \
  X(latency_ms, "ms", "latency_s in milliseconds")                                                      \
  X(throughput_per_s, "1/s", "inferences (a decoding: whole sequences) per second, 1 / latency_s")      \
  X(edp_pj_s, "pJ s", "energy-delay product: energy_total_pj * latency_s")                              \
  X(throughput_per_s_per_mm2, "1/(s mm2)", "throughput_per_s / area_mm2 (standalone accelerators)")     \
  X(fpga_utilization, "ratio",                                                                          \
    "ARM+FPGA systems: the largest used / available of the device's resources (LUTs, FFs, BRAM, URAM, " \
    "DSPs)")

struct MetricDoc {
  std::string name, unit, doc;
};
// Every metric a constraint may bound: the totals' statistics, the silicon summary's, the derived ones and
// top1 (measured accuracy).
const std::vector<MetricDoc>& metric_docs();
bool is_metric(const std::string& name);

// A bound on one metric (the "constraints" key: {"metric": {"min": a, "max": b}}).
struct MetricConstraint {
  std::string metric;
  std::optional<double> min, max;
  // How far `value` is outside the bounds, relative to the bound (0 inside; NaN values are outside by 1).
  double excess(double value) const;
};

}  // namespace deepchip::explorer
