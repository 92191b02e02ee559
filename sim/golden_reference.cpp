#include "sim/golden_reference.hpp"

#include "sim/executor.hpp"
#include "sim/kernels.hpp"

namespace deepchip::sim {

GoldenReference golden_reference(const QuantModel& model, int accumulator_bits, bool lower_weights) {
  GoldenReference g;
  g.tensors = run_golden(model, accumulator_bits);
  g.zero_macs = zero_mac_counts(model, g.tensors);
  g.worst_case_sums = worst_case_accumulators(model);
  for (const auto& l : model.net.layers)
    if (l.is_gemm() && lower_weights && !g.gemm_weights.count(l.params()))
      for (int group = 0; group < l.groups; ++group)
        g.gemm_weights[l.params()].push_back(gemm_weights(model.layers.at(l.params()).weights, l, group));
  return g;
}

}  // namespace deepchip::sim
