// Executors: the float reference and the golden integer executor that defines the bit-exact semantics.
#pragma once
#include <map>
#include <string>

#include "sim/model.hpp"

namespace deepchip::sim {

// Runs the float model; returns every tensor (network inputs and layer outputs) by name.
std::map<std::string, FloatTensor> run_float(const FloatModel& model);
// The same on other inputs than the model's own (no copy of the model).
std::map<std::string, FloatTensor> run_float(const FloatModel& model,
                                             const std::map<std::string, FloatTensor>& inputs);

// Integer semantics of one conv/fc layer: accumulate x*w over K in `accumulator_bits` two's-complement
// arithmetic (wrap-around), add the bias, requantize, clamp to the output range.
IntTensor golden_gemm_layer(const IntTensor& input, const Layer& layer, const QuantLayer& q,
                            int accumulator_bits);

// Runs the quantized model; returns every tensor by name.
std::map<std::string, IntTensor> run_golden(const QuantModel& model, int accumulator_bits);
// The same on other (quantized) inputs than the model's own.
std::map<std::string, IntTensor> run_golden(const QuantModel& model, int accumulator_bits,
                                            const std::map<std::string, IntTensor>& inputs);

// Largest |accumulator| any input in range can produce in this layer (exact worst case over inputs).
int64_t worst_case_accumulator(const QuantModel& model, const Layer& layer);

}  // namespace deepchip::sim
