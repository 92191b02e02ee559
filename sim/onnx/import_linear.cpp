#include <array>
#include <cmath>

#include "sim/onnx/importer.hpp"

namespace deepchip::sim {

// Kernel, strides, dilations and padding of a Conv or pool; returns the padding the node declares (pads or
// SAME auto_pad: top, left, bottom, right), without what ceil_mode adds.
std::array<int, 4> OnnxImporter::window(const onnx::NodeProto& n, Layer& l, const Shape& in) {
  const auto* ks = attr(n, "kernel_shape");
  if (!ks) fail(n, "kernel_shape must have 2 values");
  const auto k = attr_ints(n, "kernel_shape", {1, 1}, 1, kMaxWindow);
  l.kernel_h = k[0], l.kernel_w = k[1];
  const auto s = attr_ints(n, "strides", {1, 1}, 1, kMaxWindow);
  l.stride_h = s[0], l.stride_w = s[1];
  const auto d = attr_ints(n, "dilations", {1, 1}, 1, kMaxWindow);
  l.dilation_h = d[0], l.dilation_w = d[1];
  const int64_t ceil_mode = attr_int(n, "ceil_mode", 0);
  if (ceil_mode != 0 && ceil_mode != 1) fail(n, "ceil_mode must be 0 or 1, got " + std::to_string(ceil_mode));
  const auto* ap = attr(n, "auto_pad");
  const std::string auto_pad = ap ? ap->s() : "NOTSET";
  if (auto_pad == "NOTSET") {
    const auto p = attr_ints(n, "pads", {0, 0, 0, 0}, 0, kMaxWindow);
    l.pad_top = p[0], l.pad_left = p[1], l.pad_bottom = p[2], l.pad_right = p[3];
  } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    auto same = [&](int size, int kernel, int stride, int dil, int& a, int& b) {
      const int out = (size + stride - 1) / stride;
      const int total = std::max(0, (out - 1) * stride + dil * (kernel - 1) + 1 - size);
      a = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
      b = total - a;
    };
    same(in.height, l.kernel_h, l.stride_h, l.dilation_h, l.pad_top, l.pad_bottom);
    same(in.width, l.kernel_w, l.stride_w, l.dilation_w, l.pad_left, l.pad_right);
  } else if (auto_pad != "VALID") {
    fail(n, "auto_pad '" + printable(auto_pad) + "' is not supported");
  }
  const std::array<int, 4> declared = {l.pad_top, l.pad_left, l.pad_bottom, l.pad_right};
  if (ceil_mode == 1) {
    if (auto_pad != "NOTSET") fail(n, "ceil_mode with auto_pad is not supported");
    ceil_mode_padding(in.height, l.kernel_h, l.stride_h, l.dilation_h, l.pad_top, l.pad_bottom);
    ceil_mode_padding(in.width, l.kernel_w, l.stride_w, l.dilation_w, l.pad_left, l.pad_right);
  }
  return declared;
}

// ceil_mode as PyTorch computes it (and exports it): out = ceil((in + pads - dil * (k - 1) - 1) / stride)
// + 1, less one when the last window would start past the input and its leading padding. The extra
// windows are expressed as extra trailing padding, which pooling never reads (max and mean are over the
// positions inside the input, as PyTorch's are with count_include_pad=0), so the floor formula of the IR
// gives the ceil output exactly.
void OnnxImporter::ceil_mode_padding(int in, int kernel, int stride, int dil, int lead, int& trail) {
  const int extent = dil * (kernel - 1) + 1;
  const int span = in + lead + trail - extent;
  if (span < 0) return;  // reported by shape inference
  int out = (span + stride - 1) / stride + 1;
  if ((out - 1) * stride >= in + lead) --out;
  trail += std::max(0, (out - 1) * stride + extent - (in + lead + trail));
}

void OnnxImporter::conv(const onnx::NodeProto& n) {
  const TensorInfo in = tensor(input(n, 0), "Conv input");
  if (in.flat) fail(n, "convolution of a flattened tensor");
  const onnx::TensorProto& w = initializer(n, 1);
  if (w.dims_size() != 4) fail(n, "weights must be M x C/group x kH x kW");
  const std::vector<float> src = floats(w);  // checks the dims against the data
  Layer l;
  l.name = layer_name(n);
  l.kind = LayerKind::kConv;
  const int64_t groups = attr_int(n, "group", 1);
  if (groups < 1 || groups > in.shape.channels || in.shape.channels % groups != 0)
    fail(n, "group " + std::to_string(groups) + " does not divide the " + std::to_string(in.shape.channels) +
                " input channels");
  l.groups = static_cast<int>(groups);
  if (w.dims(0) < 1 || w.dims(0) % groups != 0)
    fail(n, "output channels must be a positive multiple of group");
  l.out_channels = static_cast<int>(w.dims(0));
  window(n, l, in.shape);
  if (l.kernel_h != w.dims(2) || l.kernel_w != w.dims(3)) fail(n, "kernel_shape differs from the weights");
  if (w.dims(1) != in.shape.channels / groups)
    fail(n, "weights expect " + std::to_string(w.dims(1)) + " input channels per group, the input gives " +
                std::to_string(in.shape.channels / groups));
  const int cg = static_cast<int>(w.dims(1)), kh = l.kernel_h, kw = l.kernel_w;
  FloatParams p;
  p.weights.resize(src.size());
  for (int m = 0; m < l.out_channels; ++m)
    for (int c = 0; c < cg; ++c)
      for (int y = 0; y < kh; ++y)
        for (int x = 0; x < kw; ++x)
          p.weights[static_cast<size_t>(((int64_t{m} * kh + y) * kw + x) * cg + c)] =
              src[static_cast<size_t>(((int64_t{m} * cg + c) * kh + y) * kw + x)];
  p.bias = has_input(n, 2) ? constant(n, 2, l.out_channels, "bias")
                           : std::vector<float>(static_cast<size_t>(l.out_channels), 0.0f);
  add_layer(l, n.output(0), in);
  linear_[n.output(0)] = net_.layers.size() - 1;
  result_.model.params[l.name] = std::move(p);
}

void OnnxImporter::fully_connected(const onnx::NodeProto& n) {
  const TensorInfo in = tensor(input(n, 0), n.op_type() + " input");
  if (!in.flat) fail(n, "input must be 2-D (Flatten first)");
  const bool gemm = n.op_type() == "Gemm";
  if (gemm &&
      (attr_float(n, "alpha", 1) != 1 || attr_float(n, "beta", 1) != 1 || attr_int(n, "transA", 0) != 0))
    fail(n, "alpha and beta must be 1 and transA 0");
  const int64_t trans_b_attr = gemm ? attr_int(n, "transB", 0) : 0;
  if (trans_b_attr != 0 && trans_b_attr != 1)
    fail(n, "transB must be 0 or 1, got " + std::to_string(trans_b_attr));
  const bool trans_b = trans_b_attr == 1;
  const onnx::TensorProto& b = initializer(n, 1);
  if (b.dims_size() != 2) fail(n, "weights must be 2-D");
  const std::vector<float> src = floats(b);  // checks the dims against the data
  const int64_t units = trans_b ? b.dims(0) : b.dims(1), k = trans_b ? b.dims(1) : b.dims(0);
  const Shape s = in.nchw;  // C, H, W of the flattened tensor (or 1, 1, F)
  if (k != s.elements())
    fail(n, "weights expect " + std::to_string(k) + " inputs, got " + std::to_string(s.elements()));
  if (units < 1 || units > (int64_t{1} << 24)) fail(n, "the layer must have 1..2^24 outputs");
  Layer l;
  l.name = layer_name(n);
  l.kind = LayerKind::kFullyConnected;
  l.out_channels = static_cast<int>(units);
  FloatParams p;
  p.weights.resize(static_cast<size_t>(units * k));
  // ONNX flattens C, H, W (channel slowest); the IR flattens H, W, C (channel fastest).
  for (int64_t u = 0; u < units; ++u)
    for (int c = 0; c < s.channels; ++c)
      for (int y = 0; y < s.height; ++y)
        for (int x = 0; x < s.width; ++x) {
          const int64_t onnx_k = (int64_t{c} * s.height + y) * s.width + x;
          const int64_t ir_k = (int64_t{y} * s.width + x) * s.channels + c;
          p.weights[static_cast<size_t>(u * k + ir_k)] =
              src[static_cast<size_t>(trans_b ? u * k + onnx_k : onnx_k * units + u)];
        }
  p.bias = gemm && has_input(n, 2) ? constant(n, 2, units, "bias")
                                   : std::vector<float>(static_cast<size_t>(units), 0.0f);
  add_layer(l, n.output(0), in);
  linear_[n.output(0)] = net_.layers.size() - 1;
  tensors_[n.output(0)].flat = true;
  tensors_[n.output(0)].nchw = Shape{1, 1, static_cast<int>(units)};
  result_.model.params[l.name] = std::move(p);
}

// Folds y = scale * (x - mean) / sqrt(var + eps) + B into the convolution or Gemm that produces x, where
// that is exact: x is that layer's linear output (nothing, not even a ReLU, between them) and the
// BatchNormalization is its only use (no other node and no graph output reads x). Otherwise it is an affine
// layer of its own (x * scale + shift per channel, on the vector unit: no MACs, as PyTorch counts none).
void OnnxImporter::batch_norm(const onnx::NodeProto& n) {
  const std::string& x = input(n, 0);
  const auto it = linear_.find(x);
  if (it == linear_.end() || consumers_[x] != 1) {
    const TensorInfo in = activation(n, 0, "BatchNormalization input");
    if (in.flat && !(in.nchw.height == 1 && in.nchw.width == 1))
      fail(n, "batch normalization of a flattened map larger than 1 x 1");
    Layer l;
    l.name = layer_name(n);
    l.kind = LayerKind::kAffine;  // x * scale + shift per channel on the vector unit
    l.out_channels = in.shape.channels;
    add_elementwise_layer(l, n, in);
    result_.model.params[l.name] =
        FloatParams{std::vector<float>(static_cast<size_t>(l.out_channels), 1.0f),
                    std::vector<float>(static_cast<size_t>(l.out_channels), 0.0f), std::nullopt};
    fold_batch_norm(n, net_.layers.back());
    return;
  }
  fold_batch_norm(n, net_.layers[it->second]);
  tensors_[n.output(0)] = tensors_.at(x);
  producer_[n.output(0)] = it->second;
  linear_[n.output(0)] = it->second;  // still the layer's linear output: a second BatchNorm folds too
}

void OnnxImporter::fold_batch_norm(const onnx::NodeProto& n, const Layer& conv) {
  FloatParams& p = result_.model.params.at(conv.name);
  const int64_t c = conv.out_channels;
  const auto scale = constant(n, 1, c, "scale"), beta = constant(n, 2, c, "B");
  const auto mean = constant(n, 3, c, "mean"), var = constant(n, 4, c, "var");
  const float eps = attr_float(n, "epsilon", 1e-5f);
  const size_t per = p.weights.size() / static_cast<size_t>(c);
  for (size_t m = 0; m < static_cast<size_t>(c); ++m) {
    if (static_cast<double>(var[m]) + eps <= 0) fail(n, "var + epsilon must be positive");
    const double s = scale[m] / std::sqrt(static_cast<double>(var[m]) + eps);
    for (size_t i = 0; i < per; ++i) p.weights[m * per + i] = static_cast<float>(p.weights[m * per + i] * s);
    p.bias[m] = static_cast<float>((p.bias[m] - mean[m]) * s + beta[m]);
  }
  for (float w : p.weights)
    if (!std::isfinite(w)) fail(n, "folding it into " + conv.name + " gives non-finite weights");
}

}  // namespace deepchip::sim
