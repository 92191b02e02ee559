// grid: every point of the design space, in grid order (networks outermost, the last axis fastest), in one
// ask. Validation keeps grid sweeps at or under kMaxGridPoints.
#include "explorer/search/strategy.hpp"

namespace deepchip::explorer {

namespace {

class GridSearch : public SingleAskSearch {
 public:
  explicit GridSearch(const DesignSpace& space) : space_(space) {}

 protected:
  std::vector<Coords> points() override {
    std::vector<Coords> all;
    const auto count = static_cast<uint64_t>(space_.size());
    for (uint64_t i = 0; i < count; ++i) all.push_back(space_.grid_coords(i));
    return all;
  }

 private:
  const DesignSpace& space_;
};

}  // namespace

std::unique_ptr<Search> make_grid_search(const DesignSpace& space) {
  return std::make_unique<GridSearch>(space);
}

}  // namespace deepchip::explorer
