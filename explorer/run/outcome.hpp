// A finished design point as the reports and the search strategies see it, and what they compare it by.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "explorer/config/config.hpp"
#include "explorer/config/objectives.hpp"
#include "explorer/run/workload_cache.hpp"
#include "sim/cost/rtl_area.hpp"
#include "sim/cost/stats.hpp"

namespace deepchip::explorer {

struct PointOutcome {
  PointConfig point;
  sim::PointResult result;
  std::optional<sim::AreaEstimate> area;   // from configs/rtl_area.csv
  std::optional<AccuracyReport> accuracy;  // networks with a dataset
  // accuracy.max_accuracy_drop and the sweep's constraints hold (NaN metrics violate a constraint)
  bool constraints_ok() const { return constraint_violation() == 0; }
  // How far the point is outside its constraints: the accuracy drop beyond max_accuracy_drop plus each
  // constraint's relative excess (MetricConstraint::excess); 0 when within all of them.
  double constraint_violation() const;
  // What is violated, one line each ("area_mm2 2.31 [max 2]"); empty when constraints_ok().
  std::vector<std::string> constraint_problems() const;
};

// A total statistic by its results.csv column name (sim/cost/stats.hpp); none when no such number.
std::optional<double> total_stat(const sim::LayerStats& total, const std::string& column);
// A metric of a point (explorer/config/objectives.hpp) by name; none when the point has no such number
// (the silicon of a system, throughput of a failed point, top1 without accuracy).
std::optional<double> point_metric(const sim::PointResult& result,
                                   const std::optional<AccuracyReport>& accuracy, const std::string& name);
// An objective's value, to be minimised (a maximised one negated); NaN where the point has none (accuracy
// without a dataset), which then does not distinguish points.
double objective_value(const ObjectiveDecl& objective, const sim::PointResult& result,
                       const std::optional<AccuracyReport>& accuracy);
// The values of the named objectives (explorer/config/objectives.hpp; the "objectives" key).
std::vector<double> objective_values(const PointOutcome& p, const std::vector<std::string>& objectives);

// a is at least as good as b in every objective and strictly better in one (NaN objectives ignored).
bool dominates(const std::vector<double>& a, const std::vector<double>& b);

// A point explored at the timing level (unverified) competes; verification then executes it.
bool golden_ok(const sim::PointResult& r);
// ok, golden-matching (or not yet executed) and within its constraints: the points fronts are made of.
bool eligible(const PointOutcome& p);

}  // namespace deepchip::explorer
