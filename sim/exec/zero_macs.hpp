// MACs with a zero operand (what zero gating saves energy on). They depend on the compressed model and the
// layer's input activations only, not on the hardware: the executing array levels count them from the
// tensors they compute, and the `timing` level takes them from the golden tensors (sim/exec/golden.hpp),
// which equal the executed ones whenever a point verifies.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/exec/kernels.hpp"
#include "sim/ir/model.hpp"

namespace deepchip::sim {

using ZeroMacCounts = std::map<std::string, int64_t>;  // array layer name -> MACs with a zero operand

// Per group: M*K*N minus, over k, (nonzero inputs in column k of the im2col matrix) x (nonzero weights in
// row k of the weight matrix).
int64_t gemm_zero_macs(const Layer& layer, const QuantLayer& q,
                       const std::vector<RowMatrix<int32_t>>& group_inputs);

// The nonzero weights of each row k of each group's weight matrix, and the count above from them: O(M * K)
// per call instead of O(M * K + K * N) (layers that share weights: a decoding's steps).
using NonzeroWeights = std::vector<std::vector<int64_t>>;  // [group][k]
NonzeroWeights nonzero_weight_counts(const Layer& layer, const QuantLayer& q);
int64_t gemm_zero_macs(const Layer& layer, const NonzeroWeights& nonzero_weights,
                       const std::vector<RowMatrix<int32_t>>& group_inputs);

// The same for a matmul, whose weights per batch are its second operand's K x N matrices.
int64_t matmul_zero_macs(const Layer& layer, const std::vector<RowMatrix<int32_t>>& group_inputs,
                         const std::vector<RowMatrix<int32_t>>& group_weights);

// Every conv/fc/matmul layer of the model, on tensors holding each layer's input (e.g. the golden run's).
ZeroMacCounts zero_mac_counts(const QuantModel& model, const std::map<std::string, IntTensor>& tensors);

// One array layer at a time, on tensors holding its inputs (a golden run that frees what it no longer needs);
// layers that share weights count their nonzeros once.
class ZeroMacCounter {
 public:
  explicit ZeroMacCounter(const QuantModel& model) : model_(model) {}
  int64_t count(const Layer& layer, const std::map<std::string, IntTensor>& tensors);
  // A conv/fc layer on its im2col inputs (what the executing arrays have at hand).
  int64_t gemm(const Layer& layer, const std::vector<RowMatrix<int32_t>>& group_inputs);

 private:
  const QuantModel& model_;
  std::map<std::string, NonzeroWeights> nonzero_weights_;  // by Layer::params()
};

}  // namespace deepchip::sim
