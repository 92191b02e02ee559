#include "sim/onnx_import.hpp"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <deque>
#include <limits>
#include <map>
#include <set>

#include "sim/errors.hpp"
#include "sim/json_input.hpp"
#include "sim/limits.hpp"
#include "sim/onnx_graph_reader.hpp"

namespace deepchip::sim {

namespace {

// How an ONNX tensor lives in the IR.
struct TensorInfo {
  std::string ir;       // IR tensor (layer output or network input)
  Shape shape;          // HWC
  bool flat = false;    // a 2-D N x F view; `nchw` records the C, H, W it was flattened from
  Shape nchw{1, 1, 1};  // height, width, channels of the spatial tensor before Flatten
};

constexpr int kMaxNodes = 4 * kMaxLayers;  // graph nodes (Relu, Flatten, ... fold into layers)
constexpr int64_t kMaxWindow = 1024;       // kernel, stride, dilation and padding values

// Reads the graph node by node into the IR (every protobuf read through OnnxReader's checks).
class Importer : private OnnxGraphReader {
 public:
  explicit Importer(std::string origin) : OnnxGraphReader(std::move(origin)) {}

  OnnxModel run(const std::string& bytes) {
    onnx::ModelProto proto;
    if (!proto.ParseFromString(bytes)) fail_file("not an ONNX model (protobuf parse failed)");
    const onnx::GraphProto& g = proto.graph();
    if (g.node_size() > kMaxNodes) fail_file("more than " + std::to_string(kMaxNodes) + " nodes");
    validate(proto);
    for (const auto& t : g.initializer()) initializers_[t.name()] = &t;
    for (const auto& n : g.node())
      for (const auto& in : n.input()) ++consumers_[in];
    // A graph output is a use too: nothing is fused into the layer that produces it.
    for (const auto& o : g.output()) ++consumers_[o.name()];
    read_input(g);
    for (int i = 0; i < g.node_size(); ++i) node(g.node(i), i == g.node_size() - 1);
    if (g.output_size() != 1) fail_file("the graph must have exactly one output");
    const TensorInfo& out = tensor(g.output(0).name(), "graph output");
    result_.output = out.ir;
    result_.output_is_spatial = !out.flat;
    net_.name = path_;
    net_.finalize(path_);
    result_.model.net = net_;
    // Weights trained as ternary (exactly {-Wn, 0, +Wp}) carry their trained scales into quantization.
    for (auto& [name, p] : result_.model.params) p.trained_ternary = ternary_values(p.weights);
    return std::move(result_);
  }

 private:
  // The ONNX dims of an activation: N x C x H x W, or N x F once flattened (batch 1).
  std::vector<int64_t> activation_dims(const std::string& name) const override {
    const TensorInfo& in = tensor(name, "Shape input");
    return in.flat ? std::vector<int64_t>{1, in.shape.elements()}
                   : std::vector<int64_t>{1, in.shape.channels, in.shape.height, in.shape.width};
  }

  const TensorInfo& tensor(const std::string& name, const std::string& use) const {
    const auto it = tensors_.find(name);
    if (it == tensors_.end())
      fail_file("tensor '" + printable(name) + "' used as " + use + " is not produced by any node");
    return it->second;
  }

  void read_input(const onnx::GraphProto& g) {
    for (const auto& in : g.input()) {
      if (initializers_.count(in.name())) continue;
      if (!result_.input.empty()) fail_file("more than one graph input");
      const auto& dims = in.type().tensor_type().shape().dim();
      TensorInfo t;
      t.ir = in.name();
      if (dims.size() == 4) {
        t.shape = Shape{input_dim(dims[2], in.name()), input_dim(dims[3], in.name()),
                        input_dim(dims[1], in.name())};
        result_.input_is_spatial = true;
      } else if (dims.size() == 2) {
        t.shape = Shape{1, 1, input_dim(dims[1], in.name())};
        t.flat = true;
        t.nchw = t.shape;
      } else {
        fail_file("graph input '" + printable(in.name()) + "' must be N x C x H x W or N x F");
      }
      net_.inputs.push_back({t.ir, t.shape});
      tensors_[in.name()] = t;
      result_.input = in.name();
    }
    if (result_.input.empty()) fail_file("the graph has no (non-constant) input");
  }

  Layer& add_layer(Layer l, const std::string& onnx_out, const TensorInfo& in,
                   const std::vector<TensorInfo>& more_inputs = {}) {
    l.inputs = {in.ir};
    for (const auto& m : more_inputs) l.inputs.push_back(m.ir);
    net_.layers.push_back(l);
    // Shapes are inferred at the end by Network::finalize; infer this one now for the next nodes.
    Network probe;
    probe.inputs.push_back({in.ir, in.shape});
    for (const auto& m : more_inputs)
      if (m.ir != in.ir) probe.inputs.push_back({m.ir, m.shape});
    probe.layers.push_back(l);
    try {
      probe.finalize(path_);
    } catch (const InputError& e) {
      const std::string what = e.what();
      const std::string prefix = path_ + ": ";
      throw InputError(prefix + "node producing '" + printable(onnx_out) +
                       "': " + (what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what));
    }
    TensorInfo t;
    t.ir = l.name;
    t.shape = probe.layers[0].out_shape;
    tensors_[onnx_out] = t;
    producer_[onnx_out] = net_.layers.size() - 1;
    return net_.layers.back();
  }

  std::string layer_name(const onnx::NodeProto& n) const {
    const std::string base = n.name().empty() ? n.output(0) : n.name();
    std::string name = base;
    for (int i = 1; tensors_.count(name) || used_names_.count(name); ++i)
      name = base + "_" + std::to_string(i);
    return name;
  }

  // Kernel, strides, dilations and padding of a Conv or pool; true when the node declares padding (pads or
  // SAME auto_pad), not counting what ceil_mode adds.
  bool window(const onnx::NodeProto& n, Layer& l, const Shape& in) {
    const auto* ks = attr(n, "kernel_shape");
    if (!ks) fail(n, "kernel_shape must have 2 values");
    const auto k = attr_ints(n, "kernel_shape", {1, 1}, 1, kMaxWindow);
    l.kernel_h = k[0], l.kernel_w = k[1];
    const auto s = attr_ints(n, "strides", {1, 1}, 1, kMaxWindow);
    l.stride_h = s[0], l.stride_w = s[1];
    const auto d = attr_ints(n, "dilations", {1, 1}, 1, kMaxWindow);
    l.dilation_h = d[0], l.dilation_w = d[1];
    const int64_t ceil_mode = attr_int(n, "ceil_mode", 0);
    if (ceil_mode != 0 && ceil_mode != 1)
      fail(n, "ceil_mode must be 0 or 1, got " + std::to_string(ceil_mode));
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
    const bool declared = l.pad_top || l.pad_left || l.pad_bottom || l.pad_right;
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
  static void ceil_mode_padding(int in, int kernel, int stride, int dil, int lead, int& trail) {
    const int extent = dil * (kernel - 1) + 1;
    const int span = in + lead + trail - extent;
    if (span < 0) return;  // reported by shape inference
    int out = (span + stride - 1) / stride + 1;
    if ((out - 1) * stride >= in + lead) --out;
    trail += std::max(0, (out - 1) * stride + extent - (in + lead + trail));
  }

  void node(const onnx::NodeProto& n, bool last) {
    if (n.output_size() < 1 || n.output(0).empty()) fail(n, "the node has no output");
    const std::string& op = n.op_type();
    if (op == "Conv") return conv(n);
    if (op == "Gemm" || op == "MatMul") return fully_connected(n);
    if (op == "BatchNormalization") return batch_norm(n);
    if (op == "Relu") return relu(n);
    if (op == "Clip") return clip(n);
    if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool") return pool(n);
    if (op == "Add") return add(n);
    if (op == "Flatten" || op == "Reshape") return flatten(n);
    if (op == "Transpose" && initializers_.count(input(n, 0))) return transpose_constant(n);
    if (op == "Constant") return constant_node(n);
    if (fold_integer_constant(n)) return;  // shape arithmetic: Shape, Gather, Unsqueeze, Concat, ...
    if (op == "Dropout" || op == "Identity") {
      const std::string& x = input(n, 0);
      if (initializers_.count(x)) {  // an alias of a constant (torch de-duplicates shared initializers)
        initializers_[n.output(0)] = initializers_.at(x);
        return;
      }
      tensors_[n.output(0)] = tensor(x, op + " input");
      return;
    }
    if ((op == "Softmax" || op == "LogSoftmax") && last) {  // the network ends at the logits
      tensors_[n.output(0)] = tensor(input(n, 0), op + " input");
      return;
    }
    fail(n, "unsupported operator");
  }

  void conv(const onnx::NodeProto& n) {
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
      fail(n, "group " + std::to_string(groups) + " does not divide the " +
                  std::to_string(in.shape.channels) + " input channels");
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

  void fully_connected(const onnx::NodeProto& n) {
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
  // BatchNormalization is its only use (no other node and no graph output reads x). Otherwise it is a 1x1
  // depthwise convolution of its own.
  void batch_norm(const onnx::NodeProto& n) {
    const std::string& x = input(n, 0);
    const auto it = linear_.find(x);
    if (it == linear_.end() || consumers_[x] != 1) {
      const TensorInfo in = tensor(x, "BatchNormalization input");
      if (in.flat) fail(n, "batch normalization of a flattened tensor");
      Layer l;
      l.name = layer_name(n);
      l.kind = LayerKind::kConv;
      l.out_channels = in.shape.channels;
      l.groups = in.shape.channels;
      add_layer(l, n.output(0), in);
      result_.model.params[l.name] =
          FloatParams{std::vector<float>(static_cast<size_t>(l.out_channels), 1.0f),
                      std::vector<float>(static_cast<size_t>(l.out_channels), 0.0f), std::nullopt};
      producer_[x + "#bn"] = net_.layers.size() - 1;
      fold_batch_norm(n, net_.layers.back());
      return;
    }
    fold_batch_norm(n, net_.layers[it->second]);
    tensors_[n.output(0)] = tensors_.at(x);
    producer_[n.output(0)] = it->second;
    linear_[n.output(0)] = it->second;  // still the layer's linear output: a second BatchNorm folds too
  }

  void fold_batch_norm(const onnx::NodeProto& n, const Layer& conv) {
    FloatParams& p = result_.model.params.at(conv.name);
    const int64_t c = conv.out_channels;
    const auto scale = constant(n, 1, c, "scale"), beta = constant(n, 2, c, "B");
    const auto mean = constant(n, 3, c, "mean"), var = constant(n, 4, c, "var");
    const float eps = attr_float(n, "epsilon", 1e-5f);
    const size_t per = p.weights.size() / static_cast<size_t>(c);
    for (size_t m = 0; m < static_cast<size_t>(c); ++m) {
      if (static_cast<double>(var[m]) + eps <= 0) fail(n, "var + epsilon must be positive");
      const double s = scale[m] / std::sqrt(static_cast<double>(var[m]) + eps);
      for (size_t i = 0; i < per; ++i)
        p.weights[m * per + i] = static_cast<float>(p.weights[m * per + i] * s);
      p.bias[m] = static_cast<float>((p.bias[m] - mean[m]) * s + beta[m]);
    }
    for (float w : p.weights)
      if (!std::isfinite(w)) fail(n, "folding it into " + conv.name + " gives non-finite weights");
  }

  // Fused into the layer that produces x when the Relu is x's only use (no other node, no graph output).
  void relu(const onnx::NodeProto& n, float clip_max = std::numeric_limits<float>::infinity()) {
    const std::string& x = input(n, 0);
    const auto it = producer_.find(x);
    if (it != producer_.end() && consumers_[x] == 1) {
      Layer& l = net_.layers[it->second];
      if (l.kind == LayerKind::kConv || l.kind == LayerKind::kFullyConnected || l.kind == LayerKind::kAdd) {
        l.relu = true;  // fused
        l.clip_max = std::min(l.clip_max, clip_max);
        tensors_[n.output(0)] = tensors_.at(x);
        producer_[n.output(0)] = it->second;
        return;
      }
    }
    const TensorInfo in = tensor(x, "Relu input");
    Layer l;
    l.name = layer_name(n);
    l.kind = LayerKind::kRelu;
    l.relu = true;
    l.clip_max = clip_max;
    const bool flat = in.flat;
    const Shape nchw = in.nchw;
    add_layer(l, n.output(0), in);
    tensors_[n.output(0)].flat = flat;
    tensors_[n.output(0)].nchw = nchw;
  }

  void clip(const onnx::NodeProto& n) {
    float lo = attr_float(n, "min", -std::numeric_limits<float>::infinity());
    float hi = attr_float(n, "max", std::numeric_limits<float>::infinity());
    if (has_input(n, 1)) lo = constant(n, 1, 1, "min")[0];
    if (has_input(n, 2)) hi = constant(n, 2, 1, "max")[0];
    if (lo != 0.0f || !(hi > 0)) fail(n, "only Clip(min=0, max > 0) -- a ReLU or ReLU6 -- is supported");
    relu(n, hi);
  }

  void pool(const onnx::NodeProto& n) {
    const TensorInfo in = tensor(input(n, 0), n.op_type() + " input");
    if (in.flat) fail(n, "pooling of a flattened tensor");
    Layer l;
    l.name = layer_name(n);
    if (n.op_type() == "GlobalAveragePool") {
      l.kind = LayerKind::kAvgPool;
      l.kernel_h = in.shape.height, l.kernel_w = in.shape.width;
      l.stride_h = l.kernel_h, l.stride_w = l.kernel_w;
    } else {
      l.kind = n.op_type() == "MaxPool" ? LayerKind::kMaxPool : LayerKind::kAvgPool;
      const bool padded = window(n, l, in.shape);
      if (l.kind == LayerKind::kAvgPool && padded && attr_int(n, "count_include_pad", 0) != 0)
        fail(n,
             "count_include_pad=1 with padding is not supported (the mean is over positions inside the "
             "input)");
    }
    add_layer(l, n.output(0), in);
  }

  void add(const onnx::NodeProto& n) {
    const std::string &x = input(n, 0), &y = input(n, 1);
    if (initializers_.count(x) || initializers_.count(y)) fail(n, "adding a constant is not supported");
    const TensorInfo a = tensor(x, "Add input"), b = tensor(y, "Add input");
    if (a.flat != b.flat) fail(n, "adding a flattened tensor to a spatial one");
    Layer l;
    l.name = layer_name(n);
    l.kind = LayerKind::kAdd;
    add_layer(l, n.output(0), a, {b});
    tensors_[n.output(0)].flat = a.flat;
    tensors_[n.output(0)].nchw = a.nchw;
  }

  // Reshape as torch's flatten or view(N, -1) exports it: the target shape, read as ONNX reads it (0 copies
  // the input's dimension, one -1 takes the rest), must be 1 x features.
  void check_reshape_to_features(const onnx::NodeProto& n, const TensorInfo& in) const {
    const std::vector<int64_t> target = ints(initializer(n, 1));
    const int64_t total = in.shape.elements();  // the batch is 1
    const std::vector<int64_t> from =
        in.flat ? std::vector<int64_t>{1, total}
                : std::vector<int64_t>{1, in.shape.channels, in.shape.height, in.shape.width};
    std::string text;
    for (int64_t d : target) text += (text.empty() ? "" : ", ") + std::to_string(d);
    text = "[" + text + "]";
    std::vector<int64_t> dims;
    int64_t known = 1;
    int unknown = 0;
    for (size_t i = 0; i < target.size(); ++i) {
      int64_t d = target[i];
      if (d == 0) {
        if (i >= from.size()) fail(n, "shape " + text + ": a 0 beyond the input's rank");
        d = from[i];
      }
      if (d < -1) fail(n, "shape " + text + ": dimensions must be >= -1");
      if (d == -1)
        ++unknown;
      else
        known *= std::max<int64_t>(d, 1);
      if (known > total && d != -1) break;
      dims.push_back(d);
    }
    if (unknown > 1) fail(n, "shape " + text + ": at most one -1");
    if (unknown == 1 && (known == 0 || total % known != 0))
      fail(n, "cannot reshape " + std::to_string(total) + " values to " + text + " (" +
                  std::to_string(known) + " does not divide " + std::to_string(total) + ")");
    if (unknown == 0 && known != total)
      fail(n, "cannot reshape " + std::to_string(total) + " values to " + text);
    for (auto& d : dims)
      if (d == -1) d = total / known;
    if (dims.size() != 2 || dims[0] != 1)
      fail(n, "shape " + text + ": only a reshape to 1 x features (N x features) is supported");
  }

  void flatten(const onnx::NodeProto& n) {
    const std::string& x = input(n, 0);
    const TensorInfo in = tensor(x, n.op_type() + " input");
    if (n.op_type() == "Flatten" && attr_int(n, "axis", 1) != 1) fail(n, "only axis=1 is supported");
    if (n.op_type() == "Reshape") check_reshape_to_features(n, in);
    TensorInfo t = in;
    if (!in.flat) {
      t.flat = true;
      t.nchw = Shape{in.shape.height, in.shape.width, in.shape.channels};
    }
    tensors_[n.output(0)] = t;
    const auto it = producer_.find(x);
    if (it != producer_.end()) producer_[n.output(0)] = it->second;
    ++consumers_[x];  // the flattened view is a second use of the producer's output
  }

  Network net_;
  OnnxModel result_;
  std::map<std::string, TensorInfo> tensors_;
  std::map<std::string, size_t> producer_;  // tensor -> the layer whose output it is (after fusions)
  std::map<std::string, size_t> linear_;    // tensor -> the conv/FC whose output it is with nothing applied
  std::map<std::string, int> consumers_;
  std::set<std::string> used_names_;
};

}  // namespace

OnnxModel load_onnx(const std::string& path) {
  return parse_onnx(read_input_file(path, "ONNX model", kMaxOnnxBytes), path);
}

OnnxModel parse_onnx(const std::string& bytes, const std::string& origin) {
  return Importer(origin).run(bytes);
}

}  // namespace deepchip::sim
