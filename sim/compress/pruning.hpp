// Magnitude pruning of a float model's GEMM weights (sim/README.md "Pruning").
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/ir/model.hpp"

namespace deepchip::sim {

// Zeroes weights of the GEMM layers in place, by magnitude (sim/README.md "Pruning"): per layer, or with one
// threshold across the layers without an override; in blocks of block_k x block_n of each group's GEMM
// weight matrix, ranked by mean |w|; exactly round(sparsity * count) weights or blocks.
void prune(FloatModel& model, const QuantConfig& config);

}  // namespace deepchip::sim
