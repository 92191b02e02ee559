#include "sim/onnx_graph_reader.hpp"

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

bool OnnxGraphReader::fold_integer_constant(const onnx::NodeProto& n) {
  const std::string& op = n.op_type();
  static const std::set<std::string> kFoldable = {"Shape", "Gather", "Unsqueeze", "Squeeze", "Concat",
                                                  "Cast",  "Add",    "Sub",       "Mul",     "Div"};
  if (!kFoldable.count(op)) return false;
  if (op == "Shape") {
    if (attr(n, "start") || attr(n, "end")) fail(n, "start and end are not supported");
    const std::vector<int64_t> dims = activation_dims(input(n, 0));
    make_int_constant(n.output(0), {static_cast<int64_t>(dims.size())}, dims);
    return true;
  }
  for (int i = 0; i < n.input_size(); ++i)
    if (!n.input(i).empty() && (!initializers_.count(n.input(i)) ||
                                initializers_.at(n.input(i))->data_type() != onnx::TensorProto::INT64))
      return false;  // not shape arithmetic
  const onnx::TensorProto& data = initializer(n, 0);
  const std::vector<int64_t> v = ints(data);
  std::vector<int64_t> dims(data.dims().begin(), data.dims().end());
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") {
    fold_arithmetic(n, v, dims);
  } else if (op == "Cast") {
    if (attr_int(n, "to", 0) != onnx::TensorProto::INT64) return false;
    make_int_constant(n.output(0), dims, v);
  } else if (op == "Concat") {
    if (attr_int(n, "axis", 0) != 0 && attr_int(n, "axis", 0) != -1) fail(n, "axis must be 0 for constants");
    std::vector<int64_t> all;
    for (int i = 0; i < n.input_size(); ++i) {
      const onnx::TensorProto& t = initializer(n, i);
      if (t.dims_size() != 1) fail(n, "only 1-D constants are concatenated at import");
      const auto part = ints(t);
      all.insert(all.end(), part.begin(), part.end());
    }
    make_int_constant(n.output(0), {static_cast<int64_t>(all.size())}, all);
  } else if (op == "Gather") {
    if (dims.size() != 1 || attr_int(n, "axis", 0) != 0) fail(n, "only axis 0 of a 1-D constant is gathered");
    const onnx::TensorProto& idx = initializer(n, 1);
    std::vector<int64_t> out;
    for (int64_t i : ints(idx)) {
      if (i < -dims[0] || i >= dims[0]) fail(n, "index " + std::to_string(i) + " out of range");
      out.push_back(v[static_cast<size_t>(i < 0 ? i + dims[0] : i)]);
    }
    make_int_constant(n.output(0), std::vector<int64_t>(idx.dims().begin(), idx.dims().end()), out);
  } else {  // Unsqueeze, Squeeze: the axes as an input (opset 13) or an attribute (before)
    std::vector<int64_t> axes;
    if (has_input(n, 1)) {
      axes = ints(initializer(n, 1));
    } else if (const auto* a = attr(n, "axes")) {
      axes.assign(a->ints().begin(), a->ints().end());
    }
    std::vector<int64_t> out_dims;
    if (op == "Unsqueeze") {
      const int64_t rank = static_cast<int64_t>(dims.size() + axes.size());
      std::vector<bool> inserted(static_cast<size_t>(rank), false);
      for (int64_t a : axes) {
        if (a < -rank || a >= rank) fail(n, "axis " + std::to_string(a) + " out of range");
        inserted[static_cast<size_t>(a < 0 ? a + rank : a)] = true;
      }
      for (int64_t i = 0, next = 0; i < rank; ++i)
        out_dims.push_back(inserted[static_cast<size_t>(i)] ? 1 : dims[static_cast<size_t>(next++)]);
    } else {
      const int64_t rank = static_cast<int64_t>(dims.size());
      for (int64_t i = 0; i < rank; ++i) {
        const bool listed =
            std::any_of(axes.begin(), axes.end(), [&](int64_t a) { return (a < 0 ? a + rank : a) == i; });
        if ((axes.empty() || listed) && dims[static_cast<size_t>(i)] == 1) continue;
        if (listed)
          fail(n, "squeezing axis " + std::to_string(i) + " of size " +
                      std::to_string(dims[static_cast<size_t>(i)]));
        out_dims.push_back(dims[static_cast<size_t>(i)]);
      }
    }
    make_int_constant(n.output(0), out_dims, v);
  }
  return true;
}

// Elementwise integer arithmetic (torch's chunk computes its split points so); the second operand is a
// single value or of the first's size. Div truncates, as ONNX integer division does.
void OnnxGraphReader::fold_arithmetic(const onnx::NodeProto& n, const std::vector<int64_t>& a,
                                      const std::vector<int64_t>& dims) {
  const std::vector<int64_t> b = ints(initializer(n, 1));
  if (b.size() != 1 && b.size() != a.size()) fail(n, "operands of different sizes");
  const std::string& op = n.op_type();
  std::vector<int64_t> out(a.size());
  constexpr int64_t kLimit = int64_t{1} << 40;  // shape arithmetic: far from overflow
  for (size_t i = 0; i < a.size(); ++i) {
    const int64_t x = a[i], y = b[b.size() == 1 ? 0 : i];
    if (std::abs(x) > kLimit || std::abs(y) > kLimit) fail(n, "integer operands beyond 2^40");
    if (op == "Div" && y == 0) fail(n, "integer division by zero");
    out[i] = op == "Add" ? x + y : op == "Sub" ? x - y : op == "Mul" ? x * y : x / y;
  }
  make_int_constant(n.output(0), dims, out);
}

// The helpers torch emits around expand(): ConstantOfShape, Equal and Where of int64 constants, and Expand of
// a constant (float or int64) to a constant shape, broadcast as ONNX (numpy) broadcasts.
bool OnnxGraphReader::fold_constant_helper(const onnx::NodeProto& n) {
  const std::string& op = n.op_type();
  if (op != "ConstantOfShape" && op != "Equal" && op != "Where" && op != "Expand") return false;
  for (int i = 0; i < n.input_size(); ++i)
    if (!n.input(i).empty() && !initializers_.count(n.input(i))) return false;
  if (op == "ConstantOfShape") {
    const std::vector<int64_t> dims = ints(initializer(n, 0));
    int64_t count = 1;
    for (int64_t d : dims) {
      if (d < 0 || d > kMaxLayerWeights || count * std::max<int64_t>(d, 1) > kMaxLayerWeights)
        fail(n, "a constant of more than 2^28 elements");
      count *= d;
    }
    onnx::TensorProto value;
    value.set_data_type(onnx::TensorProto::FLOAT);
    value.add_float_data(0.0f);
    if (const auto* a = attr(n, "value")) value = a->t();
    onnx::TensorProto& out = folded_.emplace_back();
    out.set_name(n.output(0));
    out.set_data_type(value.data_type());
    for (int64_t d : dims) out.add_dims(d);
    if (value.data_type() == onnx::TensorProto::INT64) {
      const int64_t v = ints(value).at(0);
      for (int64_t i = 0; i < count; ++i) out.add_int64_data(v);
    } else {
      const float v = floats(value).at(0);
      for (int64_t i = 0; i < count; ++i) out.add_float_data(v);
    }
    initializers_[n.output(0)] = &out;
    return true;
  }
  if (op == "Equal" || op == "Where") {
    std::vector<std::vector<int64_t>> in;
    size_t size = 1;
    for (int i = 0; i < n.input_size(); ++i) {
      in.push_back(ints(initializer(n, i)));
      size = std::max(size, in.back().size());
    }
    for (const auto& v : in)
      if (v.size() != 1 && v.size() != size) fail(n, "operands of different sizes");
    auto at = [&](size_t k, size_t i) { return in[k][in[k].size() == 1 ? 0 : i]; };
    std::vector<int64_t> out(size);
    for (size_t i = 0; i < size; ++i)
      out[i] = op == "Equal" ? at(0, i) == at(1, i) : (at(0, i) != 0 ? at(1, i) : at(2, i));
    std::vector<int64_t> dims = {static_cast<int64_t>(size)};
    for (int i = 0; i < n.input_size(); ++i)  // the dims of an operand of the full size
      if (in[static_cast<size_t>(i)].size() == size)
        dims.assign(initializer(n, i).dims().begin(), initializer(n, i).dims().end());
    make_int_constant(n.output(0), dims, out);
    return true;
  }
  // Expand: the constant broadcast to the shape (trailing axes aligned; a dim of 1 stretches).
  const onnx::TensorProto& data = initializer(n, 0);
  const std::vector<int64_t> shape = ints(initializer(n, 1));
  std::vector<int64_t> from(data.dims().begin(), data.dims().end());
  const size_t rank = std::max(from.size(), shape.size());
  while (from.size() < rank) from.insert(from.begin(), 1);
  std::vector<int64_t> to = shape;
  while (to.size() < rank) to.insert(to.begin(), 1);
  int64_t count = 1;
  for (size_t k = 0; k < rank; ++k) {
    if (from[k] != 1 && to[k] != 1 && from[k] != to[k]) fail(n, "the shape does not broadcast");
    to[k] = std::max(from[k], to[k]);
    if (count * to[k] > kMaxLayerWeights) fail(n, "a constant of more than 2^28 elements");
    count *= to[k];
  }
  std::vector<int64_t> source(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {  // the source element of each output element
    int64_t rest = i, src = 0, stride = 1;
    for (size_t k = rank; k-- > 0;) {
      const int64_t idx = rest % to[k];
      rest /= to[k];
      src += (from[k] == 1 ? 0 : idx) * stride;
      stride *= from[k];
    }
    source[static_cast<size_t>(i)] = src;
  }
  onnx::TensorProto& out = folded_.emplace_back();
  out.set_name(n.output(0));
  out.set_data_type(data.data_type());
  for (int64_t d : to) out.add_dims(d);
  if (data.data_type() == onnx::TensorProto::INT64) {
    const std::vector<int64_t> v = ints(data);
    for (int64_t s : source) out.add_int64_data(v[static_cast<size_t>(s)]);
  } else {
    const std::vector<float> v = floats(data);
    for (int64_t s : source) out.add_float_data(v[static_cast<size_t>(s)]);
  }
  initializers_[n.output(0)] = &out;
  return true;
}

void OnnxGraphReader::make_int_constant(const std::string& name, const std::vector<int64_t>& dims,
                                        const std::vector<int64_t>& values) {
  onnx::TensorProto& out = folded_.emplace_back();
  out.set_name(name);
  out.set_data_type(onnx::TensorProto::INT64);
  for (int64_t d : dims) out.add_dims(d);
  for (int64_t v : values) out.add_int64_data(v);
  initializers_[name] = &out;
}

void OnnxGraphReader::transpose_constant(const onnx::NodeProto& n) {
  const onnx::TensorProto& t = initializer(n, 0);
  const auto* perm = attr(n, "perm");
  const bool swap = !perm || (perm->ints_size() == 2 && perm->ints(0) == 1 && perm->ints(1) == 0);
  if (t.dims_size() != 2 || !swap) fail(n, "only a 2-D transpose of a constant is supported");
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

}  // namespace deepchip::sim
