#include "sim/onnx/graph_reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

namespace deepchip::sim {

void OnnxGraphReader::validate(const onnx::ModelProto& proto) {
  int64_t& opset = opset_;
  for (const auto& o : proto.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") opset = o.version();
  if (opset < 0) fail_file("it imports no opset of the default ONNX domain");
  if (opset < kMinOnnxOpset || opset > kMaxOnnxOpset)
    fail_file("opset " + std::to_string(opset) + " of the default domain is not supported (" +
              std::to_string(kMinOnnxOpset) + ".." + std::to_string(kMaxOnnxOpset) + ")");
  const onnx::GraphProto& g = proto.graph();
  std::map<std::string, std::string> writer;  // tensor -> what writes it
  for (const auto& t : g.initializer())
    if (!writer.emplace(t.name(), "an initializer").second)
      fail_file("two initializers are named '" + printable(t.name()) + "'");
  for (const auto& in : g.input()) writer.emplace(in.name(), "the graph input");
  for (const auto& n : g.node()) {
    if (!n.domain().empty() && n.domain() != "ai.onnx")
      fail(n, "domain '" + printable(n.domain()) + "' is not supported (only the default ONNX domain)");
    for (const auto& out : n.output()) {
      if (out.empty()) continue;
      const auto [it, fresh] = writer.emplace(out, "node '" + node_id(n) + "'");
      if (!fresh)
        fail(n, "writes '" + printable(out) + "', which " +
                    (it->second.rfind("node", 0) == 0 ? it->second + " writes too" : "is " + it->second));
    }
  }
}

void OnnxGraphReader::constant_node(const onnx::NodeProto& n) {
  if (n.output_size() < 1 || n.output(0).empty()) fail(n, "the node has no output");
  if (n.attribute_size() != 1) fail(n, "a Constant needs exactly one value attribute");
  const onnx::AttributeProto& a = n.attribute(0);
  onnx::TensorProto& out = folded_.emplace_back();
  if (a.name() == "value" && a.type() == onnx::AttributeProto::TENSOR) {
    out = a.t();
  } else if (a.name() == "value_int" && a.type() == onnx::AttributeProto::INT) {
    out.set_data_type(onnx::TensorProto::INT64);
    out.add_int64_data(a.i());
  } else if (a.name() == "value_ints" && a.type() == onnx::AttributeProto::INTS) {
    out.set_data_type(onnx::TensorProto::INT64);
    out.add_dims(a.ints_size());
    for (int64_t v : a.ints()) out.add_int64_data(v);
  } else if (a.name() == "value_float" && a.type() == onnx::AttributeProto::FLOAT) {
    out.set_data_type(onnx::TensorProto::FLOAT);
    out.add_float_data(a.f());
  } else if (a.name() == "value_floats" && a.type() == onnx::AttributeProto::FLOATS) {
    out.set_data_type(onnx::TensorProto::FLOAT);
    out.add_dims(a.floats_size());
    for (float v : a.floats()) out.add_float_data(v);
  } else {
    fail(n, "attribute '" + printable(a.name()) + "' is not a supported Constant value");
  }
  out.set_name(n.output(0));
  elements(out);  // dims checked
  initializers_[n.output(0)] = &out;
}

}  // namespace deepchip::sim
