#include "explorer/run/outcome.hpp"

#include <cmath>

namespace deepchip::explorer {

std::vector<double> objective_values(const PointOutcome& p, const std::vector<std::string>& objectives) {
  std::vector<double> v;
  for (const auto& name : objectives) {
    const auto& t = p.result.total;
    if (name == "cycles")
      v.push_back(static_cast<double>(t.cycles));
    else if (name == "energy")
      v.push_back(t.energy_total_pj);
    else if (name == "weight_storage")
      v.push_back(static_cast<double>(t.weight_bits_stored));
    else if (name == "accuracy")
      v.push_back(p.accuracy ? -p.accuracy->top1 : std::nan(""));
  }
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
