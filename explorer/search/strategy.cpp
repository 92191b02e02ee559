#include "explorer/search/strategy.hpp"

namespace deepchip::explorer {

Coords random_coords(const DesignSpace& space, std::mt19937_64& rng) {
  Coords c(space.dimensions());
  for (size_t d = 0; d < c.size(); ++d)
    c[d] = static_cast<uint32_t>(std::uniform_int_distribution<uint64_t>(0, space.values(d) - 1)(rng));
  return c;
}

std::unique_ptr<Search> make_search(const DesignSpace& space, const SearchSpec& spec) {
  switch (spec.strategy) {
    case SearchStrategy::kGrid:
      return make_grid_search(space);
    case SearchStrategy::kRandom:
      return make_random_search(space, spec);
    case SearchStrategy::kLhs:
      return make_lhs_search(space, spec);
    case SearchStrategy::kNsga2:
      return make_nsga2_search(space, spec);
  }
  return make_grid_search(space);
}

}  // namespace deepchip::explorer
