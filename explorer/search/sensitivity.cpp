#include "explorer/search/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>

#include "explorer/run/outcome.hpp"
#include "explorer/search/crowding.hpp"
#include "sim/util/enum_names.hpp"

namespace deepchip::explorer {

namespace {

constexpr uint64_t kMaxPolicies = 1000000;

// How much a value of a per-layer setting compresses (lower: less), to find the baseline.
double compression_rank(const Axis& axis, const nlohmann::json& value) {
  if (axis.name == "weight_bits") return -value.get<double>();
  if (axis.name == "sparsity") return value.get<double>();
  if (axis.name == "weight_format")  // int, ternary, binary: the enum's order
    return static_cast<double>(*sim::enum_from_name<sim::WeightFormat>(value.get<std::string>()));
  return 0;  // an unknown setting: its first value
}

uint32_t least_compressing(const Axis& axis) {
  uint32_t best = 0;
  for (uint32_t i = 1; i < axis.values.size(); ++i)
    if (compression_rank(axis, axis.values[i]) < compression_rank(axis, axis.values[best])) best = i;
  return best;
}

double finite_or_zero(double v) { return std::isnan(v) ? 0.0 : v; }

struct Candidate {
  Coords coords;
  std::vector<double> objectives;  // estimated
  double crowding = 0;
};

// The non-dominated candidates among `pool` (indices), by the estimated objectives.
std::vector<size_t> first_front(const std::vector<Candidate>& all, const std::vector<size_t>& pool) {
  std::vector<size_t> front;
  for (size_t i : pool) {
    bool dominated = false;
    for (size_t j : front)
      if (dominates(all[j].objectives, all[i].objectives)) {
        dominated = true;
        break;
      }
    if (dominated) continue;
    front.erase(std::remove_if(front.begin(), front.end(),
                               [&](size_t j) { return dominates(all[i].objectives, all[j].objectives); }),
                front.end());
    front.push_back(i);
  }
  std::sort(front.begin(), front.end());
  return front;
}

// NSGA-II's crowding distance within `front`.
void crowd(std::vector<Candidate>& all, const std::vector<size_t>& front) {
  std::vector<const std::vector<double>*> objectives;
  for (size_t i : front) objectives.push_back(&all[i].objectives);
  const std::vector<double> crowding = crowding_distances(objectives);
  for (size_t k = 0; k < front.size(); ++k) all[front[k]].crowding = crowding[k];
}

}  // namespace

SensitivityStage::SensitivityStage(const DesignSpace& space) {
  baseline_.assign(space.dimensions(), 0);
  std::map<std::string, size_t> group_of_layer;
  for (size_t a = 0; a < space.axes().size(); ++a) {
    const Axis& axis = space.axes()[a];
    if (axis.layer.empty()) continue;
    baseline_[a + 1] = least_compressing(axis);
    auto [it, added] = group_of_layer.emplace(axis.layer, groups_.size());
    if (added) groups_.emplace_back();
    groups_[it->second].dims.push_back(a + 1);
  }
  probes_.push_back(baseline_);
  std::map<Coords, size_t> probe_index{{baseline_, 0}};
  for (auto& g : groups_) {
    Coords choice(g.dims.size(), 0);
    for (bool more = true; more;) {
      g.choices.push_back(choice);
      const Coords c = with_choice(baseline_, g, choice);
      auto [it, added] = probe_index.emplace(c, probes_.size());
      if (added) probes_.push_back(c);
      g.probe_of_choice.push_back(it->second);
      more = false;  // the next combination, the last dimension fastest
      for (size_t d = g.dims.size(); d-- > 0;) {
        if (++choice[d] < space.values(g.dims[d])) {
          more = true;
          break;
        }
        choice[d] = 0;
      }
    }
  }
}

Coords SensitivityStage::with_choice(Coords c, const LayerGroup& g, const Coords& choice) const {
  for (size_t d = 0; d < g.dims.size(); ++d) c[g.dims[d]] = choice[d];
  return c;
}

std::vector<Coords> SensitivityStage::seeds(const std::vector<Evaluation>& evaluations, size_t count,
                                            const std::set<Coords>& taken, std::mt19937_64& rng) const {
  if (evaluations.size() < probes_.size() || std::isinf(evaluations[0].violation)) return {};
  const Evaluation& base = evaluations[0];
  // Per layer: its usable choices (their probe succeeded) with their objective and drop deltas.
  struct Effect {
    size_t choice;
    std::vector<double> objectives;
    double drop;
  };
  std::vector<std::vector<Effect>> effects(groups_.size());
  for (size_t g = 0; g < groups_.size(); ++g) {
    for (size_t k = 0; k < groups_[g].choices.size(); ++k) {
      const Evaluation& e = evaluations[groups_[g].probe_of_choice[k]];
      if (std::isinf(e.violation)) continue;
      Effect effect{k, {}, finite_or_zero(e.accuracy_drop - base.accuracy_drop)};
      for (size_t m = 0; m < base.objectives.size(); ++m)
        effect.objectives.push_back(finite_or_zero(e.objectives[m] - base.objectives[m]));
      effects[g].push_back(std::move(effect));
    }
    if (effects[g].empty()) return {};
  }
  long double policies = 1;
  for (const auto& e : effects) policies *= static_cast<long double>(e.size());
  const bool exhaustive = policies <= static_cast<long double>(kMaxPolicies);
  const uint64_t draws = exhaustive ? static_cast<uint64_t>(policies) : kMaxPolicies;
  std::vector<Candidate> candidates;
  std::set<Coords> seen;
  std::vector<size_t> pick(groups_.size(), 0);
  for (uint64_t n = 0; n < draws; ++n) {
    if (exhaustive) {  // mixed-radix count, the last layer fastest
      uint64_t rest = n;
      for (size_t g = groups_.size(); g-- > 0;) {
        pick[g] = rest % effects[g].size();
        rest /= effects[g].size();
      }
    } else {
      for (size_t g = 0; g < groups_.size(); ++g)
        pick[g] = std::uniform_int_distribution<size_t>(0, effects[g].size() - 1)(rng);
    }
    Coords c = baseline_;
    double drop = finite_or_zero(base.accuracy_drop);
    std::vector<double> objectives = base.objectives;
    for (auto& v : objectives) v = finite_or_zero(v);
    for (size_t g = 0; g < groups_.size(); ++g) {
      const Effect& e = effects[g][pick[g]];
      c = with_choice(std::move(c), groups_[g], groups_[g].choices[e.choice]);
      drop += e.drop;
      for (size_t m = 0; m < objectives.size(); ++m) objectives[m] += e.objectives[m];
    }
    if (drop > base.max_accuracy_drop + 1e-12 || taken.count(c) || !seen.insert(c).second) continue;
    candidates.push_back({std::move(c), std::move(objectives), 0});
  }
  std::vector<size_t> pool(candidates.size());
  for (size_t i = 0; i < pool.size(); ++i) pool[i] = i;
  std::vector<Coords> out;
  while (out.size() < count && !pool.empty()) {
    std::vector<size_t> front = first_front(candidates, pool);
    if (out.size() + front.size() > count) {
      crowd(candidates, front);
      std::stable_sort(front.begin(), front.end(),
                       [&](size_t a, size_t b) { return candidates[a].crowding > candidates[b].crowding; });
      front.resize(count - out.size());
    }
    for (size_t i : front) out.push_back(candidates[i].coords);
    std::sort(front.begin(), front.end());
    std::vector<size_t> rest;
    std::set_difference(pool.begin(), pool.end(), front.begin(), front.end(), std::back_inserter(rest));
    pool = std::move(rest);
  }
  return out;
}

}  // namespace deepchip::explorer
