// How a search's front grew: after each generation (nsga2) or every `population` points (the other
// strategies), the hypervolume of the eligible points' front, per network. Objectives are normalised over
// all of the network's eligible points, (value - ideal) / (nadir - ideal), with the reference point at 1.1
// in each (so 1.1^objectives bounds it); summary.json gives the reference in the objectives' own units.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "explorer/run/outcome.hpp"

namespace deepchip::explorer {

// `outcomes` in evaluation order; `generation_ends`: how many of them each generation had evaluated
// (ascending, the last = outcomes.size()).
nlohmann::json front_history(const std::vector<PointOutcome>& outcomes,
                             const std::vector<size_t>& generation_ends,
                             const std::vector<std::string>& objectives);

}  // namespace deepchip::explorer
