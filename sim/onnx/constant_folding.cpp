// Constant folding: the subgraphs torch emits on constants (shape arithmetic of x.size(), Swin's padding,
// window counts and shifted-window masks, expand() of a class token, transposed weights), evaluated at
// import with ONNX's semantics (numpy broadcasting; integer Div truncates, Mod follows the divisor's sign
// unless fmod). Values are held as double: int64 operands stay below 2^53 (checked), float results are
// rounded to float32 as an ONNX runtime stores them.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "sim/onnx/graph_reader.hpp"

namespace deepchip::sim {

namespace {

using Dims = std::vector<int64_t>;

// The multi-index of flat element i of `dims`, row-major.
Dims index_of(int64_t i, const Dims& dims) {
  Dims idx(dims.size());
  for (size_t k = dims.size(); k-- > 0;) {
    idx[k] = dims[k] ? i % dims[k] : 0;
    i = dims[k] ? i / dims[k] : 0;
  }
  return idx;
}

bool is_integer_type(int type) { return type != onnx::TensorProto::FLOAT; }

// An int64 held as double: ONNX's "to the end" (INT64_MAX) and "from the start" (INT64_MIN) saturate
// instead of overflowing the conversion.
int64_t to_int64(double v) {
  if (v >= 9.2e18) return INT64_MAX;
  if (v <= -9.2e18) return INT64_MIN;
  return static_cast<int64_t>(v);
}

}  // namespace

OnnxGraphReader::Array OnnxGraphReader::array_of(const onnx::TensorProto& t) const {
  Array a;
  a.dims.assign(t.dims().begin(), t.dims().end());
  a.type = t.data_type();
  if (a.type == onnx::TensorProto::FLOAT) {
    for (float v : floats(t)) a.values.push_back(v);
  } else if (a.type == onnx::TensorProto::INT64) {
    for (int64_t v : ints(t)) a.values.push_back(static_cast<double>(v));
  } else if (a.type == onnx::TensorProto::BOOL || a.type == onnx::TensorProto::INT32) {
    const int64_t n = elements(t);
    if (!t.raw_data().empty()) {
      const size_t width = a.type == onnx::TensorProto::BOOL ? 1 : 4;
      if (t.raw_data().size() != static_cast<size_t>(n) * width)
        fail_file("initializer '" + printable(t.name()) +
                  "' holds a different number of bytes than its dims");
      for (int64_t i = 0; i < n; ++i) {
        int32_t v = 0;
        std::memcpy(&v, t.raw_data().data() + i * static_cast<int64_t>(width), width);
        a.values.push_back(width == 1 ? (v & 0xff) != 0 : v);
      }
    } else {
      if (t.int32_data_size() != n)
        fail_file("initializer '" + printable(t.name()) +
                  "' holds a different number of values than its dims");
      for (int32_t v : t.int32_data()) a.values.push_back(v);
    }
    if (a.type == onnx::TensorProto::INT32) a.type = onnx::TensorProto::INT64;
  } else {
    fail_file("initializer '" + printable(t.name()) + "' has a data type constant folding does not read");
  }
  return a;
}

void OnnxGraphReader::store(const onnx::NodeProto& n, const std::string& name, Array a) {
  if (count_of(a.dims) > kMaxLayerWeights || count_of(a.dims) != static_cast<int64_t>(a.values.size()))
    fail(n, "a folded constant of more than 2^28 elements");
  onnx::TensorProto& out = folded_.emplace_back();
  out.set_name(name);
  for (int64_t d : a.dims) out.add_dims(d);
  if (a.type == onnx::TensorProto::FLOAT) {
    out.set_data_type(onnx::TensorProto::FLOAT);
    for (double v : a.values) {
      if (!std::isfinite(static_cast<float>(v))) fail(n, "a folded constant is not finite");
      out.add_float_data(static_cast<float>(v));
    }
  } else if (a.type == onnx::TensorProto::BOOL) {
    out.set_data_type(onnx::TensorProto::BOOL);
    for (double v : a.values) out.add_int32_data(v != 0);
  } else {
    out.set_data_type(onnx::TensorProto::INT64);
    for (double v : a.values) {  // a value beyond 2^53 is exact only as INT64_MAX / INT64_MIN
      if (std::fabs(v) > 9007199254740992.0 && std::fabs(v) < 9.2e18)
        fail(n, "an integer constant beyond 2^53");
      out.add_int64_data(to_int64(v));
    }
  }
  initializers_[name] = &out;
}

// Elementwise over numpy-broadcast operands: out[i] = f(operand values at i).
OnnxGraphReader::Array OnnxGraphReader::broadcast(
    const onnx::NodeProto& n, const std::vector<Array>& in,
    const std::function<double(const std::vector<double>&)>& f) const {
  size_t rank = 0;
  for (const auto& a : in) rank = std::max(rank, a.dims.size());
  Dims out_dims(rank, 1);
  for (const auto& a : in)
    for (size_t k = 0; k < a.dims.size(); ++k) {
      int64_t& d = out_dims[rank - a.dims.size() + k];
      if (a.dims[k] != 1 && d != 1 && a.dims[k] != d) fail(n, "operands do not broadcast");
      if (a.dims[k] != 1) d = a.dims[k];
    }
  if (count_of(out_dims) > kMaxLayerWeights) fail(n, "a folded constant of more than 2^28 elements");
  Array out;
  out.dims = out_dims;
  out.type = in[0].type;
  std::vector<Dims> strides;
  for (const auto& a : in) {
    Dims s(rank, 0), own = row_major(a.dims);
    for (size_t k = 0; k < a.dims.size(); ++k) s[rank - a.dims.size() + k] = a.dims[k] == 1 ? 0 : own[k];
    strides.push_back(s);
  }
  std::vector<double> args(in.size());
  for (int64_t i = 0; i < count_of(out_dims); ++i) {
    const Dims idx = index_of(i, out_dims);
    for (size_t j = 0; j < in.size(); ++j) {
      int64_t at = 0;
      for (size_t k = 0; k < rank; ++k) at += idx[k] * strides[j][k];
      args[j] = in[j].values[static_cast<size_t>(at)];
    }
    out.values.push_back(f(args));
  }
  return out;
}

bool OnnxGraphReader::fold_constant(const onnx::NodeProto& n) {
  static const std::set<std::string> kFoldable = {
      "Shape",   "Identity",  "Cast",   "Unsqueeze",       "Squeeze", "Concat", "Gather",    "Slice",
      "Reshape", "Transpose", "Expand", "ConstantOfShape", "Range",   "Add",    "Sub",       "Mul",
      "Div",     "Mod",       "Pow",    "Equal",           "Not",     "Where",  "ScatterND", "Neg",
      "Sqrt"};
  const std::string& op = n.op_type();
  if (!kFoldable.count(op)) return false;
  if (op == "Shape") {
    if (attr(n, "start") || attr(n, "end")) fail(n, "start and end are not supported");
    const auto constant = initializers_.find(input(n, 0));
    const Dims dims = constant != initializers_.end()
                          ? Dims(constant->second->dims().begin(), constant->second->dims().end())
                          : activation_dims(input(n, 0));
    store(n, n.output(0),
          Array{{static_cast<int64_t>(dims.size())}, {dims.begin(), dims.end()}, onnx::TensorProto::INT64});
    return true;
  }
  for (const auto& name : n.input())  // an operator on activations (its constants are read there: a mask's
    if (!name.empty() && !initializers_.count(name)) return false;  // -inf fill is no foldable value)
  std::vector<Array> in;
  for (const auto& name : n.input()) in.push_back(name.empty() ? Array{} : array_of(*initializers_.at(name)));
  if (in.empty() && op != "ConstantOfShape") return false;
  store(n, n.output(0), evaluate(n, in));
  return true;
}

OnnxGraphReader::Array OnnxGraphReader::evaluate(const onnx::NodeProto& n,
                                                 const std::vector<Array>& in) const {
  const std::string& op = n.op_type();
  static const std::map<std::string, size_t> kInputs = {
      {"Reshape", 2}, {"Expand", 2},    {"Gather", 2}, {"Slice", 3}, {"Range", 3},
      {"Where", 3},   {"ScatterND", 3}, {"Add", 2},    {"Sub", 2},   {"Mul", 2},
      {"Div", 2},     {"Mod", 2},       {"Pow", 2},    {"Equal", 2}};
  const auto wanted = kInputs.find(op);
  const size_t needed = wanted == kInputs.end() ? 1 : wanted->second;
  for (size_t i = 0; i < needed; ++i)
    if (in.size() <= i || (in[i].values.empty() && in[i].dims.empty() && op != "Concat"))
      fail(n, "input " + std::to_string(i) + " is missing");
  auto axis_of = [&](int64_t axis, size_t rank) {
    if (axis < -static_cast<int64_t>(rank) || axis >= static_cast<int64_t>(rank))
      fail(n, "axis out of range");
    return static_cast<size_t>(axis < 0 ? axis + static_cast<int64_t>(rank) : axis);
  };
  auto ints_of = [&](const Array& a) {
    Dims v;
    for (double x : a.values) v.push_back(to_int64(x));
    return v;
  };
  const Array& x = in.empty() ? Array{} : in[0];
  if (op == "Identity") return x;
  if (op == "Cast") {
    Array out = x;
    const int64_t to = attr_int(n, "to", 0);
    if (to == onnx::TensorProto::FLOAT || to == onnx::TensorProto::DOUBLE) {
      out.type = onnx::TensorProto::FLOAT;
    } else if (to == onnx::TensorProto::BOOL) {
      out.type = onnx::TensorProto::BOOL;
      for (auto& v : out.values) v = v != 0;
    } else if (to == onnx::TensorProto::INT64 || to == onnx::TensorProto::INT32) {
      out.type = onnx::TensorProto::INT64;
      for (auto& v : out.values) v = std::trunc(v);
    } else {
      fail(n, "a cast to type " + std::to_string(to) + " is not supported");
    }
    return out;
  }
  if (op == "Unsqueeze" || op == "Squeeze") {
    Dims axes = n.input_size() > 1 && !in[1].values.empty() ? ints_of(in[1]) : Dims{};
    if (const auto* a = attr(n, "axes")) axes.assign(a->ints().begin(), a->ints().end());
    Array out = x;
    const size_t rank = op == "Unsqueeze" ? x.dims.size() + axes.size() : x.dims.size();
    std::set<size_t> listed;
    for (int64_t a : axes) listed.insert(axis_of(a, rank));
    out.dims.clear();
    for (size_t k = 0, next = 0; k < rank; ++k) {
      if (op == "Unsqueeze") {
        out.dims.push_back(listed.count(k) ? 1 : x.dims[next++]);
      } else if (!(x.dims[k] == 1 && (listed.empty() || listed.count(k)))) {
        if (listed.count(k)) fail(n, "squeezing an axis of size " + std::to_string(x.dims[k]));
        out.dims.push_back(x.dims[k]);
      }
    }
    return out;
  }
  if (op == "Reshape") {
    const Dims target = ints_of(in[1]);
    Array out = x;
    out.dims.clear();
    int64_t known = 1, unknown = -1;
    for (size_t k = 0; k < target.size(); ++k) {
      int64_t d = target[k] == 0 && k < x.dims.size() ? x.dims[k] : target[k];
      if (d == -1)
        unknown = static_cast<int64_t>(k);
      else
        known *= d;
      out.dims.push_back(d);
    }
    if (unknown >= 0 && known > 0) out.dims[static_cast<size_t>(unknown)] = count_of(x.dims) / known;
    if (count_of(out.dims) != count_of(x.dims)) fail(n, "the reshape changes the element count");
    return out;
  }
  if (op == "Concat") {
    Array out = x;
    const size_t axis = axis_of(attr_int(n, "axis", 0), x.dims.size());
    Dims dims = x.dims;
    dims[axis] = 0;
    for (const auto& a : in) {
      if (a.dims.size() != x.dims.size()) fail(n, "operands of different ranks");
      for (size_t k = 0; k < a.dims.size(); ++k)
        if (k != axis && a.dims[k] != x.dims[k]) fail(n, "operands differ outside the concatenated axis");
      dims[axis] += a.dims[axis];
    }
    out.dims = dims;
    out.values.clear();
    const int64_t outer = count_of(Dims(dims.begin(), dims.begin() + static_cast<std::ptrdiff_t>(axis)));
    for (int64_t o = 0; o < outer; ++o)
      for (const auto& a : in) {
        const int64_t block =
            count_of(Dims(a.dims.begin() + static_cast<std::ptrdiff_t>(axis), a.dims.end()));
        out.values.insert(out.values.end(), a.values.begin() + o * block, a.values.begin() + (o + 1) * block);
      }
    return out;
  }
  if (op == "Gather") {
    const size_t axis = axis_of(attr_int(n, "axis", 0), x.dims.size());
    const Dims idx = ints_of(in[1]);
    Array out = x;
    out.dims.clear();
    out.dims.insert(out.dims.end(), x.dims.begin(), x.dims.begin() + static_cast<std::ptrdiff_t>(axis));
    out.dims.insert(out.dims.end(), in[1].dims.begin(), in[1].dims.end());
    out.dims.insert(out.dims.end(), x.dims.begin() + static_cast<std::ptrdiff_t>(axis) + 1, x.dims.end());
    out.values.clear();
    const int64_t outer = count_of(Dims(x.dims.begin(), x.dims.begin() + static_cast<std::ptrdiff_t>(axis)));
    const int64_t inner =
        count_of(Dims(x.dims.begin() + static_cast<std::ptrdiff_t>(axis) + 1, x.dims.end()));
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i : idx) {
        if (i < -x.dims[axis] || i >= x.dims[axis]) fail(n, "index " + std::to_string(i) + " out of range");
        const int64_t row = i < 0 ? i + x.dims[axis] : i;
        const auto first = x.values.begin() + (o * x.dims[axis] + row) * inner;
        out.values.insert(out.values.end(), first, first + inner);
      }
    return out;
  }
  if (op == "Slice") {
    const Dims starts = ints_of(in[1]), ends = ints_of(in[2]);
    Dims axes = in.size() > 3 && !in[3].values.empty() ? ints_of(in[3]) : Dims{};
    Dims steps = in.size() > 4 && !in[4].values.empty() ? ints_of(in[4]) : Dims{};
    if (axes.empty())
      for (size_t k = 0; k < starts.size(); ++k) axes.push_back(static_cast<int64_t>(k));
    if (steps.empty()) steps.assign(starts.size(), 1);
    Dims begin(x.dims.size(), 0), step(x.dims.size(), 1), dims = x.dims;
    for (size_t i = 0; i < axes.size() && i < starts.size() && i < ends.size(); ++i) {
      const size_t a = axis_of(axes[i], x.dims.size());
      const int64_t d = x.dims[a], s = steps[i];
      if (s == 0) fail(n, "a step of 0");
      auto clamp = [&](int64_t v, int64_t lo, int64_t hi) {
        return std::clamp<int64_t>(v < 0 ? v + d : v, lo, hi);
      };
      const int64_t b = s > 0 ? clamp(starts[i], 0, d) : clamp(starts[i], -1, d - 1);
      const int64_t e = s > 0 ? clamp(ends[i], 0, d) : clamp(ends[i], -1, d - 1);
      begin[a] = b, step[a] = s;
      dims[a] = std::max<int64_t>(0, s > 0 ? (e - b + s - 1) / s : (b - e - s - 1) / -s);
    }
    Array out = x;
    out.dims = dims;
    out.values.clear();
    const Dims stride = row_major(x.dims);
    for (int64_t i = 0; i < count_of(dims); ++i) {
      const Dims idx = index_of(i, dims);
      int64_t at = 0;
      for (size_t k = 0; k < dims.size(); ++k) at += (begin[k] + idx[k] * step[k]) * stride[k];
      out.values.push_back(x.values[static_cast<size_t>(at)]);
    }
    return out;
  }
  if (op == "Transpose") {
    Dims perm;
    if (const auto* a = attr(n, "perm")) perm.assign(a->ints().begin(), a->ints().end());
    if (perm.empty())
      for (size_t k = x.dims.size(); k-- > 0;) perm.push_back(static_cast<int64_t>(k));
    Dims sorted = perm;
    std::sort(sorted.begin(), sorted.end());
    for (size_t k = 0; k < sorted.size(); ++k)
      if (sorted.size() != x.dims.size() || sorted[k] != static_cast<int64_t>(k))
        fail(n, "perm is not a permutation of the axes");
    Array out = x;
    const Dims stride = row_major(x.dims);
    for (size_t k = 0; k < perm.size(); ++k) out.dims[k] = x.dims[axis_of(perm[k], x.dims.size())];
    out.values.clear();
    for (int64_t i = 0; i < count_of(out.dims); ++i) {
      const Dims idx = index_of(i, out.dims);
      int64_t at = 0;
      for (size_t k = 0; k < perm.size(); ++k) at += idx[k] * stride[static_cast<size_t>(perm[k])];
      out.values.push_back(x.values[static_cast<size_t>(at)]);
    }
    return out;
  }
  if (op == "Expand") {
    Array shape;
    shape.dims = ints_of(in[1]);
    shape.values.assign(static_cast<size_t>(std::max<int64_t>(count_of(shape.dims), 0)), 0.0);
    if (count_of(shape.dims) > kMaxLayerWeights) fail(n, "a folded constant of more than 2^28 elements");
    return broadcast(n, {x, shape}, [](const std::vector<double>& v) { return v[0]; });
  }
  if (op == "ConstantOfShape") {
    Array out;
    out.dims = ints_of(in[0]);
    out.type = onnx::TensorProto::FLOAT;
    double value = 0;
    if (const auto* a = attr(n, "value")) {
      const Array v = array_of(a->t());
      if (v.values.size() != 1) fail(n, "the value must be one element");
      value = v.values[0];
      out.type = v.type;
    }
    for (int64_t d : out.dims)
      if (d < 0) fail(n, "a negative dimension");
    if (count_of(out.dims) > kMaxLayerWeights) fail(n, "a folded constant of more than 2^28 elements");
    out.values.assign(static_cast<size_t>(count_of(out.dims)), value);
    return out;
  }
  if (op == "Range") {
    for (size_t i = 0; i < 3; ++i)
      if (in[i].values.size() != 1) fail(n, "start, limit and delta must be one value each");
    const double start = in[0].values[0], limit = in[1].values[0], delta = in[2].values[0];
    if (delta == 0) fail(n, "a delta of 0");
    const double count = std::max(0.0, std::ceil((limit - start) / delta));
    if (count > kMaxLayerWeights) fail(n, "a folded constant of more than 2^28 elements");
    Array out;
    out.type = x.type;
    out.dims = {static_cast<int64_t>(count)};
    for (int64_t i = 0; i < static_cast<int64_t>(count); ++i)
      out.values.push_back(start + static_cast<double>(i) * delta);
    return out;
  }
  if (op == "Not" || op == "Neg" || op == "Sqrt")
    return broadcast(n, {x}, [&](const std::vector<double>& v) {
      return op == "Not" ? static_cast<double>(v[0] == 0) : op == "Neg" ? -v[0] : std::sqrt(v[0]);
    });
  if (op == "Where") {
    Array out = broadcast(n, {in[0], in[1], in[2]},
                          [](const std::vector<double>& v) { return v[0] != 0 ? v[1] : v[2]; });
    out.type = in[1].type;
    return out;
  }
  if (op == "ScatterND") {
    Array out = x;
    const Dims idx = ints_of(in[1]);
    if (in[1].dims.empty() || in[1].dims.back() < 1 ||
        in[1].dims.back() > static_cast<int64_t>(x.dims.size()))
      fail(n, "indices must end in an axis of 1 .. the data's rank");
    const size_t depth = static_cast<size_t>(in[1].dims.back());
    const int64_t slice = count_of(Dims(x.dims.begin() + static_cast<std::ptrdiff_t>(depth), x.dims.end()));
    if (in[2].values.size() != idx.size() / depth * static_cast<size_t>(slice))
      fail(n, "the updates do not match the indices");
    const Dims stride = row_major(x.dims);
    for (size_t u = 0; u * depth < idx.size(); ++u) {
      int64_t at = 0;
      for (size_t k = 0; k < depth; ++k) {
        const int64_t i = idx[u * depth + k];
        if (i < -x.dims[k] || i >= x.dims[k]) fail(n, "index out of range");
        at += (i < 0 ? i + x.dims[k] : i) * stride[k];
      }
      std::copy(in[2].values.begin() + static_cast<std::ptrdiff_t>(u) * slice,
                in[2].values.begin() + static_cast<std::ptrdiff_t>(u + 1) * slice, out.values.begin() + at);
    }
    return out;
  }
  // Add, Sub, Mul, Div, Mod, Pow, Equal: broadcast binary operators.
  const bool integer = is_integer_type(x.type) && is_integer_type(in[1].type);
  const bool fmod = attr_int(n, "fmod", 0) == 1;
  Array out = broadcast(n, {x, in[1]}, [&](const std::vector<double>& v) {
    const double a = v[0], b = v[1];
    if (op == "Add") return a + b;
    if (op == "Sub") return a - b;
    if (op == "Mul") return a * b;
    if (op == "Pow") return std::pow(a, b);
    if (op == "Equal") return static_cast<double>(a == b);
    if (b == 0 && integer) fail(n, "integer division by zero");
    if (op == "Div") return integer ? std::trunc(a / b) : a / b;
    const double r = std::fmod(a, b);  // Mod
    return fmod || r == 0 || (r < 0) == (b < 0) ? r : r + b;
  });
  if (op == "Equal") out.type = onnx::TensorProto::BOOL;
  if (op != "Equal" && !integer) out.type = onnx::TensorProto::FLOAT;
  if (op != "Equal" && !integer)
    for (auto& v : out.values) v = static_cast<float>(v);
  return out;
}

}  // namespace deepchip::sim
