// random: `budget` distinct points drawn uniformly from the design space (std::mt19937_64 seeded with
// search.seed; a point drawn twice is drawn again), in one ask.
#include <set>

#include "explorer/search/strategy.hpp"

namespace deepchip::explorer {

namespace {

class RandomSearch : public Search {
 public:
  RandomSearch(const DesignSpace& space, const SearchSpec& spec)
      : space_(space), budget_(spec.budget), rng_(spec.seed) {}

  std::vector<Coords> ask() override {
    std::vector<Coords> points;
    if (asked_) return points;
    asked_ = true;
    std::set<Coords> seen;
    while (static_cast<int64_t>(points.size()) < budget_) {
      Coords c = random_coords(space_, rng_);
      if (seen.insert(c).second) points.push_back(std::move(c));
    }
    return points;
  }
  void tell(const std::vector<Evaluation>&) override {}

 private:
  const DesignSpace& space_;
  int64_t budget_;
  std::mt19937_64 rng_;
  bool asked_ = false;
};

}  // namespace

std::unique_ptr<Search> make_random_search(const DesignSpace& space, const SearchSpec& spec) {
  return std::make_unique<RandomSearch>(space, spec);
}

}  // namespace deepchip::explorer
