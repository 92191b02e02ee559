#include "explorer/config/objectives.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/cost/stats.hpp"

namespace deepchip::explorer {

const std::vector<ObjectiveDecl>& objective_decls() {
  static const std::vector<ObjectiveDecl> decls = {
      {"cycles", "cycles", false},
      {"energy", "energy_total_pj", false},
      {"accuracy", "top1", true},
      {"weight_storage", "weight_bits_stored", false},
      {"area", "area_mm2", false},
      {"power", "power_w", false},
      {"latency", "latency_s", false},
      {"edp", "edp_pj_s", false},
      {"throughput", "throughput_per_s", true},
      {"throughput_per_area", "throughput_per_s_per_mm2", true},
  };
  return decls;
}

const ObjectiveDecl& objective_decl(const std::string& name) {
  for (const auto& d : objective_decls())
    if (d.name == name) return d;
  throw std::logic_error("unvalidated objective " + name);
}

std::vector<std::string> objective_names() {
  std::vector<std::string> names;
  for (const auto& d : objective_decls()) names.push_back(d.name);
  return names;
}

const std::vector<MetricDoc>& metric_docs() {
  static const std::vector<MetricDoc> docs = [] {
    std::vector<MetricDoc> d;
    for (const auto& f : sim::layer_stat_docs()) d.push_back({f.name, f.unit, f.doc});
    for (const auto& f : sim::silicon_docs()) d.push_back({f.name, f.unit, f.doc});
#define DEEPCHIP_DERIVED_DOC(name, unit, doc) d.push_back({#name, unit, doc});
    DEEPCHIP_DERIVED_METRICS(DEEPCHIP_DERIVED_DOC)
#undef DEEPCHIP_DERIVED_DOC
    d.push_back({"top1", "ratio", "measured top-1 accuracy (networks with a dataset)"});
    return d;
  }();
  return docs;
}

bool is_metric(const std::string& name) {
  const auto& d = metric_docs();
  return std::any_of(d.begin(), d.end(), [&](const MetricDoc& m) { return m.name == name; });
}

double MetricConstraint::excess(double value) const {
  if (std::isnan(value)) return 1.0;
  // Relative to the bound (to 1 for a bound of 0), finite: a failed point's infinite violation ranks below.
  auto relative = [](double over, double bound) {
    return std::min(over / (bound != 0 ? std::abs(bound) : 1.0), 1e300);
  };
  if (min && value < *min) return relative(*min - value, *min);
  if (max && value > *max) return relative(value - *max, *max);
  return 0.0;
}

}  // namespace deepchip::explorer
