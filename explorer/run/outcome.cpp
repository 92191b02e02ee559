#include "explorer/run/outcome.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <type_traits>

namespace deepchip::explorer {

std::optional<double> total_stat(const sim::LayerStats& total, const std::string& column) {
  std::optional<double> value;
  total.visit_fields([&](const char* name, const auto& field, const char*, const char*) {
    if constexpr (std::is_arithmetic_v<std::decay_t<decltype(field)>>)
      if (column == name) value = static_cast<double>(field);
  });
  return value;
}

namespace {

std::optional<double> silicon_stat(const sim::PointResult& r, const std::string& name) {
  std::optional<double> value;
  if (r.silicon)
    r.silicon->visit_fields([&](const char* field, double v, const char*, const char*) {
      if (name == field) value = v;
    });
  return value;
}

// The largest used / available of a system's device resources.
std::optional<double> fpga_utilization(const sim::PointResult& r) {
  if (!r.soc) return std::nullopt;
  std::vector<int64_t> used;
  r.soc->used.visit([&](const char*, int64_t v) { used.push_back(v); });
  double worst = 0;
  size_t i = 0;
  r.soc->available.visit([&](const char*, int64_t available) {
    if (available > 0) worst = std::max(worst, static_cast<double>(used[i]) / static_cast<double>(available));
    ++i;
  });
  return worst;
}

std::optional<double> derived_metric(const sim::PointResult& r, const std::string& name) {
  const bool timed = r.ok && r.seconds > 0;
  const std::optional<double> area = silicon_stat(r, "area_mm2");
  if (name == "latency_s" && timed) return r.seconds;
  if (name == "latency_ms" && timed) return r.seconds * 1e3;
  if (name == "throughput_per_s" && timed) return 1.0 / r.seconds;
  if (name == "edp_pj_s" && timed) return r.total.energy_total_pj * r.seconds;
  if (name == "throughput_per_s_per_mm2" && timed && area && *area > 0) return 1.0 / r.seconds / *area;
  if (name == "fpga_utilization") return fpga_utilization(r);
  // A system has no silicon summary; its power is its energy over its time (static: the PS's and PL's).
  if (!r.silicon && timed) {
    const double static_w = r.total.energy_static_pj * 1e-12 / r.seconds;
    const double total_w = r.total.energy_total_pj * 1e-12 / r.seconds;
    if (name == "power_w") return total_w;
    if (name == "power_static_w") return static_w;
    if (name == "power_dynamic_w") return total_w - static_w;
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> point_metric(const sim::PointResult& result,
                                   const std::optional<AccuracyReport>& accuracy, const std::string& name) {
  if (name == "top1") return accuracy ? std::optional<double>(accuracy->top1) : std::nullopt;
  if (auto v = total_stat(result.total, name)) return v;
  if (auto v = silicon_stat(result, name)) return v;
  return derived_metric(result, name);
}

double PointOutcome::constraint_violation() const {
  double violation = 0;
  if (accuracy && !point.accuracy.allows(accuracy->drop()))  // allows() has the comparison's tolerance
    violation = accuracy->drop() - point.accuracy.max_accuracy_drop;
  if (!result.ok) return violation;  // a failed point has no metrics to judge (nor is it on any front)
  for (const MetricConstraint& c : point.constraints)
    violation += c.excess(point_metric(result, accuracy, c.metric).value_or(std::nan("")));
  return violation;
}

std::vector<std::string> PointOutcome::constraint_problems() const {
  std::vector<std::string> problems;
  if (accuracy && !point.accuracy.allows(accuracy->drop()))
    problems.push_back("accuracy drop " + std::to_string(accuracy->drop()) + " > max_accuracy_drop " +
                       std::to_string(point.accuracy.max_accuracy_drop));
  if (!result.ok) return problems;
  for (const MetricConstraint& c : point.constraints) {
    const std::optional<double> v = point_metric(result, accuracy, c.metric);
    if (c.excess(v.value_or(std::nan(""))) == 0) continue;
    std::ostringstream text;
    text << c.metric << " ";
    if (v)
      text << *v;
    else
      text << "(none)";
    if (c.min) text << " [min " << *c.min << "]";
    if (c.max) text << " [max " << *c.max << "]";
    problems.push_back(text.str());
  }
  return problems;
}

double objective_value(const ObjectiveDecl& objective, const sim::PointResult& result,
                       const std::optional<AccuracyReport>& accuracy) {
  std::optional<double> v = point_metric(result, accuracy, objective.column);
  // On an FPGA device area is its resource use.
  if (!v && objective.column == "area_mm2") v = fpga_utilization(result);
  if (!v) return std::nan("");
  return objective.maximised ? -*v : *v;
}

std::vector<double> objective_values(const PointOutcome& p, const std::vector<std::string>& objectives) {
  std::vector<double> v;
  for (const auto& name : objectives)
    v.push_back(objective_value(objective_decl(name), p.result, p.accuracy));
  return v;
}

bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
  bool strictly = false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) continue;
    if (a[i] > b[i]) return false;
    strictly = strictly || a[i] < b[i];
  }
  return strictly;
}

bool golden_ok(const sim::PointResult& r) { return r.ok && (r.golden_match || !r.verified); }
bool eligible(const PointOutcome& p) { return golden_ok(p.result) && p.constraints_ok(); }

}  // namespace deepchip::explorer
