// A network with parameters: float (synthetic or loaded) and quantized (integer) forms.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/ir/network.hpp"
#include "sim/ir/tensor.hpp"

namespace deepchip::sim {

// Parameters of a conv/fc layer. Weights are [out_channel][kernel_y][kernel_x][in_channel_of_group].
// Scales of a layer whose weights were trained ternary: every weight is exactly +wp, 0 or -wn.
struct TernaryScales {
  double wp = 0, wn = 0;
};
// The scales if `weights` take only the values {-wn, 0, +wp} with both signs present, else nothing.
std::optional<TernaryScales> ternary_values(const std::vector<float>& weights);

struct FloatParams {
  std::vector<float> weights;
  std::vector<float> bias;
  // Set for imported layers trained ternary (e.g. by Trained Ternary Quantization): the ternary format then
  // uses these trained scales and the trained zero pattern instead of the threshold and threshold means.
  std::optional<TernaryScales> trained_ternary;
};

struct FloatModel {
  Network net;
  std::map<std::string, FloatParams>
      params;  // by layer name: GEMM layers, and affine layers' scale and shift
  std::map<std::string, FloatTensor> inputs;  // by network input name
};

// How a tensor's integers map to reals: real = scale * q, q in [qmin, qmax] (symmetric, no zero point).
struct TensorQuant {
  double scale = 1.0;
  bool is_signed = false;
  int bits = 8;
  int32_t qmin = 0;
  int32_t qmax = 255;
};
TensorQuant make_tensor_quant(int bits, bool is_signed, double max_abs_real);

enum class WeightFormat { kInt, kTernary, kBinary };
enum class WeightGranularity { kPerChannel, kPerTensor };  // of int weight scales (QuantConfig::per_channel)
enum class PruningScope { kLayer, kGlobal };               // QuantConfig::global_pruning
enum class HuffmanMode { kOff, kOn, kZeroRle };

// Per-layer settings that override the defaults of QuantConfig (unset fields keep the default).
struct LayerOverride {
  std::optional<WeightFormat> weight_format;
  std::optional<int> weight_bits;
  std::optional<double> sparsity;
};

// The resolved compression of one layer.
struct LayerFormat {
  WeightFormat format = WeightFormat::kInt;
  int weight_bits = 8;  // int format only
  double sparsity = 0;  // pruning target
};

struct QuantConfig {
  int weight_bits = 8;      // 2..16, symmetric: [-(2^(b-1)-1), 2^(b-1)-1]
  int activation_bits = 8;  // 2..16; unsigned after ReLU, signed otherwise
  bool per_channel = true;  // int weight scales per output channel (else per tensor)
  WeightFormat weight_format = WeightFormat::kInt;
  double ternary_threshold = 0.05;  // DeepChip: delta = t * max|W| per layer
  int first_last_weight_bits = 0;   // > 0: first and last GEMM layers use int with these bits (DeepChip)
  double sparsity = 0;              // magnitude pruning target (fraction of weights or blocks)
  bool global_pruning = false;      // one magnitude threshold across layers (else per layer)
  int block_k = 1, block_n = 1;     // pruning block in the GEMM weight matrix (K x N); 1x1 = unstructured
  HuffmanMode huffman = HuffmanMode::kOff;
  std::map<std::string, LayerOverride> overrides;

  LayerFormat format_of(const Network& net, const Layer& layer) const;
};

// Integer requantization y = (acc * multiplier + 2^(shift-1)) >> shift, rounding half up (toward +inf).
struct Requant {
  int32_t multiplier = 0;  // in [2^30, 2^31) unless the real multiplier is tiny or huge
  int shift = 0;           // 0..62
};
Requant make_requant(double real_multiplier);
int64_t apply_requant(int64_t acc, const Requant& r);

struct QuantLayer {
  WeightFormat format = WeightFormat::kInt;
  int stored_weight_bits =
      8;  // bits per weight in the weight buffer: b (int), 2 (ternary), 1 (binary, no zeros)
  // Ternary/binary: weights are codes t in {-1, 0, +1} times integer scales; the effective integer weight
  // (below) is +pos_scale, 0 or -neg_scale (binary: +-1). The hardware accumulates sum(x | t=+1) and
  // sum(x | t=-1) without multipliers and applies the scales once per output.
  int32_t pos_scale = 1, neg_scale = 1;
  bool trained_ternary_scales = false;  // ternary: scales and zeros from the trained model (FloatParams)
  std::vector<int32_t> weights;         // effective integer weights, same layout as FloatParams::weights
  std::vector<int32_t> bias;            // per output channel, in accumulator units (scale_in * scale_w)
  std::vector<Requant> requant;         // conv/fc: per output channel; add, concat: one per input; mul: one
  std::vector<int32_t> table;  // lookup: the output code of input codes table_first, table_first + 1, ...
  int32_t table_first = 0;
  int32_t pad_code = 0;         // pad: the constant as an output code
  std::vector<int64_t> offset;  // affine: per channel, the shift in output units times 2^requant.shift;
                                // layernorm: per channel, beta in output units times 2^16
  std::vector<int64_t> norm_multiplier;  // layernorm: per channel, gamma in output units times 2^16
  int64_t norm_epsilon = 0;              // layernorm: epsilon in (C * input code)^2 units
  // softmax: table[k] = round(2^15 e^(-k * s_in)), k = 0 .. qmax - qmin of the input
  std::vector<double> weight_scale;
  TensorQuant out;
};

// Weight storage of one layer (sim/compress/compression.hpp computes it).
struct WeightStorage {
  int64_t weights = 0;
  int64_t zero_weights = 0;
  int64_t code_bits = 0;     // weights x stored bits per weight (no entropy coding)
  int64_t huffman_bits = 0;  // encoded bitstream (Huffman on)
  int64_t table_bits = 0;    // canonical code table (Huffman on)
  int64_t scale_bits = 0;    // weight scales, 32 bits each
  int64_t stored_bits = 0;   // what the model occupies
  double compression_vs_fp32() const {
    return stored_bits > 0 ? static_cast<double>(weights) * 32.0 / static_cast<double>(stored_bits) : 0.0;
  }
  void add(const WeightStorage& o);
};

struct QuantModel {
  Network net;
  QuantConfig config;
  std::map<std::string, QuantLayer> layers;         // every layer
  std::map<std::string, IntTensor> inputs;          // quantized network inputs
  std::map<std::string, TensorQuant> tensor_quant;  // every tensor (inputs and layer outputs)
  std::map<std::string, WeightStorage> storage;     // GEMM layers, computed once per compression setting
};

}  // namespace deepchip::sim
