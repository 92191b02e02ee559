// A network with parameters: float (synthetic or loaded) and quantized (integer) forms.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/network.hpp"
#include "sim/tensor.hpp"

namespace deepchip::sim {

// Parameters of a conv/fc layer. Weights are [out_channel][kernel_y][kernel_x][in_channel_of_group].
struct FloatParams {
  std::vector<float> weights;
  std::vector<float> bias;
};

struct FloatModel {
  Network net;
  std::map<std::string, FloatParams> params;  // by layer name, GEMM layers only
  std::map<std::string, FloatTensor> inputs;  // by network input name
};

// Deterministic synthetic parameters and inputs (README "Synthetic weights"): weights ~ N(0, 2/fan_in)
// (He), biases ~ U(-0.1, 0.1), inputs ~ U[0, 1), from a counter-based generator (splitmix64 + Box-Muller)
// so the values are identical on every platform for a given seed and layer name.
FloatModel make_synthetic_model(const Network& net, uint64_t seed);

// How a tensor's integers map to reals: real = scale * q, q in [qmin, qmax] (symmetric, no zero point).
struct TensorQuant {
  double scale = 1.0;
  bool is_signed = false;
  int bits = 8;
  int32_t qmin = 0;
  int32_t qmax = 255;
};
TensorQuant make_tensor_quant(int bits, bool is_signed, double max_abs_real);

struct QuantConfig {
  int weight_bits = 8;      // 2..16, symmetric: [-(2^(b-1)-1), 2^(b-1)-1]
  int activation_bits = 8;  // 2..16; unsigned after ReLU, signed otherwise
  bool per_channel = true;  // weight scales per output channel (else per tensor)
};

// Integer requantization y = (acc * multiplier + 2^(shift-1)) >> shift, rounding half up (toward +inf).
struct Requant {
  int32_t multiplier = 0;  // in [2^30, 2^31) unless the real multiplier is tiny or huge
  int shift = 0;           // 0..62
};
Requant make_requant(double real_multiplier);
int64_t apply_requant(int64_t acc, const Requant& r);

struct QuantLayer {
  std::vector<int32_t> weights;  // same layout as FloatParams::weights
  std::vector<int32_t> bias;     // per output channel, in accumulator units (scale_in * scale_w)
  std::vector<Requant> requant;  // conv/fc: per output channel; add: one per input
  std::vector<double> weight_scale;
  TensorQuant out;
};

struct QuantModel {
  Network net;
  QuantConfig config;
  std::map<std::string, QuantLayer> layers;         // every layer
  std::map<std::string, IntTensor> inputs;          // quantized network inputs
  std::map<std::string, TensorQuant> tensor_quant;  // every tensor (inputs and layer outputs)
};

// Post-training quantization calibrated on the model's own inputs (per-tensor max of the float run).
QuantModel quantize(const FloatModel& model, const QuantConfig& config);

}  // namespace deepchip::sim
