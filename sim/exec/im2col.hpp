// The GEMM operands of a layer: implicit im2col of its input, its weights as a K x N matrix, a matmul's
// second operand (models/README.md "Lowering").
#pragma once
#include <vector>

#include "sim/exec/kernels.hpp"
#include "sim/ir/model.hpp"

namespace deepchip::sim {

// Implicit im2col of one group: row m = output pixel (oy * OW + ox), column k = (ky * KW + kx) * Cg + ci.
// Positions outside the input (padding) read as zero. Of a matmul: batch `group`'s M x K rows of A.
template <typename T>
RowMatrix<T> im2col(const Tensor<T>& input, const Layer& layer, int group);

// The second operand of a matmul as batch `batch`'s K x N matrix (the array's weights), read from B (K x N)
// or from B^T (N x K) as the layer stores it.
template <typename T>
RowMatrix<T> matmul_operand(const Tensor<T>& b, const Layer& layer, int batch);

// The GEMM weight matrix W[k][n] of one group, from [out_channel][ky][kx][ci] weights.
template <typename T>
RowMatrix<T> gemm_weights(const std::vector<T>& weights, const Layer& layer, int group);

}  // namespace deepchip::sim
