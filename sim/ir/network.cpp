#include "sim/ir/network.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "sim/io/errors.hpp"
#include "sim/io/json_input.hpp"
#include "sim/io/limits.hpp"

namespace deepchip::sim {

const char* to_string(LayerKind kind) {
  switch (kind) {
    case LayerKind::kConv:
      return "conv";
    case LayerKind::kFullyConnected:
      return "fc";
    case LayerKind::kMaxPool:
      return "maxpool";
    case LayerKind::kAvgPool:
      return "avgpool";
    case LayerKind::kRelu:
      return "relu";
    case LayerKind::kAdd:
      return "add";
    case LayerKind::kMul:
      return "mul";
    case LayerKind::kConcat:
      return "concat";
    case LayerKind::kLookup:
      return "lookup";
    case LayerKind::kPad:
      return "pad";
    case LayerKind::kSlice:
      return "slice";
    case LayerKind::kShuffle:
      return "shuffle";
    case LayerKind::kAffine:
      return "affine";
    case LayerKind::kMatMul:
      return "matmul";
    case LayerKind::kLayerNorm:
      return "layernorm";
    case LayerKind::kSoftmax:
      return "softmax";
    case LayerKind::kGather:
      return "gather";
  }
  return "?";
}

const char* to_string(Function function) {
  switch (function) {
    case Function::kSigmoid:
      return "sigmoid";
    case Function::kHardSigmoid:
      return "hard_sigmoid";
    case Function::kHardSwish:
      return "hard_swish";
    case Function::kSilu:
      return "silu";
    case Function::kGelu:
      return "gelu";
    case Function::kGeluTanh:
      return "gelu_tanh";
  }
  return "?";
}

double evaluate(Function function, double x, double alpha, double beta) {
  switch (function) {
    case Function::kSigmoid:
      return 1.0 / (1.0 + std::exp(-x));
    case Function::kHardSigmoid:
      return std::max(0.0, std::min(1.0, alpha * x + beta));
    case Function::kHardSwish:
      return x * std::max(0.0, std::min(1.0, x / 6.0 + 0.5));
    case Function::kSilu:
      return x / (1.0 + std::exp(-x));
    case Function::kGelu:
      return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
    case Function::kGeluTanh:
      return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
  }
  return 0.0;
}

namespace {

int window_output(int in, int pad_a, int pad_b, int kernel, int stride, int dilation) {
  return (in + pad_a + pad_b - dilation * (kernel - 1) - 1) / stride + 1;
}

void infer_window_layer(Layer& l, const std::string& where) {
  const Shape in = l.in_shape;
  if (l.kernel_h < 1 || l.kernel_w < 1 || l.stride_h < 1 || l.stride_w < 1 || l.dilation_h < 1 ||
      l.dilation_w < 1)
    throw InputError(where + ": kernel, stride and dilation must be >= 1");
  if (l.pad_top < 0 || l.pad_left < 0 || l.pad_bottom < 0 || l.pad_right < 0)
    throw InputError(where + ": padding must be >= 0");
  if (in.height + l.pad_top + l.pad_bottom < l.dilation_h * (l.kernel_h - 1) + 1 ||
      in.width + l.pad_left + l.pad_right < l.dilation_w * (l.kernel_w - 1) + 1)
    throw InputError(where + ": kernel " + std::to_string(l.kernel_h) + "x" + std::to_string(l.kernel_w) +
                     " larger than padded input " + in.str());
  l.out_shape.height =
      window_output(in.height, l.pad_top, l.pad_bottom, l.kernel_h, l.stride_h, l.dilation_h);
  l.out_shape.width = window_output(in.width, l.pad_left, l.pad_right, l.kernel_w, l.stride_w, l.dilation_w);
}

// Every element a gather reads must lie inside its input, and its dims must fill view_shape.
void infer_gather(Layer& l, const std::string& where) {
  if (l.gather_dims.empty() || l.gather_dims.size() > 8 || l.gather_strides.size() != l.gather_dims.size())
    throw InputError(where + ": a gather needs 1..8 dims and one stride per dim");
  __int128 count = 1, lowest = l.gather_offset, highest = l.gather_offset;
  for (size_t k = 0; k < l.gather_dims.size(); ++k) {
    const int64_t d = l.gather_dims[k], stride = l.gather_strides[k];
    if (d < 1) throw InputError(where + ": gather dims must be >= 1");
    count *= d;
    (stride < 0 ? lowest : highest) += static_cast<__int128>(d - 1) * stride;
  }
  if (lowest < 0 || highest >= l.in_shape.elements())
    throw InputError(where + ": the gather reads outside its input " + l.in_shape.str());
  const Shape& v = l.view_shape;
  if (v.height < 1 || v.width < 1 || v.channels < 1 || count != v.elements())
    throw InputError(where + ": the gather's " + std::to_string(static_cast<int64_t>(count)) +
                     " elements do not fill its shape " + v.str());
  l.out_shape = v;
  l.out_channels = v.channels;
}

// The inputs' sizes along concat_axis summed; the other two axes must agree.
void infer_concat(Layer& l, const std::map<std::string, Shape>& shapes, const std::string& where) {
  if (l.concat_axis < 0 || l.concat_axis > 2) throw InputError(where + ": concat axis must be 0, 1 or 2");
  auto axis_size = [&](const Shape& s) {
    return l.concat_axis == 0 ? s.height : l.concat_axis == 1 ? s.width : s.channels;
  };
  int64_t total = 0;
  for (const auto& in : l.inputs) {
    Shape s = shapes.at(in), first = l.in_shape;
    total += axis_size(s);
    (l.concat_axis == 0 ? s.height : l.concat_axis == 1 ? s.width : s.channels) = 0;
    (l.concat_axis == 0 ? first.height : l.concat_axis == 1 ? first.width : first.channels) = 0;
    if (!(s == first))
      throw InputError(where + ": concatenated inputs differ outside the concatenated axis (" +
                       l.in_shape.str() + " and " + shapes.at(in).str() + ")");
  }
  l.out_shape = l.in_shape;
  (l.concat_axis == 0   ? l.out_shape.height
   : l.concat_axis == 1 ? l.out_shape.width
                        : l.out_shape.channels) =
      static_cast<int>(std::min<int64_t>(total, int64_t{1} << 30));
  if (total > kMaxTensorElements || l.out_shape.elements() > kMaxTensorElements)
    throw InputError(where + ": output has more than 2^28 elements");
  l.out_channels = l.out_shape.channels;
}

// batch x M x K times batch x K x N (or batch x N x K transposed): batch x M x N.
void infer_matmul(Layer& l, const Shape& b, const std::string& where) {
  const Shape& a = l.in_shape;
  const int k = l.transpose_b ? b.channels : b.width, n = l.transpose_b ? b.width : b.channels;
  if (b.height != a.height || k != a.channels)
    throw InputError(where + ": matmul of " + a.str() + " and " + b.str() +
                     (l.transpose_b ? " transposed" : "") + " (batch x M x K times batch x K x N)");
  l.groups = a.height;
  l.out_channels = n;
  l.out_shape = Shape{a.height, a.width, n};
}

void infer_shape(Layer& l, const std::string& where) {
  switch (l.kind) {
    case LayerKind::kConv:
      if (l.groups < 1 || l.in_shape.channels % l.groups != 0)
        throw InputError(where + ": groups=" + std::to_string(l.groups) + " does not divide input channels " +
                         std::to_string(l.in_shape.channels));
      if (l.out_channels < 1 || l.out_channels % l.groups != 0)
        throw InputError(where + ": filters=" + std::to_string(l.out_channels) +
                         " must be >= 1 and a multiple of groups=" + std::to_string(l.groups));
      infer_window_layer(l, where);
      l.out_shape.channels = l.out_channels;
      break;
    case LayerKind::kFullyConnected:
      if (l.out_channels < 1) throw InputError(where + ": units must be >= 1");
      // A fully connected layer is a conv whose kernel covers the whole (HWC-flattened) input.
      l.kernel_h = l.in_shape.height;
      l.kernel_w = l.in_shape.width;
      l.stride_h = l.stride_w = 1;
      l.dilation_h = l.dilation_w = 1;
      l.pad_top = l.pad_left = l.pad_bottom = l.pad_right = 0;
      l.groups = 1;
      l.out_shape = Shape{1, 1, l.out_channels};
      break;
    case LayerKind::kMaxPool:
    case LayerKind::kAvgPool:
      if (l.kind == LayerKind::kAvgPool && (l.dilation_h != 1 || l.dilation_w != 1))
        throw InputError(where + ": average pooling has no dilation");
      infer_window_layer(l, where);
      // A window entirely in padding has no input to take the maximum or mean of (the mean would divide
      // by zero): padding must stay below the window's extent, dilation * (kernel - 1) + 1.
      if (std::max(l.pad_top, l.pad_bottom) > l.dilation_h * (l.kernel_h - 1) ||
          std::max(l.pad_left, l.pad_right) > l.dilation_w * (l.kernel_w - 1))
        throw InputError(where + ": padding " +
                         std::to_string(std::max({l.pad_top, l.pad_bottom, l.pad_left, l.pad_right})) +
                         " of a " + std::to_string(l.kernel_h) + "x" + std::to_string(l.kernel_w) +
                         " pooling window leaves windows entirely in padding (padding must be smaller than "
                         "the kernel)");
      l.out_shape.channels = l.in_shape.channels;
      l.out_channels = l.in_shape.channels;
      break;
    case LayerKind::kRelu:
    case LayerKind::kAdd:
    case LayerKind::kMul:
    case LayerKind::kLookup:
    case LayerKind::kAffine:
    case LayerKind::kSoftmax:
      l.out_shape = l.in_shape;
      l.out_channels = l.in_shape.channels;
      break;
    case LayerKind::kConcat:  // the channels are summed by finalize, which sees every input
    case LayerKind::kMatMul:  // finalize sees both operands
      break;
    case LayerKind::kLayerNorm:
      if (!(l.epsilon >= 0) || !std::isfinite(l.epsilon))
        throw InputError(where + ": epsilon must be finite and >= 0");
      l.out_shape = l.in_shape;
      l.out_channels = l.in_shape.channels;
      break;
    case LayerKind::kGather:
      infer_gather(l, where);
      break;
    case LayerKind::kPad:
      if (l.pad_top < 0 || l.pad_left < 0 || l.pad_bottom < 0 || l.pad_right < 0)
        throw InputError(where + ": padding must be >= 0");
      if (!std::isfinite(l.pad_value)) throw InputError(where + ": the pad value must be finite");
      l.out_shape = Shape{l.in_shape.height + l.pad_top + l.pad_bottom,
                          l.in_shape.width + l.pad_left + l.pad_right, l.in_shape.channels};
      break;
    case LayerKind::kSlice:
      if (l.slice_begin < 0 || l.out_channels < 1 || l.slice_begin + l.out_channels > l.in_shape.channels)
        throw InputError(where + ": channels " + std::to_string(l.slice_begin) + ".." +
                         std::to_string(l.slice_begin + l.out_channels - 1) + " are not inside the input's " +
                         std::to_string(l.in_shape.channels));
      l.out_shape = Shape{l.in_shape.height, l.in_shape.width, l.out_channels};
      break;
    case LayerKind::kShuffle: {
      std::vector<int> sorted = l.channel_order;
      std::sort(sorted.begin(), sorted.end());
      for (size_t c = 0; c < sorted.size(); ++c)
        if (sorted[c] != static_cast<int>(c)) sorted.clear();
      if (sorted.size() != static_cast<size_t>(l.in_shape.channels))
        throw InputError(where + ": the channel order must be a permutation of the input's " +
                         std::to_string(l.in_shape.channels) + " channels");
      l.out_shape = l.in_shape;
      break;
    }
  }
}

// The second input of an add or mul is the first's shape, or broadcast to it from 1x1xC or 1x1x1.
bool broadcasts_to(const Shape& b, const Shape& a) {
  if (b == a) return true;
  return b.height == 1 && b.width == 1 && (b.channels == a.channels || b.channels == 1);
}

size_t inputs_wanted(LayerKind kind) {
  if (kind == LayerKind::kAdd || kind == LayerKind::kMul || kind == LayerKind::kMatMul) return 2;
  return 1;
}

// Names end up in CSV and JSON outputs: bounded, valid UTF-8.
void check_name(const std::string& name, const std::string& origin, const char* what) {
  if (name.empty()) throw InputError(origin + ": a " + what + " has an empty name");
  if (!is_valid_utf8(name)) throw InputError(origin + ": a " + what + " name is not valid UTF-8");
  if (name.size() > static_cast<size_t>(kMaxNameBytes))
    throw InputError(origin + ": " + what + " name '" + name.substr(0, 32) + "...' is longer than " +
                     std::to_string(kMaxNameBytes) + " bytes");
}

// The limits that keep every tensor, im2col matrix and weight set of an accepted network allocatable.
void check_layer_size(const Layer& l, const std::string& where, int64_t& network_weights) {
  if (l.out_shape.elements() > kMaxTensorElements)
    throw InputError(where + ": output " + l.out_shape.str() + " has more than 2^28 elements");
  if (!l.is_gemm()) return;
  const GemmShape g = gemm_shape(l);
  if (g.k > kMaxTensorElements || g.m * g.k > kMaxTensorElements)
    throw InputError(where + ": its im2col matrix (" + std::to_string(g.m) + " x " + std::to_string(g.k) +
                     ") has more than 2^28 elements");
  const int64_t weights = g.k * g.n * g.groups;
  if (weights > kMaxLayerWeights)
    throw InputError(where + ": " + std::to_string(weights) + " weights, more than the limit of 2^28");
  network_weights += weights;
  if (network_weights > kMaxNetworkWeights)
    throw InputError(where + ": the network has more than 2^28 weights");
}

}  // namespace

void Network::finalize(const std::string& origin, int64_t max_layers) {
  static_assert(kDefaultMaxLayers == kMaxLayers, "one limit");
  std::map<std::string, Shape> shapes;
  if (inputs.empty()) throw InputError(origin + ": network '" + name + "' has no input");
  if (static_cast<int64_t>(layers.size()) > max_layers || inputs.size() > static_cast<size_t>(kMaxLayers))
    throw InputError(origin + ": more than " + std::to_string(max_layers) + " layers or inputs");
  for (const auto& in : inputs) {
    check_name(in.name, origin, "network input");
    if (in.shape.height < 1 || in.shape.width < 1 || in.shape.channels < 1)
      throw InputError(origin + ": input '" + in.name + "' must have positive dimensions");
    if (in.shape.elements() > kMaxTensorElements)
      throw InputError(origin + ": input '" + in.name + "' " + in.shape.str() +
                       " has more than 2^28 elements");
    if (!shapes.emplace(in.name, in.shape).second)
      throw InputError(origin + ": duplicate tensor name '" + in.name + "'");
  }
  if (layers.empty()) throw InputError(origin + ": network '" + name + "' has no layers");
  std::string previous = inputs.front().name;
  int64_t network_weights = 0;
  for (auto& l : layers) {
    check_name(l.name, origin, "layer");
    const std::string where = origin + ": layer '" + l.name + "'";
    if (shapes.count(l.name)) throw InputError(where + ": duplicate tensor name");
    if (l.inputs.empty()) l.inputs.push_back(previous);
    const size_t want = inputs_wanted(l.kind);
    const size_t fewest = l.cache_append ? 1 : 2;  // a cache starts from its first rows
    if (l.kind == LayerKind::kConcat ? l.inputs.size() < fewest || l.inputs.size() > 4096
                                     : l.inputs.size() != want)
      throw InputError(
          where + ": " + to_string(l.kind) + " takes " +
          (l.kind == LayerKind::kConcat ? std::to_string(fewest) + "..4096" : std::to_string(want)) +
          " input(s), got " + std::to_string(l.inputs.size()));
    for (const auto& in : l.inputs)
      if (!shapes.count(in))
        throw InputError(where + ": input '" + in + "' is not an earlier layer or a network input");
    l.in_shape = shapes.at(l.inputs[0]);
    if ((l.kind == LayerKind::kAdd || l.kind == LayerKind::kMul) &&
        !broadcasts_to(shapes.at(l.inputs[1]), l.in_shape))
      throw InputError(where + ": " + to_string(l.kind) + " of shapes " + l.in_shape.str() + " and " +
                       shapes.at(l.inputs[1]).str() +
                       " (the second must equal the first or be 1x1xC or 1x1x1)");
    if (l.kind == LayerKind::kConcat) infer_concat(l, shapes, where);
    if (l.kind == LayerKind::kMatMul) infer_matmul(l, shapes.at(l.inputs[1]), where);
    infer_shape(l, where);
    if (l.cache_append && (l.kind != LayerKind::kConcat || l.concat_axis != 1 || l.inputs.size() > 2))
      throw InputError(where + ": a cache append is a concat of the cache and the new rows along the width");
    int64_t shared_weights = 0;  // a layer with another's parameters adds none of its own
    check_layer_size(l, where, l.params_of.empty() ? network_weights : shared_weights);
    shapes[l.name] = l.out_shape;
    previous = l.name;
  }
  index_.clear();
  for (size_t i = 0; i < layers.size(); ++i) index_[layers[i].name] = i;
}

const Layer& Network::layer(const std::string& layer_name) const {
  const auto it = index_.find(layer_name);
  if (it != index_.end() && it->second < layers.size() && layers[it->second].name == layer_name)
    return layers[it->second];
  for (const auto& l : layers)
    if (l.name == layer_name) return l;
  throw std::out_of_range("no layer named " + layer_name);
}

// A finalized network finds a layer's tensor by its index first (an unrolled decoding has an input per pass).
bool Network::is_network_input(const std::string& tensor) const {
  const auto it = index_.find(tensor);  // names are unique across layers and inputs
  if (it != index_.end() && it->second < layers.size() && layers[it->second].name == tensor) return false;
  return std::any_of(inputs.begin(), inputs.end(), [&](const NetworkInput& i) { return i.name == tensor; });
}

Shape Network::tensor_shape(const std::string& tensor) const {
  const auto it = index_.find(tensor);
  if (it != index_.end() && it->second < layers.size() && layers[it->second].name == tensor)
    return layers[it->second].out_shape;
  for (const auto& in : inputs)
    if (in.name == tensor) return in.shape;
  return layer(tensor).out_shape;
}

int64_t Network::total_macs() const {
  int64_t total = 0;
  for (const auto& l : layers) total += layer_macs(l);
  return total;
}

std::vector<std::string> Network::output_names() const {
  std::set<std::string> consumed;
  for (const auto& l : layers)
    for (const auto& in : l.inputs) consumed.insert(in);
  std::vector<std::string> outs;
  for (const auto& l : layers)
    if (!consumed.count(l.name)) outs.push_back(l.name);
  return outs;
}

bool Layer::is_reshape() const {
  if (kind != LayerKind::kGather || gather_offset != 0) return false;
  int64_t stride = 1;
  for (size_t k = gather_dims.size(); k-- > 0;) {
    if (gather_dims[k] > 1 && gather_strides[k] != stride) return false;
    stride *= gather_dims[k];
  }
  return stride == in_shape.elements();
}

int64_t vector_ops(const Layer& l) {
  int64_t ops = l.out_shape.elements();
  if (l.kind == LayerKind::kMaxPool || l.kind == LayerKind::kAvgPool) ops *= int64_t{l.kernel_h} * l.kernel_w;
  if (l.kind == LayerKind::kLayerNorm || l.kind == LayerKind::kSoftmax) ops *= 3;
  if (l.is_reshape()) ops = 0;
  if (l.cache_append && l.inputs.size() > 1) ops -= l.in_shape.elements();  // the new rows' copies only
  return ops;
}

GemmShape gemm_shape(const Layer& l) {
  GemmShape g;
  g.groups = l.groups;
  if (l.kind == LayerKind::kMatMul) {
    g.m = l.in_shape.width;
    g.k = l.in_shape.channels;
    g.n = l.out_channels;
    return g;
  }
  g.m = int64_t{l.out_shape.height} * l.out_shape.width;
  g.k = int64_t{l.kernel_h} * l.kernel_w * (l.in_shape.channels / l.groups);
  g.n = l.out_channels / l.groups;
  return g;
}

bool reads_kv_cache(const Network& net, const Layer& l) {
  return l.kind == LayerKind::kMatMul && !net.is_network_input(l.inputs[1]) &&
         net.layer(l.inputs[1]).cache_append;
}

int64_t layer_macs(const Layer& l) {
  return l.is_gemm() || l.kind == LayerKind::kMatMul ? gemm_shape(l).macs() : 0;
}

}  // namespace deepchip::sim
