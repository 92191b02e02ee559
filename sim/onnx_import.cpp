#include "sim/onnx_import.hpp"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <deque>
#include <fstream>
#include <limits>
#include <map>
#include <set>

#include "sim/errors.hpp"
#include "sim/executor.hpp"

namespace deepchip::sim {

namespace {

// How an ONNX tensor lives in the IR.
struct TensorInfo {
  std::string ir;       // IR tensor (layer output or network input)
  Shape shape;          // HWC
  bool flat = false;    // a 2-D N x F view; `nchw` records the C, H, W it was flattened from
  Shape nchw{1, 1, 1};  // height, width, channels of the spatial tensor before Flatten
};

class Importer {
 public:
  explicit Importer(std::string path) : path_(std::move(path)) {}

  OnnxModel run() {
    std::ifstream f(path_, std::ios::binary);
    if (!f) throw InputError(path_ + ": cannot open ONNX model");
    onnx::ModelProto proto;
    if (!proto.ParseFromIstream(&f)) throw InputError(path_ + ": not an ONNX model (protobuf parse failed)");
    const onnx::GraphProto& g = proto.graph();
    for (const auto& t : g.initializer()) initializers_[t.name()] = &t;
    for (const auto& n : g.node())
      for (const auto& in : n.input()) ++consumers_[in];
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
  [[noreturn]] void fail_file(const std::string& what) const { throw InputError(path_ + ": " + what); }
  [[noreturn]] void fail(const onnx::NodeProto& n, const std::string& what) const {
    const std::string id = !n.name().empty() ? n.name() : (n.output_size() > 0 ? n.output(0) : "?");
    throw InputError(path_ + ": node '" + id + "' (" + n.op_type() + "): " + what);
  }

  const TensorInfo& tensor(const std::string& name, const std::string& use) const {
    const auto it = tensors_.find(name);
    if (it == tensors_.end())
      fail_file("tensor '" + name + "' used as " + use + " is not produced by any node");
    return it->second;
  }

  std::vector<float> floats(const onnx::TensorProto& t) const {
    if (t.data_type() != onnx::TensorProto::FLOAT) fail_file("initializer '" + t.name() + "' is not float32");
    if (!t.raw_data().empty()) {
      std::vector<float> v(t.raw_data().size() / sizeof(float));
      std::memcpy(v.data(), t.raw_data().data(), v.size() * sizeof(float));
      return v;
    }
    return std::vector<float>(t.float_data().begin(), t.float_data().end());
  }

  std::vector<int64_t> ints(const onnx::TensorProto& t) const {
    if (t.data_type() != onnx::TensorProto::INT64) fail_file("initializer '" + t.name() + "' is not int64");
    if (!t.raw_data().empty()) {
      std::vector<int64_t> v(t.raw_data().size() / sizeof(int64_t));
      std::memcpy(v.data(), t.raw_data().data(), v.size() * sizeof(int64_t));
      return v;
    }
    return std::vector<int64_t>(t.int64_data().begin(), t.int64_data().end());
  }

  const onnx::TensorProto& initializer(const onnx::NodeProto& n, int index) const {
    if (n.input_size() <= index || n.input(index).empty())
      fail(n, "input " + std::to_string(index) + " is missing");
    const auto it = initializers_.find(n.input(index));
    if (it == initializers_.end())
      fail(n, "input '" + n.input(index) + "' must be an initializer (constant)");
    return *it->second;
  }
  bool has_input(const onnx::NodeProto& n, int index) const {
    return n.input_size() > index && !n.input(index).empty();
  }

  const onnx::AttributeProto* attr(const onnx::NodeProto& n, const std::string& name) const {
    for (const auto& a : n.attribute())
      if (a.name() == name) return &a;
    return nullptr;
  }
  int64_t attr_int(const onnx::NodeProto& n, const std::string& name, int64_t def) const {
    const auto* a = attr(n, name);
    return a ? a->i() : def;
  }
  float attr_float(const onnx::NodeProto& n, const std::string& name, float def) const {
    const auto* a = attr(n, name);
    return a ? a->f() : def;
  }
  std::vector<int64_t> attr_ints(const onnx::NodeProto& n, const std::string& name,
                                 std::vector<int64_t> def) const {
    const auto* a = attr(n, name);
    return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : def;
  }

  void read_input(const onnx::GraphProto& g) {
    for (const auto& in : g.input()) {
      if (initializers_.count(in.name())) continue;
      if (!result_.input.empty()) fail_file("more than one graph input");
      std::vector<int64_t> dims;
      for (const auto& d : in.type().tensor_type().shape().dim()) dims.push_back(d.dim_value());
      TensorInfo t;
      t.ir = in.name();
      if (dims.size() == 4) {
        t.shape = Shape{static_cast<int>(dims[2]), static_cast<int>(dims[3]), static_cast<int>(dims[1])};
        spatial_input_ = true;
      } else if (dims.size() == 2) {
        t.shape = Shape{1, 1, static_cast<int>(dims[1])};
        t.flat = true;
        t.nchw = Shape{1, 1, static_cast<int>(dims[1])};
      } else {
        fail_file("graph input '" + in.name() + "' must be N x C x H x W or N x F");
      }
      net_.inputs.push_back({t.ir, t.shape});
      tensors_[in.name()] = t;
      result_.input = in.name();
    }
    if (result_.input.empty()) fail_file("the graph has no (non-constant) input");
  }

  Layer& add_layer(Layer l, const std::string& onnx_out, const TensorInfo& in) {
    l.inputs = {in.ir};
    net_.layers.push_back(l);
    // Shapes are inferred at the end by Network::finalize; infer this one now for the next nodes.
    Network probe;
    probe.inputs.push_back({in.ir, in.shape});
    Layer copy = l;
    probe.layers.push_back(copy);
    try {
      probe.finalize(path_);
    } catch (const InputError& e) {
      throw InputError(path_ + ": node producing '" + onnx_out +
                       "': " + std::string(e.what()).substr(path_.size() + 2));
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

  void window(const onnx::NodeProto& n, Layer& l, const Shape& in) {
    const auto k = attr_ints(n, "kernel_shape", {});
    if (k.size() != 2) fail(n, "kernel_shape must have 2 values");
    l.kernel_h = static_cast<int>(k[0]), l.kernel_w = static_cast<int>(k[1]);
    const auto s = attr_ints(n, "strides", {1, 1});
    l.stride_h = static_cast<int>(s[0]), l.stride_w = static_cast<int>(s[1]);
    const auto d = attr_ints(n, "dilations", {1, 1});
    l.dilation_h = static_cast<int>(d[0]), l.dilation_w = static_cast<int>(d[1]);
    if (attr_int(n, "ceil_mode", 0) != 0) fail(n, "ceil_mode=1 is not supported");
    const auto* ap = attr(n, "auto_pad");
    const std::string auto_pad = ap ? ap->s() : "NOTSET";
    if (auto_pad == "NOTSET") {
      const auto p = attr_ints(n, "pads", {0, 0, 0, 0});
      l.pad_top = static_cast<int>(p[0]), l.pad_left = static_cast<int>(p[1]);
      l.pad_bottom = static_cast<int>(p[2]), l.pad_right = static_cast<int>(p[3]);
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
      fail(n, "auto_pad '" + auto_pad + "' is not supported");
    }
  }

  void node(const onnx::NodeProto& n, bool last) {
    const std::string& op = n.op_type();
    if (op == "Conv") return conv(n);
    if (op == "Gemm" || op == "MatMul") return fully_connected(n);
    if (op == "BatchNormalization") return batch_norm(n);
    if (op == "Relu") return relu(n);
    if (op == "Clip") return clip(n);
    if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool") return pool(n);
    if (op == "Add") return add(n);
    if (op == "Flatten" || op == "Reshape") return flatten(n);
    if (op == "Transpose" && initializers_.count(n.input(0))) return transpose_constant(n);
    if (op == "Dropout" || op == "Identity") {
      tensors_[n.output(0)] = tensor(n.input(0), op + " input");
      return;
    }
    if ((op == "Softmax" || op == "LogSoftmax") && last) {  // the network ends at the logits
      tensors_[n.output(0)] = tensor(n.input(0), op + " input");
      return;
    }
    fail(n, "unsupported operator");
  }

  // A transposed constant (e.g. a Linear layer's weight) is folded at import.
  void transpose_constant(const onnx::NodeProto& n) {
    const onnx::TensorProto& t = initializer(n, 0);
    const auto perm = attr_ints(n, "perm", {1, 0});
    if (t.dims_size() != 2 || perm != std::vector<int64_t>{1, 0})
      fail(n, "only a 2-D transpose of a constant is supported");
    const std::vector<float> v = floats(t);
    const int64_t rows = t.dims(0), cols = t.dims(1);
    onnx::TensorProto& out = folded_.emplace_back();
    out.set_name(n.output(0));
    out.set_data_type(onnx::TensorProto::FLOAT);
    out.add_dims(cols);
    out.add_dims(rows);
    for (int64_t c = 0; c < cols; ++c)
      for (int64_t r = 0; r < rows; ++r) out.add_float_data(v[static_cast<size_t>(r * cols + c)]);
    initializers_[n.output(0)] = &out;
  }

  void conv(const onnx::NodeProto& n) {
    const TensorInfo in = tensor(n.input(0), "Conv input");
    if (in.flat) fail(n, "convolution of a flattened tensor");
    const onnx::TensorProto& w = initializer(n, 1);
    if (w.dims_size() != 4) fail(n, "weights must be M x C/group x kH x kW");
    Layer l;
    l.name = layer_name(n);
    l.kind = LayerKind::kConv;
    l.groups = static_cast<int>(attr_int(n, "group", 1));
    l.out_channels = static_cast<int>(w.dims(0));
    window(n, l, in.shape);
    if (l.kernel_h != w.dims(2) || l.kernel_w != w.dims(3)) fail(n, "kernel_shape differs from the weights");
    const int cg = static_cast<int>(w.dims(1)), kh = l.kernel_h, kw = l.kernel_w;
    const std::vector<float> src = floats(w);
    FloatParams p;
    p.weights.resize(src.size());
    for (int m = 0; m < l.out_channels; ++m)
      for (int c = 0; c < cg; ++c)
        for (int y = 0; y < kh; ++y)
          for (int x = 0; x < kw; ++x)
            p.weights[static_cast<size_t>(((m * kh + y) * kw + x) * cg + c)] =
                src[static_cast<size_t>(((m * cg + c) * kh + y) * kw + x)];
    p.bias = has_input(n, 2) ? floats(initializer(n, 2))
                             : std::vector<float>(static_cast<size_t>(l.out_channels), 0.0f);
    add_layer(l, n.output(0), in);
    result_.model.params[l.name] = std::move(p);
  }

  void fully_connected(const onnx::NodeProto& n) {
    const TensorInfo in = tensor(n.input(0), n.op_type() + " input");
    if (!in.flat) fail(n, "input must be 2-D (Flatten first)");
    const bool gemm = n.op_type() == "Gemm";
    if (gemm &&
        (attr_float(n, "alpha", 1) != 1 || attr_float(n, "beta", 1) != 1 || attr_int(n, "transA", 0) != 0))
      fail(n, "alpha and beta must be 1 and transA 0");
    const bool trans_b = gemm && attr_int(n, "transB", 0) == 1;
    const onnx::TensorProto& b = initializer(n, 1);
    if (b.dims_size() != 2) fail(n, "weights must be 2-D");
    const int64_t units = trans_b ? b.dims(0) : b.dims(1), k = trans_b ? b.dims(1) : b.dims(0);
    const Shape s = in.nchw;  // C, H, W of the flattened tensor (or 1, 1, F)
    if (k != s.elements())
      fail(n, "weights expect " + std::to_string(k) + " inputs, got " + std::to_string(s.elements()));
    const std::vector<float> src = floats(b);
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
    p.bias = gemm && has_input(n, 2) ? floats(initializer(n, 2))
                                     : std::vector<float>(static_cast<size_t>(units), 0.0f);
    if (p.bias.size() != static_cast<size_t>(units)) fail(n, "bias must have one value per output");
    add_layer(l, n.output(0), in);
    tensors_[n.output(0)].flat = true;
    tensors_[n.output(0)].nchw = Shape{1, 1, static_cast<int>(units)};
    result_.model.params[l.name] = std::move(p);
  }

  // Folds y = scale * (x - mean) / sqrt(var + eps) + B into the producing convolution; without one, it is
  // a 1x1 depthwise convolution of its own.
  void batch_norm(const onnx::NodeProto& n) {
    const auto it = producer_.find(n.input(0));
    if (it == producer_.end() || net_.layers[it->second].kind != LayerKind::kConv ||
        consumers_[n.input(0)] != 1) {
      const TensorInfo in = tensor(n.input(0), "BatchNormalization input");
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
      producer_[n.input(0) + "#bn"] = net_.layers.size() - 1;
      fold_batch_norm(n, net_.layers.back());
      return;
    }
    fold_batch_norm(n, net_.layers[it->second]);
    tensors_[n.output(0)] = tensors_.at(n.input(0));
    producer_[n.output(0)] = it->second;
  }

  void fold_batch_norm(const onnx::NodeProto& n, const Layer& conv) {
    FloatParams& p = result_.model.params.at(conv.name);
    const auto scale = floats(initializer(n, 1)), beta = floats(initializer(n, 2));
    const auto mean = floats(initializer(n, 3)), var = floats(initializer(n, 4));
    const float eps = attr_float(n, "epsilon", 1e-5f);
    const size_t per = p.weights.size() / static_cast<size_t>(conv.out_channels);
    for (size_t m = 0; m < static_cast<size_t>(conv.out_channels); ++m) {
      const double s = scale[m] / std::sqrt(static_cast<double>(var[m]) + eps);
      for (size_t i = 0; i < per; ++i)
        p.weights[m * per + i] = static_cast<float>(p.weights[m * per + i] * s);
      p.bias[m] = static_cast<float>((p.bias[m] - mean[m]) * s + beta[m]);
    }
  }

  void relu(const onnx::NodeProto& n) {
    const auto it = producer_.find(n.input(0));
    if (it != producer_.end() && consumers_[n.input(0)] == 1) {
      Layer& l = net_.layers[it->second];
      if (l.kind == LayerKind::kConv || l.kind == LayerKind::kFullyConnected || l.kind == LayerKind::kAdd) {
        l.relu = true;  // fused
        tensors_[n.output(0)] = tensors_.at(n.input(0));
        producer_[n.output(0)] = it->second;
        return;
      }
    }
    const TensorInfo in = tensor(n.input(0), "Relu input");
    Layer l;
    l.name = layer_name(n);
    l.kind = LayerKind::kRelu;
    l.relu = true;
    const bool flat = in.flat;
    const Shape nchw = in.nchw;
    add_layer(l, n.output(0), in);
    tensors_[n.output(0)].flat = flat;
    tensors_[n.output(0)].nchw = nchw;
  }

  void clip(const onnx::NodeProto& n) {
    float lo = attr_float(n, "min", -std::numeric_limits<float>::infinity());
    float hi = attr_float(n, "max", std::numeric_limits<float>::infinity());
    if (has_input(n, 1)) lo = floats(initializer(n, 1)).at(0);
    if (has_input(n, 2)) hi = floats(initializer(n, 2)).at(0);
    if (lo != 0.0f || !std::isinf(hi)) fail(n, "only Clip(min=0, no max) -- a ReLU -- is supported");
    relu(n);
  }

  void pool(const onnx::NodeProto& n) {
    const TensorInfo in = tensor(n.input(0), n.op_type() + " input");
    if (in.flat) fail(n, "pooling of a flattened tensor");
    Layer l;
    l.name = layer_name(n);
    if (n.op_type() == "GlobalAveragePool") {
      l.kind = LayerKind::kAvgPool;
      l.kernel_h = in.shape.height, l.kernel_w = in.shape.width;
      l.stride_h = l.kernel_h, l.stride_w = l.kernel_w;
    } else {
      l.kind = n.op_type() == "MaxPool" ? LayerKind::kMaxPool : LayerKind::kAvgPool;
      window(n, l, in.shape);
      const bool padded = l.pad_top || l.pad_left || l.pad_bottom || l.pad_right;
      if (l.kind == LayerKind::kAvgPool && padded && attr_int(n, "count_include_pad", 0) != 0)
        fail(n,
             "count_include_pad=1 with padding is not supported (the mean is over positions inside the "
             "input)");
    }
    add_layer(l, n.output(0), in);
  }

  void add(const onnx::NodeProto& n) {
    if (initializers_.count(n.input(0)) || initializers_.count(n.input(1)))
      fail(n, "adding a constant is not supported");
    const TensorInfo a = tensor(n.input(0), "Add input"), b = tensor(n.input(1), "Add input");
    Layer l;
    l.name = layer_name(n);
    l.kind = LayerKind::kAdd;
    add_layer(l, n.output(0), a);
    net_.layers.back().inputs = {a.ir, b.ir};
  }

  void flatten(const onnx::NodeProto& n) {
    const TensorInfo in = tensor(n.input(0), n.op_type() + " input");
    if (n.op_type() == "Flatten" && attr_int(n, "axis", 1) != 1) fail(n, "only axis=1 is supported");
    if (n.op_type() == "Reshape") {
      const auto shape = ints(initializer(n, 1));
      const bool to_2d = shape.size() == 2 && (shape[1] == -1 || shape[1] == in.shape.elements());
      if (!to_2d) fail(n, "only a reshape to N x features is supported");
    }
    TensorInfo t = in;
    if (!in.flat) {
      t.flat = true;
      t.nchw = Shape{in.shape.height, in.shape.width, in.shape.channels};
    }
    tensors_[n.output(0)] = t;
    const auto it = producer_.find(n.input(0));
    if (it != producer_.end()) producer_[n.output(0)] = it->second;
    ++consumers_[n.input(0)];  // the flattened view is a second use of the producer's output
  }

  std::string path_;
  Network net_;
  OnnxModel result_;
  bool spatial_input_ = false;
  std::map<std::string, const onnx::TensorProto*> initializers_;
  std::map<std::string, TensorInfo> tensors_;
  std::map<std::string, size_t> producer_;
  std::map<std::string, int> consumers_;
  std::set<std::string> used_names_;
  std::deque<onnx::TensorProto> folded_;  // constants made at import (stable addresses)
};

}  // namespace

OnnxModel load_onnx(const std::string& path) { return Importer(path).run(); }

OnnxTensor load_onnx_tensor(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(path + ": cannot open tensor file");
  onnx::TensorProto t;
  if (!t.ParseFromIstream(&f)) throw InputError(path + ": not an ONNX TensorProto");
  if (t.data_type() != onnx::TensorProto::FLOAT) throw InputError(path + ": tensor is not float32");
  OnnxTensor out;
  out.dims.assign(t.dims().begin(), t.dims().end());
  if (!t.raw_data().empty()) {
    out.values.resize(t.raw_data().size() / sizeof(float));
    std::memcpy(out.values.data(), t.raw_data().data(), out.values.size() * sizeof(float));
  } else {
    out.values.assign(t.float_data().begin(), t.float_data().end());
  }
  return out;
}

void save_onnx_tensor(const OnnxTensor& t, const std::string& path) {
  onnx::TensorProto p;
  p.set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : t.dims) p.add_dims(d);
  p.set_raw_data(
      std::string(reinterpret_cast<const char*>(t.values.data()), t.values.size() * sizeof(float)));
  std::ofstream f(path, std::ios::binary);
  if (!f || !p.SerializeToOstream(&f)) throw InputError(path + ": cannot write tensor file");
}

OnnxTensor infer(const OnnxModel& m, const OnnxTensor& input, bool quantized, const QuantConfig& config) {
  if (input.dims.empty()) throw InputError("input tensor has no dimensions");
  OnnxTensor out;
  FloatModel model = m.model;
  for (int64_t n = 0; n < input.dims[0]; ++n) {
    model.inputs[m.input] = onnx_to_hwc(input, n);
    FloatTensor y;
    if (!quantized) {
      y = run_float(model).at(m.output);
    } else {
      const QuantModel q = quantize(model, config);
      const IntTensor yq = run_golden(q, 32).at(m.output);
      const double scale = q.tensor_quant.at(m.output).scale;
      y = FloatTensor(yq.shape);
      for (size_t i = 0; i < yq.data.size(); ++i) y.data[i] = static_cast<float>(yq.data[i] * scale);
    }
    if (n == 0) {
      out.dims = {input.dims[0]};
      if (m.output_is_spatial)
        out.dims.insert(out.dims.end(), {y.shape.channels, y.shape.height, y.shape.width});
      else
        out.dims.push_back(y.shape.elements());
    }
    const auto v = hwc_to_onnx(y, m.output_is_spatial);
    out.values.insert(out.values.end(), v.begin(), v.end());
  }
  return out;
}

FloatTensor onnx_to_hwc(const OnnxTensor& t, int64_t n) {
  if (t.dims.size() == 2) {
    const int f = static_cast<int>(t.dims[1]);
    FloatTensor out(Shape{1, 1, f});
    for (int i = 0; i < f; ++i) out.data[static_cast<size_t>(i)] = t.values[static_cast<size_t>(n * f + i)];
    return out;
  }
  const int c = static_cast<int>(t.dims[1]), h = static_cast<int>(t.dims[2]), w = static_cast<int>(t.dims[3]);
  FloatTensor out(Shape{h, w, c});
  for (int ch = 0; ch < c; ++ch)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        out.at(y, x, ch) = t.values[static_cast<size_t>(((n * c + ch) * h + y) * w + x)];
  return out;
}

std::vector<float> hwc_to_onnx(const FloatTensor& t, bool spatial) {
  if (!spatial) return t.data;
  std::vector<float> out;
  out.reserve(t.data.size());
  for (int ch = 0; ch < t.shape.channels; ++ch)
    for (int y = 0; y < t.shape.height; ++y)
      for (int x = 0; x < t.shape.width; ++x) out.push_back(t.at(y, x, ch));
  return out;
}

}  // namespace deepchip::sim
