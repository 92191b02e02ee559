// NSGA-II's crowding distance (Deb et al. 2002), shared by the nsga2 survivor selection and the sensitivity
// stage's seed thinning.
#pragma once
#include <vector>

namespace deepchip::explorer {

// The crowding distance of each member of a front, given each member's objective vector (all of one size):
// per objective, the members sorted by it (stable), the two extremes get infinity and each other member the
// gap between its neighbours over the objective's range, summed over objectives. A member whose value of an
// objective is NaN is left out of that objective; an objective with fewer than two values adds nothing.
std::vector<double> crowding_distances(const std::vector<const std::vector<double>*>& front);

}  // namespace deepchip::explorer
