// The golden integer executor, which defines the bit-exact semantics every model is checked against
// (sim/README.md "Integer semantics"), and the accumulator bounds of a quantized model.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "sim/exec/weight_keeping.hpp"
#include "sim/ir/model.hpp"

namespace deepchip::sim {

struct NoiseModel;
struct NoiseDraw;

// Integer semantics of one conv/fc layer: accumulate x*w over K in `accumulator_bits` two's-complement
// arithmetic (wrap-around), add the bias, requantize, clamp to the output range.
IntTensor golden_gemm_layer(const IntTensor& input, const Layer& layer, const QuantLayer& q,
                            int accumulator_bits);

// Runs the quantized model; returns every tensor by name.
std::map<std::string, IntTensor> run_golden(const QuantModel& model, int accumulator_bits);
// The same on other (quantized) inputs than the model's own.
std::map<std::string, IntTensor> run_golden(const QuantModel& model, int accumulator_bits,
                                            const std::map<std::string, IntTensor>& inputs);

// With a noise model (sim/exec/noise.hpp, which must outlive the runner too), the accumulators of its layers
// are perturbed; `noise_stream` keys the draws (one per image and repeat). Without one, run() is exact.
class GoldenRunner {
 public:
  // threads: a layer's GEMM rows split over this many threads (<= 0: every core); the same sums on any
  // number. 1 where many runs go in parallel already (accuracy over images).
  GoldenRunner(const QuantModel& model, int accumulator_bits, const NoiseModel* noise = nullptr,
               WeightKeeping keeping = WeightKeeping::kKept, int threads = 1);
  ~GoldenRunner();
  std::map<std::string, IntTensor> run(const std::map<std::string, IntTensor>& inputs,
                                       uint64_t noise_stream = 0) const;
  // One layer on tensors that hold its inputs.
  IntTensor run_layer(const Layer& layer, const std::map<std::string, IntTensor>& tensors,
                      uint64_t noise_stream = 0) const;

 private:
  struct Weights;
  NoiseDraw noise_draw(const Layer& layer, uint64_t stream) const;
  const QuantModel& model_;
  int accumulator_bits_;
  const NoiseModel* noise_;
  int threads_;
  std::unique_ptr<const Weights> weights_;
};

// Largest |accumulator| any input in range can produce in this layer (exact worst case over inputs).
int64_t worst_case_accumulator(const QuantModel& model, const Layer& layer);
// Quantization saturates a bias at +-kSaturatedBias (int32); such a layer counts as needing over 32 bits.
constexpr int64_t kSaturatedBias = 2147483647;
// "accumulator too narrow for layer ..." when `worst` does not fit `accumulator_bits` (signed), else "".
std::string accumulator_problem(const Layer& layer, int64_t worst, int accumulator_bits);
// The same for every conv/fc layer, by name (hardware-independent: a sweep computes it once per model).
std::map<std::string, int64_t> worst_case_accumulators(const QuantModel& model);

}  // namespace deepchip::sim
