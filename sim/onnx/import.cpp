#include "sim/onnx/import.hpp"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>
#include <map>
#include <set>

#include "sim/io/errors.hpp"
#include "sim/io/json_input.hpp"
#include "sim/io/limits.hpp"
#include "sim/onnx/importer.hpp"

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
    for (const auto& in : n.input()) {
      ++consumers_[in];
      auto& readers = readers_[in];
      if (std::find(readers.begin(), readers.end(), &n) == readers.end()) readers.push_back(&n);
    }
  // A graph output is a use too: nothing is fused into the layer that produces it.
  for (const auto& o : g.output()) ++consumers_[o.name()];
  read_input(g);
  // Constants first: a fusion looks ahead at nodes whose constant operands come later in the list.
  for (const auto& n : g.node())
    if (n.op_type() == "Constant") constant_node(n);
  for (int i = 0; i < g.node_size(); ++i)
    if (!fused_.count(&g.node(i)) && g.node(i).op_type() != "Constant")
      node(g.node(i), i == g.node_size() - 1);
  if (g.output_size() != 1) fail_file("the graph must have exactly one output");
  TensorInfo out = any_tensor(g.output(0).name(), "graph output");
  if (out.is_view()) {  // the output in ONNX's row-major order
    onnx::NodeProto output_node;
    output_node.set_name("graph output");
    output_node.add_output(g.output(0).name());
    out = contiguous(output_node, out);
  }
  result_.output = out.ir;
  result_.output_is_spatial = !out.flat && !out.is_view();
  result_.output_dims = out.is_view() ? std::vector<int64_t>(out.dims.begin() + 1, out.dims.end())
                        : out.flat
                            ? std::vector<int64_t>{out.shape.elements()}
                            : std::vector<int64_t>{out.shape.channels, out.shape.height, out.shape.width};
  // A view's leading axis is the batch only when it is 1 (a 2-D T x D output has no batch axis: all of it).
  if (out.is_view() && (out.dims.size() == 1 || out.dims[0] != 1)) result_.output_dims = out.dims;
  net_.name = path_;
  net_.finalize(path_);
  result_.model.net = net_;
  // Weights trained as ternary (exactly {-Wn, 0, +Wp}) carry their trained scales into quantization.
  for (auto& [name, p] : result_.model.params) p.trained_ternary = ternary_values(p.weights);
  return std::move(result_);
}

// The ONNX dims of an activation: N x C x H x W, N x F once flattened (batch 1), or a view's.
std::vector<int64_t> OnnxImporter::activation_dims(const std::string& name) const {
  const TensorInfo& in = any_tensor(name, "Shape input");
  if (in.is_view()) return in.dims;
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
    fail_file("tensor '" + printable(name) + "' used as " + use + " is a tensor of rank " +
              std::to_string(t.dims.size()) + " that is not N x C x H x W (transpose or reshape it back)");
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
      result_.input_dims = {t.shape.channels, t.shape.height, t.shape.width};
    } else if (dims.size() == 2) {
      t.shape = Shape{1, 1, input_dim(dims[1], in.name())};
      t.flat = true;
      t.nchw = t.shape;
      result_.input_dims = {t.shape.channels};
    } else if (dims.size() == 3) {  // N x T x D: a sequence of T tokens of D features
      t.dims = {1, input_dim(dims[1], in.name()), input_dim(dims[2], in.name())};
      t.strides = {t.dims[1] * t.dims[2], t.dims[2], 1};
      t.shape = Shape{1, static_cast<int>(t.dims[1]), static_cast<int>(t.dims[2])};
      result_.input_dims = {t.dims[1], t.dims[2]};
    } else {
      fail_file("graph input '" + printable(in.name()) + "' must be N x C x H x W, N x T x D or N x F");
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
  // A node on constants is a constant (shape arithmetic, masks, transposed weights).
  if (fold_constant(n)) return;
  if (op == "Conv" || op == "BatchNormalization" || op == "MaxPool" || op == "AveragePool" ||
      op == "GlobalAveragePool")
    spatial_input(n);  // a 4-D view (e.g. H and W transposed) gathered into a map first
  if (op == "Conv") return conv(n);
  if (op == "Gemm" || op == "MatMul") {
    if (!initializers_.count(input(n, 1))) return sequence_matmul(n);
    return is_view_input(n, 0) ? sequence_linear(n) : fully_connected(n);
  }
  if (op == "BatchNormalization") return batch_norm(n);
  if (op == "Relu") return relu(n);
  if (op == "Clip") return clip(n);
  if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool") return pool(n);
  if (op == "ReduceMean") {
    if (!is_view_input(n, 0)) return reduce_mean(n);
    if (!layer_norm(n)) fail(n, "a mean over the last axis is supported as the start of a LayerNorm only");
    return;
  }
  if (op == "Div" && gelu(n)) return;
  if (op == "Mul" && gelu_tanh(n)) return;
  if (op == "Where") return causal_mask(n);
  if (op == "Add" || op == "Mul" || op == "Sub" || op == "Div")
    return is_view_input(n, 0) || is_view_input(n, 1) ? sequence_binary(n) : binary(n);
  if (op == "Concat") {
    bool sequence = false;
    for (int i = 0; i < n.input_size(); ++i)
      sequence = sequence || is_view_input(n, i) || initializers_.count(input(n, i));
    return sequence ? sequence_concat(n) : concat(n);
  }
  if (op == "Sigmoid" || op == "HardSigmoid" || op == "HardSwish") return lookup(n);
  if (op == "Pad") return pad(n);
  if (op == "Flatten") return flatten(n);
  if (op == "Reshape") return reshape(n);
  if (op == "Transpose") return transpose(n);
  if (op == "Slice") return slice(n);
  if (op == "Split") return split(n);
  if (op == "Gather") return gather(n);
  if (op == "Squeeze" || op == "Unsqueeze") return squeeze(n);
  if (op == "Dropout" || op == "Identity") return alias(n);
  if ((op == "Softmax" || op == "LogSoftmax") && last && !is_view_input(n, 0)) {  // CNN logits: kept
    tensors_[n.output(0)] = tensor(input(n, 0), op + " input");
    return;
  }
  if (op == "Softmax") return softmax(n);
  fail(n, "unsupported operator");
}

const onnx::NodeProto* OnnxImporter::sole_reader(const std::string& tensor, const std::string& op) const {
  const auto it = readers_.find(tensor);
  const auto uses = consumers_.find(tensor);
  if (it == readers_.end() || it->second.size() != 1 || uses == consumers_.end() || uses->second != 1)
    return nullptr;
  return it->second[0]->op_type() == op ? it->second[0] : nullptr;
}

bool OnnxImporter::is_view_input(const onnx::NodeProto& n, int index) const {
  if (!has_input(n, index)) return false;
  const auto it = tensors_.find(input(n, index));
  return it != tensors_.end() && it->second.is_view();
}

// Dropout (inference) and Identity: the output is the input under another name.
void OnnxImporter::alias(const onnx::NodeProto& n) {
  const std::string& x = input(n, 0);
  if (initializers_.count(x)) {  // an alias of a constant (torch de-duplicates shared initializers)
    initializers_[n.output(0)] = initializers_.at(x);
    return;
  }
  tensors_[n.output(0)] = any_tensor(x, n.op_type() + " input");
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
