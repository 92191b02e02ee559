#include "sim/soc/partition.hpp"

#include <algorithm>
#include <cstdint>

#include "sim/io/errors.hpp"

namespace deepchip::sim {

const char* to_string(Side s) { return s == Side::kArm ? "arm" : "fpga"; }

double objective_value(const Cost& c, PartitionObjective o) {
  switch (o) {
    case PartitionObjective::kLatency:
      return c.seconds;
    case PartitionObjective::kEnergy:
      return c.energy_pj;
    case PartitionObjective::kEdp:
      return c.seconds * c.energy_pj;
  }
  return c.seconds;
}

namespace {

size_t index(Side s) { return static_cast<size_t>(s); }

// The cost of layer i on side s given the sides of its inputs.
template <typename SideOfTensor>
Cost layer_cost(const PartitionProblem& p, size_t i, Side s, SideOfTensor&& side_of) {
  Cost c = p.layer[i][index(s)];
  for (const auto& t : p.net->layers[i].inputs)
    if (side_of(t) != s) c += p.transfer.at(t)[index(s)];
  return c;
}

struct Entry {
  Cost cost;
  std::vector<Side> sides;
};

// Adds `e` to a Pareto set of (seconds, energy) unless an entry is at least as good in both.
void insert_pareto(std::vector<Entry>& set, Entry e) {
  for (const auto& x : set)
    if (x.cost.seconds <= e.cost.seconds && x.cost.energy_pj <= e.cost.energy_pj) return;
  set.erase(std::remove_if(set.begin(), set.end(),
                           [&](const Entry& x) {
                             return e.cost.seconds <= x.cost.seconds && e.cost.energy_pj <= x.cost.energy_pj;
                           }),
            set.end());
  set.push_back(std::move(e));
}

}  // namespace

Cost partition_cost(const PartitionProblem& p, const std::vector<Side>& side) {
  std::map<std::string, Side> produced;
  Cost total;
  for (size_t i = 0; i < p.net->layers.size(); ++i) {
    total += layer_cost(p, i, side[i], [&](const std::string& t) {
      const auto it = produced.find(t);
      return it == produced.end() ? Side::kFpga : it->second;  // network inputs live in DDR
    });
    produced[p.net->layers[i].name] = side[i];
  }
  return total;
}

Partition optimal_partition(const PartitionProblem& p, PartitionObjective objective) {
  const auto& layers = p.net->layers;
  const size_t n = layers.size();
  std::map<std::string, size_t> producer;
  for (size_t i = 0; i < n; ++i) producer[layers[i].name] = i;
  std::vector<size_t> last_use(n, 0);
  for (size_t i = 0; i < n; ++i)
    for (const auto& t : layers[i].inputs)
      if (producer.count(t)) last_use[producer[t]] = std::max(last_use[producer[t]], i);

  std::vector<size_t> live;  // layers whose outputs are still to be consumed; bit k of a state = live[k]
  std::map<uint32_t, std::vector<Entry>> states = {{0u, {Entry{}}}};
  for (size_t i = 0; i < n; ++i) {
    std::vector<size_t> next_live;
    for (size_t j : live)
      if (last_use[j] > i) next_live.push_back(j);
    if (last_use[i] > i) next_live.push_back(i);
    if (next_live.size() > 16)
      throw InputError("partitioning: more than 16 tensors live at layer " + layers[i].name);
    std::map<uint32_t, std::vector<Entry>> next;
    for (const auto& state : states) {
      const uint32_t mask =
          state.first;  // a named copy: lambdas may not capture structured bindings in C++17
      const auto& entries = state.second;
      auto side_in_state = [&](uint32_t m, const std::string& t) {
        const auto it = producer.find(t);
        if (it == producer.end()) return Side::kFpga;
        const size_t k = static_cast<size_t>(std::find(live.begin(), live.end(), it->second) - live.begin());
        return (m >> k) & 1u ? Side::kArm : Side::kFpga;
      };
      for (Side s : {Side::kFpga, Side::kArm}) {
        const Cost step = layer_cost(p, i, s, [&](const std::string& t) { return side_in_state(mask, t); });
        uint32_t next_mask = 0;
        for (size_t k = 0; k < next_live.size(); ++k) {
          const Side ks = next_live[k] == i ? s : side_in_state(mask, layers[next_live[k]].name);
          if (ks == Side::kArm) next_mask |= 1u << k;
        }
        for (const auto& e : entries) {
          Entry x = e;
          x.cost += step;
          x.sides.push_back(s);
          insert_pareto(next[next_mask], std::move(x));
        }
      }
    }
    states = std::move(next);
    live = std::move(next_live);
  }
  const Entry* best = nullptr;
  for (const auto& [mask, entries] : states)
    for (const auto& e : entries)
      if (!best || objective_value(e.cost, objective) < objective_value(best->cost, objective)) best = &e;
  return {best->sides, best->cost};
}

Partition exhaustive_partition(const PartitionProblem& p, PartitionObjective objective) {
  const size_t n = p.net->layers.size();
  if (n > 24) throw InputError("exhaustive partitioning: more than 24 layers");
  Partition best;
  bool first = true;
  for (uint32_t bits = 0; bits < (1u << n); ++bits) {
    std::vector<Side> side(n);
    for (size_t i = 0; i < n; ++i) side[i] = (bits >> i) & 1u ? Side::kArm : Side::kFpga;
    const Cost c = partition_cost(p, side);
    if (first || objective_value(c, objective) < objective_value(best.total, objective)) {
      best = {side, c};
      first = false;
    }
  }
  return best;
}

}  // namespace deepchip::sim
