// nsga2: NSGA-II (Deb et al. 2002) over the sweep's objectives, on mixed discrete axes.
// - Generation 0: `population` distinct points drawn uniformly.
// - Each next generation: `population` offspring (fewer when the budget runs out), each from two parents
//   picked by binary tournament (lower rank wins, then larger crowding distance), uniform crossover of their
//   coordinates (probability 0.9, else a copy of the first), and mutation of each dimension with
//   probability 1/dimensions (half the time to a neighbouring value of the axis, else to a uniformly drawn
//   one). An offspring already evaluated is mutated again (up to 50 times), then replaced by a fresh random
//   point; points are never evaluated twice.
// - Survivors: parents and offspring sorted into non-dominated fronts, kept front by front, the last front
//   cut by crowding distance.
// Constraints, by Deb's constrained domination (Deb 2000; NSGA-II's own rule): a feasible point dominates
// every infeasible one; of two infeasible points the one with the smaller violation (accuracy drop beyond
// max_accuracy_drop) dominates, so the search climbs towards the feasible region; points that failed (not
// ok, or failed verification) have infinite violation and rank last. Feasible points of different networks
// never dominate each other. `budget` counts evaluated points.
// With search.sensitivity, the sensitivity stage (sensitivity.hpp) runs first: its probes are evaluated,
// then generation 0 is seeded with the policies its additive estimates put on the front within the budget
// (filled up with random points), and probes and seeds together compete for the first population.
#include <algorithm>
#include <optional>
#include <set>

#include "explorer/run/outcome.hpp"
#include "explorer/search/crowding.hpp"
#include "explorer/search/sensitivity.hpp"
#include "explorer/search/strategy.hpp"

namespace deepchip::explorer {

namespace {

struct Individual {
  Coords coords;
  Evaluation eval;
  int rank = 0;
  double crowding = 0;
};

bool constrained_dominates(const Evaluation& a, const Evaluation& b) {
  if (a.feasible != b.feasible) return a.feasible;
  if (!a.feasible) return a.violation < b.violation;
  return a.network == b.network && dominates(a.objectives, b.objectives);
}

// Fast non-dominated sort: the fronts, best first (indices into `pop`); sets each one's rank.
std::vector<std::vector<size_t>> sort_fronts(std::vector<Individual>& pop) {
  const size_t n = pop.size();
  std::vector<std::vector<size_t>> dominated(n);
  std::vector<size_t> dominators(n, 0);
  std::vector<std::vector<size_t>> fronts(1);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      if (constrained_dominates(pop[i].eval, pop[j].eval))
        dominated[i].push_back(j);
      else if (constrained_dominates(pop[j].eval, pop[i].eval))
        ++dominators[i];
    }
    if (dominators[i] == 0) fronts[0].push_back(i);
  }
  for (size_t f = 0; !fronts[f].empty(); ++f) {
    std::vector<size_t> next;
    for (size_t i : fronts[f]) {
      pop[i].rank = static_cast<int>(f);
      for (size_t j : dominated[i])
        if (--dominators[j] == 0) next.push_back(j);
    }
    fronts.push_back(std::move(next));
  }
  fronts.pop_back();
  return fronts;
}

void assign_crowding(std::vector<Individual>& pop, const std::vector<size_t>& front) {
  std::vector<const std::vector<double>*> objectives;
  for (size_t i : front) objectives.push_back(&pop[i].eval.objectives);
  const std::vector<double> crowding = crowding_distances(objectives);
  for (size_t k = 0; k < front.size(); ++k) pop[front[k]].crowding = crowding[k];
}

class Nsga2Search : public Search {
 public:
  Nsga2Search(const DesignSpace& space, const SearchSpec& spec)
      : space_(space),
        budget_(spec.budget),
        population_(static_cast<size_t>(spec.population)),
        rng_(spec.seed) {
    if (spec.sensitivity) {
      sensitivity_.emplace(space);
      stage_ = Stage::kProbes;
    }
  }

  std::vector<Coords> ask() override {
    const int64_t left = budget_ - evaluated_;
    if (left <= 0) return {};
    asked_.clear();
    if (stage_ == Stage::kProbes) {
      const auto& probes = sensitivity_->probes();
      for (size_t i = 0; i < probes.size() && asked_.size() < static_cast<size_t>(left); ++i)
        ask_for(probes[i]);
      return asked_;
    }
    const size_t count = std::min(population_, static_cast<size_t>(left));
    if (stage_ == Stage::kSeeds)
      for (Coords& c : sensitivity_->seeds(probe_results_, count, taken_, rng_)) ask_for(std::move(c));
    while (asked_.size() < count) {
      Coords c = stage_ != Stage::kEvolve || parents_.empty() ? fresh() : offspring();
      if (c.empty()) break;  // the space is exhausted
      ask_for(std::move(c));
    }
    return asked_;
  }

  void tell(const std::vector<Evaluation>& results) override {
    evaluated_ += static_cast<int64_t>(results.size());
    for (size_t i = 0; i < results.size() && i < asked_.size(); ++i)
      parents_.push_back({asked_[i], results[i], 0, 0});
    if (stage_ == Stage::kProbes) {  // the probes wait for the seeds before they compete
      probe_results_ = results;
      stage_ = Stage::kSeeds;
      return;
    }
    stage_ = Stage::kEvolve;
    select_survivors();
  }

 private:
  enum class Stage { kProbes, kSeeds, kEvolve };

  void ask_for(Coords c) {
    taken_.insert(c);
    asked_.push_back(std::move(c));
  }

  Coords fresh() {
    if (static_cast<long double>(taken_.size()) >= space_.size()) return {};
    for (;;) {
      Coords c = random_coords(space_, rng_);
      if (!taken_.count(c)) return c;
    }
  }

  const Individual& tournament() {
    std::uniform_int_distribution<size_t> pick(0, parents_.size() - 1);
    const Individual& a = parents_[pick(rng_)];
    const Individual& b = parents_[pick(rng_)];
    if (a.rank != b.rank) return a.rank < b.rank ? a : b;
    return a.crowding >= b.crowding ? a : b;
  }

  void mutate(Coords& c) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const double rate = 1.0 / static_cast<double>(c.size());
    for (size_t d = 0; d < c.size(); ++d) {
      const uint32_t k = static_cast<uint32_t>(space_.values(d));
      if (k < 2 || unit(rng_) >= rate) continue;
      if (unit(rng_) < 0.5) {
        const bool up = c[d] == 0 || (c[d] + 1 < k && unit(rng_) < 0.5);
        c[d] = up ? c[d] + 1 : c[d] - 1;
      } else {
        c[d] = static_cast<uint32_t>(std::uniform_int_distribution<uint32_t>(0, k - 1)(rng_));
      }
    }
  }

  Coords offspring() {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const Coords& a = tournament().coords;
    const Coords& b = tournament().coords;
    Coords child = a;
    if (unit(rng_) < 0.9)
      for (size_t d = 0; d < child.size(); ++d)
        if (unit(rng_) < 0.5) child[d] = b[d];
    mutate(child);
    for (int tries = 0; tries < 50 && taken_.count(child); ++tries) mutate(child);
    return taken_.count(child) ? fresh() : child;
  }

  void select_survivors() {
    const auto fronts = sort_fronts(parents_);
    std::vector<Individual> next;
    for (const auto& front : fronts) {
      assign_crowding(parents_, front);
      std::vector<size_t> order = front;
      if (next.size() + order.size() > population_)
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return parents_[a].crowding > parents_[b].crowding; });
      for (size_t i : order) {
        if (next.size() == population_) break;
        next.push_back(parents_[i]);
      }
      if (next.size() == population_) break;
    }
    parents_ = std::move(next);
    // Ranks and crowding within the survivors, for the next tournaments.
    for (const auto& front : sort_fronts(parents_)) assign_crowding(parents_, front);
  }

  const DesignSpace& space_;
  int64_t budget_;
  size_t population_;
  std::mt19937_64 rng_;
  int64_t evaluated_ = 0;
  std::set<Coords> taken_;           // every point asked
  std::vector<Coords> asked_;        // the last ask
  std::vector<Individual> parents_;  // the current population (after tell: the survivors)
  std::optional<SensitivityStage> sensitivity_;
  Stage stage_ = Stage::kEvolve;
  std::vector<Evaluation> probe_results_;
};

}  // namespace

std::unique_ptr<Search> make_nsga2_search(const DesignSpace& space, const SearchSpec& spec) {
  return std::make_unique<Nsga2Search>(space, spec);
}

}  // namespace deepchip::explorer
