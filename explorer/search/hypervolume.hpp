// Hypervolume of a set of points (all objectives minimised): the volume dominated by the set and bounded
// by a reference point, exact, by slicing along the last objective down to a 2-D sweep (fine for the 2–4
// objectives of a sweep; points not below the reference in every objective add nothing).
#pragma once
#include <vector>

namespace deepchip::explorer {

double hypervolume(std::vector<std::vector<double>> points, const std::vector<double>& reference);

}  // namespace deepchip::explorer
