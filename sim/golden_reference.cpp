#include "sim/golden_reference.hpp"

#include "sim/executor.hpp"

namespace deepchip::sim {

GoldenReference golden_reference(const QuantModel& model, int accumulator_bits) {
  GoldenReference g;
  g.tensors = run_golden(model, accumulator_bits);
  g.zero_macs = zero_mac_counts(model, g.tensors);
  g.worst_case_sums = worst_case_accumulators(model);
  return g;
}

}  // namespace deepchip::sim
