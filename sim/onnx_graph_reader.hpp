// The graph-level half of the ONNX importer (onnx_import.cpp): the checks a graph passes before it is read,
// and the constants it evaluates at import (Constant nodes, the integer shape arithmetic torch emits for
// view(N, -1), a transposed constant weight). Internal to the importer, like onnx_reader.hpp.
#pragma once
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "sim/onnx_reader.hpp"

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
  // Integer shape arithmetic on constants, evaluated at import (torch's view(x.size(0), -1) and friends):
  // Shape of an activation, and Gather, Unsqueeze, Squeeze, Concat, Cast, Add, Sub, Mul and Div of int64
  // constants. False when
  // `n` is none of these on constants (the node is then read as an operator).
  bool fold_integer_constant(const onnx::NodeProto& n);
  // ConstantOfShape, Equal, Where and Expand of constants (torch's expand of a class token); false if `n` is
  // none of these on constants.
  bool fold_constant_helper(const onnx::NodeProto& n);
  // A transposed constant (e.g. a Linear layer's weight) is folded at import.
  void transpose_constant(const onnx::NodeProto& n);

 private:
  void fold_arithmetic(const onnx::NodeProto& n, const std::vector<int64_t>& a,
                       const std::vector<int64_t>& dims);
  void make_int_constant(const std::string& name, const std::vector<int64_t>& dims,
                         const std::vector<int64_t>& values);

  std::deque<onnx::TensorProto> folded_;  // constants made at import (stable addresses)
  int64_t opset_ = -1;
};

}  // namespace deepchip::sim
