// Verification of a point explored at the `timing` level (sweep key verify = pareto): its re-run with
// numerics must be golden-checked and give the very same stats.
#pragma once
#include <string>

#include "sim/cost/stats.hpp"

namespace deepchip::explorer {

// The first stat in which two results of one point differ ("layer conv1: cycles 120 vs 121"), ignoring
// golden_match, verified and reason; "" if they agree on every stat.
std::string stats_difference(const sim::PointResult& a, const sim::PointResult& b);

// The point's result after its verification run: the executed result when it agrees with the timing run,
// else a failed point that says why.
sim::PointResult verified_result(const sim::PointResult& timing, const sim::PointResult& executed);

}  // namespace deepchip::explorer
