// Search strategies behind one ask/tell interface: the strategy proposes points of the design space
// (ask), the runner evaluates them and reports the results in the same order (tell). A strategy is
// deterministic given its seed and the results it is told, so a resumed sweep replays it: the same asks
// come back, and the runner answers from the result store where it can. One file per strategy.
#pragma once
#include <cstdint>
#include <limits>
#include <memory>
#include <random>
#include <vector>

#include "explorer/config/config.hpp"
#include "explorer/search/design_space.hpp"

namespace deepchip::explorer {

// What a strategy learns of an evaluated point.
struct Evaluation {
  bool feasible = false;           // ok, golden-consistent and within its constraints
  std::vector<double> objectives;  // all minimised; NaN where the point has no value
  uint32_t network = 0;            // points of different networks are never compared
  // How far an ok, golden-consistent point is over its constraints (accuracy drop beyond
  // max_accuracy_drop); 0 when feasible, infinity when the point failed or was not evaluated.
  double violation = std::numeric_limits<double>::infinity();
  double accuracy_drop = std::numeric_limits<double>::quiet_NaN();  // NaN without a dataset
  double max_accuracy_drop = std::numeric_limits<double>::infinity();
};

class Search {
 public:
  virtual ~Search() = default;
  // The next points to evaluate, distinct from every point asked before; empty when the search is done.
  virtual std::vector<Coords> ask() = 0;
  // The results of the last ask's points, in its order.
  virtual void tell(const std::vector<Evaluation>& results) = 0;
};

// A strategy that decides all its points up front (grid, random, lhs): one ask, and nothing to learn.
class SingleAskSearch : public Search {
 public:
  std::vector<Coords> ask() final {
    if (asked_) return {};
    asked_ = true;
    return points();
  }
  void tell(const std::vector<Evaluation>&) final {}

 protected:
  virtual std::vector<Coords> points() = 0;

 private:
  bool asked_ = false;
};

std::unique_ptr<Search> make_grid_search(const DesignSpace& space);
std::unique_ptr<Search> make_random_search(const DesignSpace& space, const SearchSpec& spec);
std::unique_ptr<Search> make_lhs_search(const DesignSpace& space, const SearchSpec& spec);
std::unique_ptr<Search> make_nsga2_search(const DesignSpace& space, const SearchSpec& spec);
std::unique_ptr<Search> make_search(const DesignSpace& space, const SearchSpec& spec);

// A coordinate vector drawn uniformly (the strategies' shared source of fresh points).
Coords random_coords(const DesignSpace& space, std::mt19937_64& rng);

}  // namespace deepchip::explorer
