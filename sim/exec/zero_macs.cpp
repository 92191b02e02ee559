#include "sim/exec/zero_macs.hpp"

#include "sim/exec/im2col.hpp"
#include "sim/ir/network.hpp"

namespace deepchip::sim {

NonzeroWeights nonzero_weight_counts(const Layer& layer, const QuantLayer& q) {
  const GemmShape g = gemm_shape(layer);
  NonzeroWeights counts(static_cast<size_t>(layer.groups), std::vector<int64_t>(static_cast<size_t>(g.k), 0));
  for (int grp = 0; grp < layer.groups; ++grp)
    for (int64_t n = 0; n < g.n; ++n) {
      const int32_t* w = q.weights.data() + (grp * g.n + n) * g.k;
      for (int64_t k = 0; k < g.k; ++k) counts[static_cast<size_t>(grp)][static_cast<size_t>(k)] += w[k] != 0;
    }
  return counts;
}

int64_t gemm_zero_macs(const Layer& layer, const NonzeroWeights& nonzero_weights,
                       const std::vector<RowMatrix<int32_t>>& group_inputs) {
  const GemmShape g = gemm_shape(layer);
  int64_t zero = 0;
  for (int grp = 0; grp < layer.groups; ++grp) {
    const auto& x = group_inputs[static_cast<size_t>(grp)];
    const auto& weights = nonzero_weights[static_cast<size_t>(grp)];
    int64_t nonzero = 0;
    for (int64_t m = 0; m < g.m; ++m) {
      const int32_t* row = x.data() + m * g.k;
      for (int64_t k = 0; k < g.k; ++k) nonzero += row[k] != 0 ? weights[static_cast<size_t>(k)] : 0;
    }
    zero += g.m * g.k * g.n - nonzero;
  }
  return zero;
}

int64_t gemm_zero_macs(const Layer& layer, const QuantLayer& q,
                       const std::vector<RowMatrix<int32_t>>& group_inputs) {
  const GemmShape g = gemm_shape(layer);
  int64_t zero = 0;
  for (int grp = 0; grp < layer.groups; ++grp) {
    const auto& x = group_inputs[static_cast<size_t>(grp)];
    // Row-major walk of the im2col matrix; 32-bit counters (M < 2^31) let the compiler vectorize it.
    std::vector<int32_t> nonzero_inputs(static_cast<size_t>(g.k), 0);
    int32_t* counts = nonzero_inputs.data();
    for (int64_t m = 0; m < g.m; ++m) {
      const int32_t* row = x.data() + m * g.k;
      for (int64_t k = 0; k < g.k; ++k) counts[k] += row[k] != 0;
    }
    int64_t nonzero = 0;
    for (int64_t n = 0; n < g.n; ++n) {
      const int32_t* w = q.weights.data() + (grp * g.n + n) * g.k;
      for (int64_t k = 0; k < g.k; ++k) nonzero += w[k] != 0 ? nonzero_inputs[static_cast<size_t>(k)] : 0;
    }
    zero += g.m * g.k * g.n - nonzero;
  }
  return zero;
}

int64_t matmul_zero_macs(const Layer& layer, const std::vector<RowMatrix<int32_t>>& group_inputs,
                         const std::vector<RowMatrix<int32_t>>& group_weights) {
  const GemmShape g = gemm_shape(layer);
  int64_t zero = 0;
  for (int grp = 0; grp < layer.groups; ++grp) {
    const auto& x = group_inputs[static_cast<size_t>(grp)];
    const auto& w = group_weights[static_cast<size_t>(grp)];
    int64_t nonzero = 0;
    for (int64_t k = 0; k < g.k; ++k)
      nonzero += int64_t{(x.col(k).array() != 0).count()} * (w.row(k).array() != 0).count();
    zero += g.m * g.k * g.n - nonzero;
  }
  return zero;
}

int64_t ZeroMacCounter::count(const Layer& layer, const std::map<std::string, IntTensor>& tensors) {
  const IntTensor& input = tensors.at(layer.inputs[0]);
  std::vector<RowMatrix<int32_t>> group_inputs, group_weights;
  for (int g = 0; g < layer.groups; ++g) group_inputs.push_back(im2col(input, layer, g));
  if (layer.kind == LayerKind::kMatMul) {
    for (int g = 0; g < layer.groups; ++g)
      group_weights.push_back(matmul_operand(tensors.at(layer.inputs[1]), layer, g));
    return matmul_zero_macs(layer, group_inputs, group_weights);
  }
  return gemm(layer, group_inputs);
}

int64_t ZeroMacCounter::gemm(const Layer& layer, const std::vector<RowMatrix<int32_t>>& group_inputs) {
  const QuantLayer& q = model_.layers.at(layer.params());
  if (layer.params_of.empty()) return gemm_zero_macs(layer, q, group_inputs);  // its weights' only use
  auto it = nonzero_weights_.find(layer.params());
  if (it == nonzero_weights_.end())
    it = nonzero_weights_.emplace(layer.params(), nonzero_weight_counts(layer, q)).first;
  return gemm_zero_macs(layer, it->second, group_inputs);
}

ZeroMacCounts zero_mac_counts(const QuantModel& model, const std::map<std::string, IntTensor>& tensors) {
  ZeroMacCounts counts;
  ZeroMacCounter counter(model);
  for (const Layer& layer : model.net.layers)
    if (layer.on_array()) counts[layer.name] = counter.count(layer, tensors);
  return counts;
}

}  // namespace deepchip::sim
