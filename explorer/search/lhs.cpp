// lhs: a Latin hypercube of `budget` points over every dimension (the network and each axis). Dimension d's
// n strata are a random permutation; point i takes, in dimension d, the value at the position its stratum
// covers: floor((perm_d[i] + u) * k_d / n) for k_d values and u uniform in [0, 1). Each value of an axis
// is so used about n / k_d times, every stratum once. Where two points coincide (few values, many points)
// the later one is replaced by a uniformly drawn point not yet taken.
#include <algorithm>
#include <numeric>
#include <set>

#include "explorer/search/strategy.hpp"

namespace deepchip::explorer {

namespace {

class LhsSearch : public SingleAskSearch {
 public:
  LhsSearch(const DesignSpace& space, const SearchSpec& spec)
      : space_(space), budget_(static_cast<size_t>(spec.budget)), rng_(spec.seed) {}

 protected:
  std::vector<Coords> points() override {
    std::vector<Coords> points(budget_, Coords(space_.dimensions()));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (size_t d = 0; d < space_.dimensions(); ++d) {
      std::vector<size_t> strata(budget_);
      std::iota(strata.begin(), strata.end(), 0);
      std::shuffle(strata.begin(), strata.end(), rng_);
      const double k = static_cast<double>(space_.values(d));
      for (size_t i = 0; i < budget_; ++i) {
        const double position =
            (static_cast<double>(strata[i]) + unit(rng_)) * k / static_cast<double>(budget_);
        points[i][d] = static_cast<uint32_t>(std::min(k - 1, std::floor(position)));
      }
    }
    std::set<Coords> seen;
    for (auto& c : points)
      while (!seen.insert(c).second) c = random_coords(space_, rng_);
    return points;
  }

 private:
  const DesignSpace& space_;
  size_t budget_;
  std::mt19937_64 rng_;
};

}  // namespace

std::unique_ptr<Search> make_lhs_search(const DesignSpace& space, const SearchSpec& spec) {
  return std::make_unique<LhsSearch>(space, spec);
}

}  // namespace deepchip::explorer
