// What the golden executor gives a design point: the tensors an executed point is compared with, the
// zero-MAC counts the `timing` level takes instead of counting them on data, and the worst-case accumulator
// sums of the overflow check. All depend only on the compressed model and the accumulator width, so a sweep
// computes them once per model in the parent (explorer::WorkloadCache) and the workers share them
// copy-on-write.
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "sim/exec/im2col.hpp"
#include "sim/exec/zero_macs.hpp"
#include "sim/ir/model.hpp"

namespace deepchip::sim {

struct GoldenReference {
  std::map<std::string, IntTensor> tensors;
  ZeroMacCounts zero_macs;
  std::map<std::string, int64_t> worst_case_sums;  // worst_case_accumulators (sim/exec/golden.hpp)
  // The weights as the golden GEMMs take them (sim::gemm_weights), lowered once for every point of the
  // model: the executing arrays read them too (a ResNet-18 is 11 M transposed elements per point).
  GemmWeights gemm_weights;
};

// lower_weights: also gemm_weights (points that execute numerics read them; a timing point does not, and a
// large model's second copy of its weights is then not made). keep_tensors false: no tensors (a timing point
// alone: each is freed after its last reader, so the run holds only what is live).
GoldenReference golden_reference(const QuantModel& model, int accumulator_bits, bool lower_weights = true,
                                 bool keep_tensors = true);

}  // namespace deepchip::sim
