// The network IR: a DAG of layers over named tensors. Every layer's output tensor carries the layer's
// name; network inputs are named tensors of given shape. Tensor layout is HWC (see tensor.hpp).
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/ir/tensor.hpp"

namespace deepchip::sim {

// Conv and FC run on the array; every other kind on the vector unit (sim/README.md "Integer semantics").
enum class LayerKind {
  kConv,
  kFullyConnected,
  kMaxPool,
  kAvgPool,
  kRelu,
  kAdd,      // a + b, b broadcast (same shape, 1x1xC or 1x1x1)
  kMul,      // a * b, b broadcast as for add (squeeze-excitation scales a map by 1x1xC)
  kConcat,   // the inputs one after another along concat_axis (channels by default), the other axes equal
  kLookup,   // a unary function (Layer::function): a table of 2^activation_bits entries in the integer path
  kPad,      // constant padding (pad_* fields, pad_value)
  kSlice,    // channels [slice_begin, slice_begin + out_channels) of the input
  kShuffle,  // a channel permutation: output channel c is input channel channel_order[c]
  kAffine,   // x * scale + shift (FloatParams weights and bias, one per channel or one per element): a
             // BatchNorm of its own, Add/Mul by a constant (a bias, a positional embedding)
  kMatMul,  // of two activations, per batch b (the height): A[b] (M x K: width x channels) times inputs[1][b]
            // (K x N, or N x K with transpose_b): Q.K^T and P.V of attention, on the array
  kLayerNorm,  // per pixel over the channels: (x - mean) / sqrt(var + epsilon) * gamma[c] + beta[c]
               // (FloatParams weights = gamma, bias = beta)
  kSoftmax,    // per pixel over the channels
  kGather,     // a strided gather (any reshape, transpose, slice or index of a row-major tensor): output
               // element i, row-major over gather_dims, is input element gather_offset + sum idx_k * stride_k
               // of the input's memory; the output has shape view_shape
};

// The functions a lookup layer evaluates (ONNX's definitions).
enum class Function {
  kSigmoid,      // 1 / (1 + e^-x)
  kHardSigmoid,  // max(0, min(1, alpha * x + beta))
  kHardSwish,    // x * max(0, min(1, x / 6 + 1 / 2))
  kSilu,         // x * sigmoid(x)
  kGelu,         // x / 2 * (1 + erf(x / sqrt(2)))
  kGeluTanh,     // x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3)))
};

const char* to_string(LayerKind kind);
const char* to_string(Function function);
// The function at x, in double (the float executor rounds it to float; lookup tables round it to a code).
double evaluate(Function function, double x, double alpha, double beta);

struct Layer {
  std::string name;
  LayerKind kind = LayerKind::kConv;
  std::vector<std::string> inputs;  // names of input tensors (layers or network inputs)

  // Conv and pooling geometry. FullyConnected uses out_channels only (kernel = whole input).
  int out_channels = 0;
  int kernel_h = 1, kernel_w = 1;
  int stride_h = 1, stride_w = 1;
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  int dilation_h = 1, dilation_w = 1;  // conv and max pooling: kernel taps dilation apart
  int groups = 1;
  bool relu = false;  // ReLU fused at the output (conv, fc, add, affine)
  // With relu: the upper clip of a ReLU6 / Clip(0, max) (ONNX import), infinity for a plain ReLU. In the
  // integer path a fused clip is exact by calibration (the output scale covers at most clip_max, so the
  // saturation at qmax is the clip); a relu layer of its own clamps at round(clip_max / scale).
  float clip_max = std::numeric_limits<float>::infinity();
  // Lookup layers: the function and HardSigmoid's alpha and beta.
  Function function = Function::kSigmoid;
  float alpha = 0.2f, beta = 0.5f;
  float pad_value = 0;  // pad layers: the constant
  int slice_begin = 0;  // slice layers: the first channel taken
  int concat_axis = 2;  // concat layers: 0 height, 1 width, 2 channels
  // concat layers along the width: a decoder's KV cache (sim/README.md "Generative decoding"): inputs[0], the
  // cache so far, stays in its DRAM region and only the last input's rows move (one input: the cache's first
  // rows).
  bool cache_append = false;
  // softmax: a decoder's causal mask. Row w of each block of `width` query rows sees keys j <= w + (keys -
  // width) (the keys before the block are earlier tokens); the others are excluded (probability 0).
  bool causal = false;
  // The layer whose parameters and quantization this one uses (the steps of an unrolled decoding share
  // their model's); empty: its own. Stats, schedules and tensors stay the layer's own.
  std::string params_of;
  std::vector<int> channel_order;  // shuffle layers: the input channel of each output channel
  bool transpose_b = false;        // matmul: inputs[1] holds B transposed (batch x N x K)
  double product_scale = 1.0;      // matmul: the product times this (attention's folded 1 / sqrt(d))
  float epsilon = 1e-5f;           // layernorm
  // gather: the output's row-major dims, the input memory stride of each, the first element; view_shape.
  std::vector<int64_t> gather_dims, gather_strides;
  int64_t gather_offset = 0;
  Shape view_shape;

  // Filled in by Network::finalize().
  Shape in_shape;  // shape of inputs[0]
  Shape out_shape;

  const std::string& params() const { return params_of.empty() ? name : params_of; }
  bool is_gemm() const { return kind == LayerKind::kConv || kind == LayerKind::kFullyConnected; }
  // Runs on the array: conv and fc (weights) and matmul (a second activation through the weight path).
  bool on_array() const { return is_gemm() || kind == LayerKind::kMatMul; }
  // A gather that moves nothing: the input's memory in order under another shape (a reshape).
  bool is_reshape() const;
};

struct NetworkInput {
  std::string name;
  Shape shape;
};

// GEMM view of a conv/fc layer (implicit im2col), per group; of a matmul, per batch (groups = batch).
struct GemmShape {
  int64_t m = 0;  // output pixels (streamed input vectors)
  int64_t k = 0;  // reduction length: kernel_h * kernel_w * in_channels_per_group
  int64_t n = 0;  // output channels per group
  int groups = 1;
  int64_t macs() const { return m * k * n * groups; }
};

class Network {
 public:
  std::string name;
  std::vector<NetworkInput> inputs;
  std::vector<Layer> layers;  // in topological order once finalized

  // Checks names and references, infers shapes; throws InputError naming `origin` and the layer. A network
  // the program builds (an unrolled decoding) may have more layers than a file may.
  void finalize(const std::string& origin, int64_t max_layers = kDefaultMaxLayers);
  static constexpr int64_t kDefaultMaxLayers = 10000;  // sim/io/limits.hpp kMaxLayers

  const Layer& layer(const std::string& name) const;
  // Shape of a tensor produced by a layer or given as a network input.
  Shape tensor_shape(const std::string& name) const;
  bool is_network_input(const std::string& name) const;
  int64_t total_macs() const;
  // Names of tensors no layer consumes (the network outputs).
  std::vector<std::string> output_names() const;

 private:
  std::unordered_map<std::string, size_t> index_;  // layer by name (finalize builds it)
};

GemmShape gemm_shape(const Layer& layer);
// Where GEMM output (m, n) of group g goes: the output element (HWC index) and the channel whose bias and
// requantization it takes (a matmul's batches are its groups, each its own rows of the output).
inline int64_t gemm_output_index(const Layer& l, const GemmShape& g, int group, int64_t m, int64_t n) {
  return l.kind == LayerKind::kMatMul ? (group * g.m + m) * g.n + n : m * l.out_channels + group * g.n + n;
}
inline int gemm_output_channel(const Layer& l, const GemmShape& g, int group, int64_t n) {
  return static_cast<int>(l.kind == LayerKind::kMatMul ? n : group * g.n + n);
}
// Element operations of a vector layer: one per output element, kernel_h * kernel_w per pooled output (how
// the accelerator's vector unit and the ARM cores count them; a layout change counts its copies, a reshape
// none); layernorm and softmax pass over their input three times (sim/README.md "Integer semantics").
int64_t vector_ops(const Layer& layer);
// The keys row `row` of a softmax over `shape` sees: all its channels, or with a causal mask those up to its
// query's position (Layer::causal); 0 when the block has more queries than keys and the row sees none.
inline int64_t softmax_visible_keys(const Shape& shape, int64_t row, bool causal) {
  const int64_t keys = shape.channels;
  if (!causal) return keys;
  const int64_t query = row % shape.width;
  const int64_t visible = query + keys - shape.width + 1;
  return visible < 0 ? 0 : visible < keys ? visible : keys;
}
int64_t layer_macs(const Layer& layer);
// A matmul whose second operand is a KV cache (a cache append's output).
bool reads_kv_cache(const Network& net, const Layer& layer);

}  // namespace deepchip::sim
