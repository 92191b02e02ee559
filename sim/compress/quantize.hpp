// Calibration and post-training quantization of a float model (sim/README.md "Quantization").
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/ir/model.hpp"

namespace deepchip::sim {

// Per-tensor range of the float activations over a calibration set (every tensor, by name).
struct TensorRange {
  double max_abs = 0;
  bool has_negative = false;
};
using TensorRanges = std::map<std::string, TensorRange>;
TensorRanges calibrate(const FloatModel& model,
                       const std::vector<std::map<std::string, FloatTensor>>& inputs);

// Pruning, then post-training quantization in each layer's format, with activation scales from the
// per-tensor max |x| of the pruned float model over the calibration inputs (by default the model's own
// inputs). The model's own inputs are quantized with the resulting input scales.
QuantModel quantize(const FloatModel& model, const QuantConfig& config);
QuantModel quantize(const FloatModel& model, const QuantConfig& config,
                    const std::vector<std::map<std::string, FloatTensor>>& calibration_inputs);

// The weight codes a layer stores (int: the integer weights; ternary/binary: t in {-1, 0, +1}).
std::vector<int32_t> weight_codes(const QuantLayer& q);

}  // namespace deepchip::sim
