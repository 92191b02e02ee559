// The graph-level half of the ONNX importer (import.cpp): the checks a graph passes before it is read,
// and the constants it evaluates at import (Constant nodes; any node on constants: the shape arithmetic
// torch emits for view(N, -1), Swin's window masks, a transposed constant weight). Internal to the importer,
// like reader.hpp.
#pragma once
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "sim/onnx/reader.hpp"

namespace deepchip::sim {

// The default ONNX domain's opsets whose operator semantics the importer implements (torch 1.13 exports
// 9..17, libonnx-testdata's PyTorch-converted cases are opset 6; 18 changed no operator read here).
constexpr int64_t kMinOnnxOpset = 6, kMaxOnnxOpset = 18;

class OnnxGraphReader : protected OnnxReader {
 protected:
  explicit OnnxGraphReader(std::string origin) : OnnxReader(std::move(origin)) {}
  virtual ~OnnxGraphReader() = default;

  // The ONNX dims of an activation (what Shape of it gives); the importer knows them.
  virtual std::vector<int64_t> activation_dims(const std::string& tensor) const = 0;

  // The graph as ONNX defines it, checked before anything is read: a supported opset of the default domain,
  // only that domain's operators, and one writer per tensor (no node writes the graph input, an
  // initializer, or what another node writes).
  void validate(const onnx::ModelProto& proto);
  int64_t opset() const { return opset_; }  // of the default domain (validate() reads it)
  // A Constant node is an initializer by another name.
  void constant_node(const onnx::NodeProto& n);
  // A node whose inputs are all constants (and Shape of an activation) evaluated at import into a constant
  // (constant_folding.cpp): shape arithmetic, Swin's masks and paddings, expand(), transposed weights.
  // False when `n` reads an activation or is not a foldable operator (it is then read as an operator).
  bool fold_constant(const onnx::NodeProto& n);

  struct Array {  // a constant being folded: values as double, the ONNX data type they stand for
    std::vector<int64_t> dims;
    std::vector<double> values;
    int type = onnx::TensorProto::FLOAT;
  };
  Array array_of(const onnx::TensorProto& t) const;

 private:
  void store(const onnx::NodeProto& n, const std::string& name, Array a);
  Array broadcast(const onnx::NodeProto& n, const std::vector<Array>& in,
                  const std::function<double(const std::vector<double>&)>& f) const;
  Array evaluate(const onnx::NodeProto& n, const std::vector<Array>& in) const;

  std::deque<onnx::TensorProto> folded_;  // constants made at import (stable addresses)
  int64_t opset_ = -1;
};

}  // namespace deepchip::sim
