// Partitioning a network between the ARM cores and the FPGA accelerator (models/README.md "Partitioning").
// Cost model: every layer has a time and an energy on each side; every edge u -> v whose ends are on
// different sides costs one transfer of u's output through DDR plus a handoff, in the direction of v.
// Network inputs live in DDR, i.e. on the FPGA side. Times and energies add up along the (sequential)
// execution, so the best assignment is found exactly by dynamic programming over the layers in topological
// order, whose state is the side of every live tensor (produced, still to be consumed): 2 states for a
// chain, 4 or 8 for residual networks. Each state keeps the Pareto set of (time, energy) so that the
// energy-delay product, which does not add up, is exact too.
#pragma once
#include <array>
#include <map>
#include <string>
#include <vector>

#include "sim/ir/network.hpp"

namespace deepchip::sim {

enum class Side { kFpga = 0, kArm = 1 };
const char* to_string(Side s);
enum class PartitionObjective { kLatency, kEnergy, kEdp };

struct Cost {
  double seconds = 0;
  double energy_pj = 0;
  Cost& operator+=(const Cost& o) {
    seconds += o.seconds, energy_pj += o.energy_pj;
    return *this;
  }
};
double objective_value(const Cost& c, PartitionObjective o);

struct PartitionProblem {
  const Network* net = nullptr;
  std::vector<std::array<Cost, 2>> layer;  // by layer index, [Side]
  // By tensor (layer output or network input): [Side of the consumer] = the cost of bringing it there
  // from the other side (unused entry: its own side).
  std::map<std::string, std::array<Cost, 2>> transfer;
};

struct Partition {
  std::vector<Side> side;  // by layer index
  Cost total;
};

// Total cost of an assignment under the model above.
Cost partition_cost(const PartitionProblem& p, const std::vector<Side>& side);
// The optimum by dynamic programming (exact); throws InputError if some point has more than 16 live tensors.
Partition optimal_partition(const PartitionProblem& p, PartitionObjective objective);
// The optimum by trying all 2^n assignments (n <= 24), for testing the above.
Partition exhaustive_partition(const PartitionProblem& p, PartitionObjective objective);

}  // namespace deepchip::sim
