// Checked reads of an ONNX protobuf: a field the graph lacks, a size that disagrees with the data or a value
// out of range is an InputError naming the node (or initializer) and the file, never an access past the end
// of a repeated field. The importer (import.cpp) reads the graph only through these.
#pragma once
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "sim/io/errors.hpp"
#include "sim/io/json_input.hpp"
#include "sim/io/limits.hpp"

namespace deepchip::sim {

// The elements of a tensor of `dims`, and its row-major strides (the last axis fastest).
inline int64_t count_of(const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}
inline std::vector<int64_t> row_major(const std::vector<int64_t>& dims) {
  std::vector<int64_t> strides(dims.size(), 1);
  for (size_t k = dims.size(); k-- > 1;) strides[k - 1] = strides[k] * dims[k];
  return strides;
}

class OnnxReader {
 protected:
  explicit OnnxReader(std::string origin) : path_(std::move(origin)) {}

  [[noreturn]] void fail_file(const std::string& what) const { throw InputError(path_ + ": " + what); }
  [[noreturn]] void fail(const onnx::NodeProto& n, const std::string& what) const {
    throw InputError(path_ + ": node '" + node_id(n) + "' (" + printable(n.op_type()) + "): " + what);
  }
  // A node as messages name it: its name, else its first output.
  static std::string node_id(const onnx::NodeProto& n) {
    return printable(!n.name().empty() ? n.name() : (n.output_size() > 0 ? n.output(0) : "?"));
  }
  static std::string printable(const std::string& s) {
    return is_valid_utf8(s) && s.size() <= static_cast<size_t>(kMaxNameBytes) ? s : "<unprintable name>";
  }

  // Elements of an initializer from its dims (each non-negative, the product bounded).
  int64_t elements(const onnx::TensorProto& t) const {
    int64_t count = 1;
    for (int64_t d : t.dims()) {
      if (d < 0 || d > kMaxLayerWeights || count * std::max<int64_t>(d, 1) > kMaxLayerWeights)
        fail_file("initializer '" + printable(t.name()) + "' has dims out of range (at most 2^28 elements)");
      count *= d;
    }
    return count;
  }

  std::vector<float> floats(const onnx::TensorProto& t) const {
    if (t.data_type() != onnx::TensorProto::FLOAT)
      fail_file("initializer '" + printable(t.name()) + "' is not float32");
    const auto count = static_cast<size_t>(elements(t));
    std::vector<float> v;
    if (!t.raw_data().empty() && t.float_data_size() > 0)
      fail_file("initializer '" + printable(t.name()) + "' holds both raw_data and float_data");
    if (!t.raw_data().empty()) {
      if (t.raw_data().size() != count * sizeof(float))
        fail_file("initializer '" + printable(t.name()) + "' holds " + std::to_string(t.raw_data().size()) +
                  " bytes, its dims need " + std::to_string(count * sizeof(float)));
      v.resize(count);
      std::memcpy(v.data(), t.raw_data().data(), count * sizeof(float));
    } else {
      if (static_cast<size_t>(t.float_data_size()) != count)
        fail_file("initializer '" + printable(t.name()) + "' holds " + std::to_string(t.float_data_size()) +
                  " values, its dims need " + std::to_string(count));
      v.assign(t.float_data().begin(), t.float_data().end());
    }
    for (float x : v)
      if (!std::isfinite(x)) fail_file("initializer '" + printable(t.name()) + "' holds a NaN or infinity");
    return v;
  }

  std::vector<int64_t> ints(const onnx::TensorProto& t) const {
    if (t.data_type() != onnx::TensorProto::INT64)
      fail_file("initializer '" + printable(t.name()) + "' is not int64");
    const auto count = static_cast<size_t>(elements(t));
    if (!t.raw_data().empty() && t.int64_data_size() > 0)
      fail_file("initializer '" + printable(t.name()) + "' holds both raw_data and int64_data");
    if (!t.raw_data().empty()) {
      if (t.raw_data().size() != count * sizeof(int64_t))
        fail_file("initializer '" + printable(t.name()) +
                  "' holds a different number of bytes than its dims");
      std::vector<int64_t> v(count);
      std::memcpy(v.data(), t.raw_data().data(), count * sizeof(int64_t));
      return v;
    }
    if (static_cast<size_t>(t.int64_data_size()) != count)
      fail_file("initializer '" + printable(t.name()) + "' holds a different number of values than its dims");
    return std::vector<int64_t>(t.int64_data().begin(), t.int64_data().end());
  }

  const std::string& input(const onnx::NodeProto& n, int index) const {
    if (n.input_size() <= index || n.input(index).empty())
      fail(n, "input " + std::to_string(index) + " is missing");
    return n.input(index);
  }
  const onnx::TensorProto& initializer(const onnx::NodeProto& n, int index) const {
    const std::string& name = input(n, index);
    const auto it = initializers_.find(name);
    if (it == initializers_.end())
      fail(n, "input '" + printable(name) + "' must be an initializer (constant)");
    return *it->second;
  }
  bool has_input(const onnx::NodeProto& n, int index) const {
    return n.input_size() > index && !n.input(index).empty();
  }
  // The values of a constant input with exactly `count` elements.
  std::vector<float> constant(const onnx::NodeProto& n, int index, int64_t count, const char* what) const {
    std::vector<float> v = floats(initializer(n, index));
    if (static_cast<int64_t>(v.size()) != count)
      fail(n, std::string(what) + " must have " + std::to_string(count) + " values, has " +
                  std::to_string(v.size()));
    return v;
  }

  const onnx::AttributeProto* attr(const onnx::NodeProto& n, const std::string& name) const {
    for (const auto& a : n.attribute())
      if (a.name() == name) return &a;
    return nullptr;
  }
  int64_t attr_int(const onnx::NodeProto& n, const std::string& name, int64_t def) const {
    const auto* a = attr(n, name);
    if (a && a->type() != onnx::AttributeProto::INT) fail(n, "attribute " + name + " must be an integer");
    return a ? a->i() : def;
  }
  float attr_float(const onnx::NodeProto& n, const std::string& name, float def) const {
    const auto* a = attr(n, name);
    if (a && a->type() != onnx::AttributeProto::FLOAT) fail(n, "attribute " + name + " must be a float");
    if (a && !std::isfinite(a->f())) fail(n, "attribute " + name + " must be finite");
    return a ? a->f() : def;
  }
  // A list attribute of exactly `count` integers in [lo, hi] (or its default).
  std::vector<int> attr_ints(const onnx::NodeProto& n, const std::string& name, std::vector<int> def,
                             int64_t lo, int64_t hi) const {
    const auto* a = attr(n, name);
    if (!a) return def;
    if (a->type() != onnx::AttributeProto::INTS || a->ints_size() != static_cast<int>(def.size()))
      fail(n, "attribute " + name + " must be a list of " + std::to_string(def.size()) + " integers");
    std::vector<int> v;
    for (int64_t x : a->ints()) {
      if (x < lo || x > hi)
        fail(n, "attribute " + name + " values must be in " + std::to_string(lo) + ".." + std::to_string(hi) +
                    ", got " + std::to_string(x));
      v.push_back(static_cast<int>(x));
    }
    return v;
  }

  // One dimension of the graph input: a fixed size in 1..2^16.
  int input_dim(const onnx::TensorShapeProto::Dimension& d, const std::string& name) const {
    if (!d.has_dim_value() || d.dim_value() < 1 || d.dim_value() > 65536)
      fail_file("graph input '" + printable(name) +
                "' needs fixed dimensions in 1..65536 (besides the batch)");
    return static_cast<int>(d.dim_value());
  }

  std::string path_;
  std::map<std::string, const onnx::TensorProto*> initializers_;
};

}  // namespace deepchip::sim
