#include <algorithm>
#include <array>
#include <cmath>

#include "sim/onnx/importer.hpp"

namespace deepchip::sim {

// Fused into the layer that produces x when the Relu is x's only use (no other node, no graph output).
void OnnxImporter::relu(const onnx::NodeProto& n, float clip_max) {
  const std::string& x = input(n, 0);
  const auto it = producer_.find(x);
  if (it != producer_.end() && consumers_[x] == 1) {
    Layer& l = net_.layers[it->second];
    if (l.is_gemm() || l.kind == LayerKind::kAdd || l.kind == LayerKind::kAffine) {
      l.relu = true;  // fused
      l.clip_max = std::min(l.clip_max, clip_max);
      tensors_[n.output(0)] = tensors_.at(x);
      producer_[n.output(0)] = it->second;
      return;
    }
  }
  Layer l;
  l.kind = LayerKind::kRelu;
  l.relu = true;
  l.clip_max = clip_max;
  if (is_view_input(n, 0)) return sequence_unary(n, l);
  const TensorInfo in = activation(n, 0, "Relu input");
  l.name = layer_name(n);
  add_elementwise_layer(l, n, in);
}

void OnnxImporter::clip(const onnx::NodeProto& n) {
  float lo = attr_float(n, "min", -std::numeric_limits<float>::infinity());
  float hi = attr_float(n, "max", std::numeric_limits<float>::infinity());
  if (has_input(n, 1)) lo = constant(n, 1, 1, "min")[0];
  if (has_input(n, 2)) hi = constant(n, 2, 1, "max")[0];
  if (lo != 0.0f || !(hi > 0)) fail(n, "only Clip(min=0, max > 0) -- a ReLU or ReLU6 -- is supported");
  relu(n, hi);
}

// MaxPool, AveragePool (ceil_mode either way; count_include_pad=1 with padding is a Pad layer of zeros
// before a pool without padding, whose windows then count the padded positions as PyTorch's do) and
// GlobalAveragePool.
void OnnxImporter::pool(const onnx::NodeProto& n) {
  TensorInfo in = tensor(input(n, 0), n.op_type() + " input");
  if (in.flat) fail(n, "pooling of a flattened tensor");
  Layer l;
  l.name = layer_name(n);
  if (n.op_type() == "GlobalAveragePool") {
    l.kind = LayerKind::kAvgPool;
    l.kernel_h = in.shape.height, l.kernel_w = in.shape.width;
    l.stride_h = l.kernel_h, l.stride_w = l.kernel_w;
    add_layer(l, n.output(0), in);
    return;
  }
  l.kind = n.op_type() == "MaxPool" ? LayerKind::kMaxPool : LayerKind::kAvgPool;
  const std::array<int, 4> declared = window(n, l, in.shape);
  const bool padded = declared != std::array<int, 4>{0, 0, 0, 0};
  const int64_t include_pad = attr_int(n, "count_include_pad", 0);
  if (include_pad != 0 && include_pad != 1)
    fail(n, "count_include_pad must be 0 or 1, got " + std::to_string(include_pad));
  if (l.kind == LayerKind::kAvgPool && padded && include_pad == 1) {
    Layer p;
    p.name = unique_name(l.name + "_pad");
    p.kind = LayerKind::kPad;
    p.pad_top = declared[0], p.pad_left = declared[1], p.pad_bottom = declared[2], p.pad_right = declared[3];
    add_layer(p, n.output(0) + "#pad", in);
    in = tensors_.at(n.output(0) + "#pad");
    l.pad_top = l.pad_left = 0;  // what ceil_mode added stays: windows past the padded input read nothing
    l.pad_bottom -= declared[2];
    l.pad_right -= declared[3];
  }
  add_layer(l, n.output(0), in);
}

// ReduceMean over H and W (torch's x.mean([2, 3])): a global average pool, flat unless keepdims.
void OnnxImporter::reduce_mean(const onnx::NodeProto& n) {
  const TensorInfo in = activation(n, 0, "ReduceMean input");
  if (in.flat) fail(n, "only the spatial axes 2 and 3 of an N x C x H x W tensor are reduced");
  std::vector<int64_t> axes;
  if (const auto* a = attr(n, "axes")) axes.assign(a->ints().begin(), a->ints().end());
  if (has_input(n, 1)) axes = ints(initializer(n, 1));  // opset 18
  for (auto& a : axes) a = a < 0 ? a + 4 : a;
  std::sort(axes.begin(), axes.end());
  if (axes != std::vector<int64_t>{2, 3}) fail(n, "only the spatial axes 2 and 3 are reduced");
  const int64_t keepdims = attr_int(n, "keepdims", 1);
  if (keepdims != 0 && keepdims != 1) fail(n, "keepdims must be 0 or 1");
  Layer l;
  l.name = layer_name(n);
  l.kind = LayerKind::kAvgPool;
  l.kernel_h = l.stride_h = in.shape.height;
  l.kernel_w = l.stride_w = in.shape.width;
  add_layer(l, n.output(0), in);
  if (keepdims == 0) {
    tensors_[n.output(0)].flat = true;
    tensors_[n.output(0)].nchw = Shape{1, 1, in.shape.channels};
  }
}

void OnnxImporter::add_elementwise_layer(const Layer& l, const onnx::NodeProto& n, const TensorInfo& in,
                                         const std::vector<TensorInfo>& more) {
  add_layer(l, n.output(0), in, more);
  tensors_[n.output(0)].flat = in.flat;
  tensors_[n.output(0)].nchw = in.nchw;
}

namespace {

bool broadcasts(const TensorInfo& b, const TensorInfo& a) {
  if (b.shape == a.shape) return true;
  return b.shape.height == 1 && b.shape.width == 1 &&
         (b.shape.channels == a.shape.channels || b.shape.channels == 1);
}

}  // namespace

// Add, Mul (and Sub, Div by a constant). Of two activations: the second broadcast to the first (same shape, N
// x C x 1 x 1 or a single value); the operands are swapped when the first is the broadcast one (both
// operations commute).
void OnnxImporter::binary(const onnx::NodeProto& n) {
  const std::string& op = n.op_type();
  if (initializers_.count(input(n, 0)) || initializers_.count(input(n, 1))) return affine_constant(n);
  if (op == "Sub" || op == "Div") fail(n, "only a constant operand is supported");
  if (op == "Mul" &&
      (fuse_gated_function(n, input(n, 0), input(n, 1)) || fuse_gated_function(n, input(n, 1), input(n, 0))))
    return;
  TensorInfo a = activation(n, 0, op + " input"), b = activation(n, 1, op + " input");
  if (a.flat != b.flat) fail(n, "combining a flattened tensor with a spatial one");
  if (!broadcasts(b, a)) std::swap(a, b);
  if (!broadcasts(b, a))
    fail(n, "shapes " + a.shape.str() + " and " + b.shape.str() +
                " (HWC) do not broadcast (equal, or one of them 1 x 1 x C or a single value)");
  Layer l;
  l.name = layer_name(n);
  l.kind = op == "Add" ? LayerKind::kAdd : LayerKind::kMul;
  add_elementwise_layer(l, n, a, {b});
}

// Add, Sub, Mul or Div of an activation and a constant (one value, or one per channel: C x 1 x 1 of an
// N x C x H x W tensor, F of an N x F one): an affine layer x * scale + shift. Div by k multiplies by 1 / k
// (in float, one rounding more than a division).
void OnnxImporter::affine_constant(const onnx::NodeProto& n) {
  const std::string& op = n.op_type();
  const bool constant_first = initializers_.count(input(n, 0)) > 0;
  if (constant_first && op == "Div") fail(n, "dividing a constant by an activation is not supported");
  const TensorInfo in = activation(n, constant_first ? 1 : 0, op + " input");
  const onnx::TensorProto& k = initializer(n, constant_first ? 0 : 1);
  const std::vector<float> values = floats(k);
  const int channels = in.shape.channels;
  std::vector<int64_t> dims(k.dims().begin(), k.dims().end());
  while (!dims.empty() && dims.front() == 1 && dims.size() > (in.flat ? 1u : 3u)) dims.erase(dims.begin());
  const bool scalar = values.size() == 1;
  const bool per_channel = in.flat
                               ? dims == std::vector<int64_t>{channels} && in.nchw.height * in.nchw.width == 1
                               : dims == std::vector<int64_t>{channels, 1, 1};
  if (!scalar && !per_channel) {
    if (in.flat)
      fail(n, "the constant must be a single value or one per feature, got " + std::to_string(values.size()) +
                  " values");
    return sequence_affine(
        n, constant_first);  // a constant of another shape: per element of the N x C x H x W view
  }
  FloatParams p = affine_params(
      n, scalar ? std::vector<float>(static_cast<size_t>(channels), values[0]) : values, constant_first);
  Layer l;
  l.name = layer_name(n);
  l.kind = LayerKind::kAffine;
  add_elementwise_layer(l, n, in);
  result_.model.params[l.name] = std::move(p);
}

FloatParams OnnxImporter::affine_params(const onnx::NodeProto& n, const std::vector<float>& values,
                                        bool constant_first) const {
  const std::string& op = n.op_type();
  FloatParams p{std::vector<float>(values.size(), 1.0f), std::vector<float>(values.size(), 0.0f),
                std::nullopt};
  for (size_t i = 0; i < values.size(); ++i) {
    const float v = values[i];
    if (op == "Add") p.bias[i] = v;
    if (op == "Sub" && constant_first) p.weights[i] = -1.0f, p.bias[i] = v;  // k - x
    if (op == "Sub" && !constant_first) p.bias[i] = -v;                      // x - k
    if (op == "Mul") p.weights[i] = v;
    if (op == "Div") {
      if (v == 0.0f) fail(n, "division by zero");
      p.weights[i] = 1.0f / v;
    }
  }
  return p;
}

// x * Sigmoid(x) is SiLU and x * HardSigmoid(x; 1/6, 1/2) is HardSwish: one lookup of x instead of a
// lookup and a multiply, when the gate's only use is this Mul (exact in float; one rounding in the integer
// path instead of two).
bool OnnxImporter::fuse_gated_function(const onnx::NodeProto& n, const std::string& x,
                                       const std::string& gate) {
  const auto it = producer_.find(gate);
  const auto xt = tensors_.find(x);
  if (it == producer_.end() || xt == tensors_.end() || consumers_[gate] != 1) return false;
  Layer& g = net_.layers[it->second];
  if (g.kind != LayerKind::kLookup || g.inputs[0] != xt->second.ir || xt->second.is_view()) return false;
  if (g.function == Function::kSigmoid) {
    g.function = Function::kSilu;
  } else if (g.function == Function::kHardSigmoid && g.alpha == 1.0f / 6.0f && g.beta == 0.5f) {
    g.function = Function::kHardSwish;
  } else {
    return false;
  }
  tensors_[n.output(0)] = tensors_.at(gate);
  producer_[n.output(0)] = it->second;
  return true;
}

// Concat of activations along the channels (axis 1 of N x C x H x W; axis 1 of N x F when every input is a
// flattened 1 x 1 map, whose HWC and CHW orders agree).
void OnnxImporter::concat(const onnx::NodeProto& n) {
  std::vector<TensorInfo> in;
  for (int i = 0; i < n.input_size(); ++i) in.push_back(activation(n, i, "Concat input"));
  if (in.empty()) fail(n, "a Concat needs an input");
  if (!attr(n, "axis")) fail(n, "the axis attribute is missing");
  const int64_t rank = in[0].flat ? 2 : 4, axis = attr_int(n, "axis", 1);
  if (axis != 1 && axis != 1 - rank)
    fail(n, "only the channel axis (1) is concatenated, got " + std::to_string(axis));
  for (const auto& t : in) {
    if (t.flat != in[0].flat) fail(n, "concatenating flattened and spatial tensors");
    if (t.flat && !(t.nchw.height == 1 && t.nchw.width == 1))
      fail(n, "concatenating flattened tensors of maps larger than 1 x 1");
  }
  if (in.size() == 1) {  // torch.cat([x]) (DenseNet's first layer of a block): x itself
    tensors_[n.output(0)] = in[0];
    return;
  }
  Layer l;
  l.name = layer_name(n);
  l.kind = LayerKind::kConcat;
  add_layer(l, n.output(0), in[0], std::vector<TensorInfo>(in.begin() + 1, in.end()));
  TensorInfo& out = tensors_[n.output(0)];
  out.flat = in[0].flat;
  out.nchw = Shape{1, 1, out.shape.channels};  // the channel sum, as shape inference found it
}

// Sigmoid, HardSigmoid (alpha, beta) and HardSwish: a lookup layer (sim/README.md "Integer semantics").
void OnnxImporter::lookup(const onnx::NodeProto& n) {
  Layer l;
  l.kind = LayerKind::kLookup;
  if (n.op_type() == "Sigmoid") {
    l.function = Function::kSigmoid;
  } else if (n.op_type() == "HardSwish") {
    l.function = Function::kHardSwish;
  } else {
    l.function = Function::kHardSigmoid;
    l.alpha = attr_float(n, "alpha", 0.2f);
    l.beta = attr_float(n, "beta", 0.5f);
  }
  if (is_view_input(n, 0)) return sequence_unary(n, l);
  const TensorInfo in = activation(n, 0, n.op_type() + " input");
  l.name = layer_name(n);
  add_elementwise_layer(l, n, in);
}

// Pad in constant mode of H and W (N and C unpadded); all-zero pads are the identity.
void OnnxImporter::pad(const onnx::NodeProto& n) {
  if (is_view_input(n, 0)) return sequence_pad(n);  // (a map's view padded along H and W becomes a map)
  const TensorInfo in = activation(n, 0, "Pad input");
  if (in.flat) fail(n, "padding a flattened tensor");
  const auto* mode = attr(n, "mode");
  if (mode && mode->s() != "constant")
    fail(n, "mode '" + printable(mode->s()) + "' is not supported (constant only)");
  if (has_input(n, 3)) fail(n, "the axes input is not supported (pads of all four axes)");
  std::vector<int64_t> pads;
  if (has_input(n, 1)) {
    pads = ints(initializer(n, 1));
  } else if (const auto* a = attr(n, "pads")) {
    pads.assign(a->ints().begin(), a->ints().end());
  }
  if (pads.size() != 8) fail(n, "pads must have 8 values (begin and end of N, C, H, W)");
  for (int64_t p : pads)
    if (p < 0 || p > kMaxWindow)
      fail(n, "pads must be in 0.." + std::to_string(kMaxWindow) + ", got " + std::to_string(p));
  if (pads[0] || pads[1] || pads[4] || pads[5]) fail(n, "only H and W are padded (N and C pads must be 0)");
  float value = attr_float(n, "value", 0.0f);
  if (has_input(n, 2)) value = constant(n, 2, 1, "constant_value")[0];
  if (pads == std::vector<int64_t>(8, 0)) {
    tensors_[n.output(0)] = in;
    return;
  }
  Layer l;
  l.name = layer_name(n);
  l.kind = LayerKind::kPad;
  l.pad_top = static_cast<int>(pads[2]), l.pad_left = static_cast<int>(pads[3]);
  l.pad_bottom = static_cast<int>(pads[6]), l.pad_right = static_cast<int>(pads[7]);
  l.pad_value = value;
  add_layer(l, n.output(0), in);
}

}  // namespace deepchip::sim
