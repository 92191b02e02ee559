#include "sim/network.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "sim/errors.hpp"
#include "sim/json_input.hpp"
#include "sim/limits.hpp"

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
  }
  return "?";
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
      l.out_shape = l.in_shape;
      break;
    case LayerKind::kAdd:
      l.out_shape = l.in_shape;
      break;
  }
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

void Network::finalize(const std::string& origin) {
  std::map<std::string, Shape> shapes;
  if (inputs.empty()) throw InputError(origin + ": network '" + name + "' has no input");
  if (layers.size() > static_cast<size_t>(kMaxLayers) || inputs.size() > static_cast<size_t>(kMaxLayers))
    throw InputError(origin + ": more than " + std::to_string(kMaxLayers) + " layers or inputs");
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
    const size_t want = l.kind == LayerKind::kAdd ? 2 : 1;
    if (l.inputs.size() != want)
      throw InputError(where + ": " + to_string(l.kind) + " takes " + std::to_string(want) +
                       " input(s), got " + std::to_string(l.inputs.size()));
    for (const auto& in : l.inputs)
      if (!shapes.count(in))
        throw InputError(where + ": input '" + in + "' is not an earlier layer or a network input");
    l.in_shape = shapes.at(l.inputs[0]);
    if (l.kind == LayerKind::kAdd && !(shapes.at(l.inputs[1]) == l.in_shape))
      throw InputError(where + ": add inputs have different shapes " + l.in_shape.str() + " and " +
                       shapes.at(l.inputs[1]).str());
    infer_shape(l, where);
    check_layer_size(l, where, network_weights);
    shapes[l.name] = l.out_shape;
    previous = l.name;
  }
}

const Layer& Network::layer(const std::string& layer_name) const {
  for (const auto& l : layers)
    if (l.name == layer_name) return l;
  throw std::out_of_range("no layer named " + layer_name);
}

bool Network::is_network_input(const std::string& tensor) const {
  return std::any_of(inputs.begin(), inputs.end(), [&](const NetworkInput& i) { return i.name == tensor; });
}

Shape Network::tensor_shape(const std::string& tensor) const {
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

int64_t vector_ops(const Layer& l) {
  int64_t ops = l.out_shape.elements();
  if (l.kind == LayerKind::kMaxPool || l.kind == LayerKind::kAvgPool) ops *= int64_t{l.kernel_h} * l.kernel_w;
  return ops;
}

GemmShape gemm_shape(const Layer& l) {
  GemmShape g;
  g.groups = l.groups;
  g.m = int64_t{l.out_shape.height} * l.out_shape.width;
  g.k = int64_t{l.kernel_h} * l.kernel_w * (l.in_shape.channels / l.groups);
  g.n = l.out_channels / l.groups;
  return g;
}

int64_t layer_macs(const Layer& l) { return l.is_gemm() ? gemm_shape(l).macs() : 0; }

}  // namespace deepchip::sim
