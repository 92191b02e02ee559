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
#include "sim/onnx_importer.hpp"

namespace deepchip::sim {

OnnxModel OnnxImporter::run(std::string bytes) {
  onnx::ModelProto proto;
  if (!proto.ParseFromString(bytes)) fail_file("not an ONNX model (protobuf parse failed)");
  std::string().swap(bytes);  // the message holds what is needed
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

// The ONNX dims of an activation: N x C x H x W, or N x F once flattened (batch 1).
std::vector<int64_t> OnnxImporter::activation_dims(const std::string& name) const {
  const TensorInfo& in = any_tensor(name, "Shape input");
  if (in.is_view()) return in.view_dims;
  return in.flat ? std::vector<int64_t>{1, in.shape.elements()}
                 : std::vector<int64_t>{1, in.shape.channels, in.shape.height, in.shape.width};
}

const TensorInfo& OnnxImporter::any_tensor(const std::string& name, const std::string& use) const {
  const auto it = tensors_.find(name);
  if (it == tensors_.end())
    fail_file("tensor '" + printable(name) + "' used as " + use + " is not produced by any node");
  return it->second;
}

const TensorInfo& OnnxImporter::tensor(const std::string& name, const std::string& use) const {
  const TensorInfo& t = any_tensor(name, use);
  if (t.is_view())
    fail_file("tensor '" + printable(name) + "' used as " + use + " is a reshaped view (rank " +
              std::to_string(t.view_dims.size()) +
              ") that only Transpose and a Reshape back to N x C x H x W may use");
  return t;
}

void OnnxImporter::read_input(const onnx::GraphProto& g) {
  for (const auto& in : g.input()) {
    if (initializers_.count(in.name())) continue;
    if (!result_.input.empty()) fail_file("more than one graph input");
    const auto& dims = in.type().tensor_type().shape().dim();
    TensorInfo t;
    t.ir = in.name();
    if (dims.size() == 4) {
      t.shape =
          Shape{input_dim(dims[2], in.name()), input_dim(dims[3], in.name()), input_dim(dims[1], in.name())};
      result_.input_is_spatial = true;
    } else if (dims.size() == 2) {
      t.shape = Shape{1, 1, input_dim(dims[1], in.name())};
      t.flat = true;
      t.nchw = t.shape;
    } else {
      fail_file("graph input '" + printable(in.name()) + "' must be N x C x H x W or N x F");
    }
    net_.inputs.push_back({t.ir, t.shape});
    used_names_.insert(t.ir);
    tensors_[in.name()] = t;
    result_.input = in.name();
  }
  if (result_.input.empty()) fail_file("the graph has no (non-constant) input");
}

Layer& OnnxImporter::add_layer(Layer l, const std::string& onnx_out, const TensorInfo& in,
                               const std::vector<TensorInfo>& more_inputs) {
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

// IR names are unique (ONNX node names need not be): a repeated name gets a suffix _1, _2, ...
std::string OnnxImporter::unique_name(const std::string& base) {
  std::string name = base;
  for (int i = 1; used_names_.count(name); ++i) name = base + "_" + std::to_string(i);
  used_names_.insert(name);
  return name;
}

std::string OnnxImporter::layer_name(const onnx::NodeProto& n) {
  return unique_name(n.name().empty() ? n.output(0) : n.name());
}

void OnnxImporter::node(const onnx::NodeProto& n, bool last) {
  if (n.output_size() < 1 || n.output(0).empty()) fail(n, "the node has no output");
  const std::string& op = n.op_type();
  if (op == "Constant") return constant_node(n);
  // Shape arithmetic on integer constants first: Shape, Gather, Unsqueeze, Concat, Add, Mul, Div, ...
  if (fold_integer_constant(n)) return;
  if (op == "Conv") return conv(n);
  if (op == "Gemm" || op == "MatMul") return fully_connected(n);
  if (op == "BatchNormalization") return batch_norm(n);
  if (op == "Relu") return relu(n);
  if (op == "Clip") return clip(n);
  if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool") return pool(n);
  if (op == "ReduceMean") return reduce_mean(n);
  if (op == "Add" || op == "Mul" || op == "Sub" || op == "Div") return binary(n);
  if (op == "Concat") return concat(n);
  if (op == "Sigmoid" || op == "HardSigmoid" || op == "HardSwish") return lookup(n);
  if (op == "Pad") return pad(n);
  if (op == "Flatten") return flatten(n);
  if (op == "Reshape") return reshape(n);
  if (op == "Transpose") return initializers_.count(input(n, 0)) ? transpose_constant(n) : transpose(n);
  if (op == "Slice") return slice(n);
  if (op == "Split") return split(n);
  if (op == "Dropout" || op == "Identity") return alias(n);
  if ((op == "Softmax" || op == "LogSoftmax") && last) {  // the network ends at the logits
    tensors_[n.output(0)] = tensor(input(n, 0), op + " input");
    return;
  }
  fail(n, "unsupported operator");
}

// Dropout (inference) and Identity: the output is the input under another name.
void OnnxImporter::alias(const onnx::NodeProto& n) {
  const std::string& x = input(n, 0);
  if (initializers_.count(x)) {  // an alias of a constant (torch de-duplicates shared initializers)
    initializers_[n.output(0)] = initializers_.at(x);
    return;
  }
  tensors_[n.output(0)] = tensor(x, n.op_type() + " input");
}

const TensorInfo& OnnxImporter::activation(const onnx::NodeProto& n, int index,
                                           const std::string& use) const {
  const std::string& name = input(n, index);
  if (initializers_.count(name))
    fail(n, "input " + std::to_string(index) + " must be an activation, not a constant");
  return tensor(name, use);
}

OnnxModel load_onnx(const std::string& path) {
  return parse_onnx(read_input_file(path, "ONNX model", kMaxOnnxBytes), path);
}

OnnxModel parse_onnx(std::string bytes, const std::string& origin) {
  return OnnxImporter(origin).run(std::move(bytes));
}

}  // namespace deepchip::sim
