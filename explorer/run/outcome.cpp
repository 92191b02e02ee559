#include "explorer/run/outcome.hpp"

#include <cmath>
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

double objective_value(const ObjectiveDecl& objective, const sim::PointResult& result,
                       const std::optional<AccuracyReport>& accuracy) {
  std::optional<double> v;
  if (objective.from_accuracy())
    v = accuracy ? std::optional<double>(accuracy->top1) : std::nullopt;
  else
    v = total_stat(result.total, objective.column);
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
