// random: `budget` distinct points drawn uniformly from the design space (std::mt19937_64 seeded with
// search.seed; a point drawn twice is drawn again), in one ask.
#include <set>

#include "explorer/search/strategy.hpp"

namespace deepchip::explorer {

namespace {

class RandomSearch : public SingleAskSearch {
 public:
  RandomSearch(const DesignSpace& space, const SearchSpec& spec)
      : space_(space), budget_(spec.budget), rng_(spec.seed) {}

 protected:
  std::vector<Coords> points() override {
    std::vector<Coords> points;
    std::set<Coords> seen;
    while (static_cast<int64_t>(points.size()) < budget_) {
      Coords c = random_coords(space_, rng_);
      if (seen.insert(c).second) points.push_back(std::move(c));
    }
    return points;
  }

 private:
  const DesignSpace& space_;
  int64_t budget_;
  std::mt19937_64 rng_;
};

}  // namespace

std::unique_ptr<Search> make_random_search(const DesignSpace& space, const SearchSpec& spec) {
  return std::make_unique<RandomSearch>(space, spec);
}

}  // namespace deepchip::explorer
