// Reference kernels shared by the float executor, the golden integer executor and the SystemC models.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <map>
#include <string>

#include "sim/ir/model.hpp"

namespace deepchip::sim {

template <typename T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Every conv/fc layer's integer GEMM weight matrices, by layer name, one per group.
using GemmWeights = std::map<std::string, std::vector<RowMatrix<int32_t>>>;

// Integer GEMMs are computed exactly and wrapped to the accumulator width afterwards (wrapping is modular, so
// this equals the hardware's wrap after every addition). When K * max|x| * max|w| < 2^53, every partial sum
// is an integer that a double holds exactly, and the vectorized double GEMM is exact and faster than int32
// (no SIMD 32-bit multiply below SSE4.1); otherwise the sums are taken in int64.
inline bool double_gemm_is_exact(int64_t k, double max_abs_x, double max_abs_w) {
  return static_cast<double>(k) * max_abs_x * max_abs_w < 9007199254740992.0;  // 2^53
}

// The same bound for float: every partial sum is an integer below 2^24, the float mantissa. It holds for
// 8-bit operands up to K = 518, and float GEMM runs twice as many lanes as double.
inline bool float_gemm_is_exact(int64_t k, double max_abs_x, double max_abs_w) {
  return static_cast<double>(k) * max_abs_x * max_abs_w < 16777216.0;  // 2^24
}

// Buffers an exact GEMM reuses from call to call: a fold's operands and products are tens of MiB for
// large-M layers, and allocating them per fold made the kernel fault in fresh pages for every fold.
struct GemmScratch {
  RowMatrix<double> x, w, product;
};

template <typename X, typename W>
void exact_int_gemm(const Eigen::MatrixBase<X>& x, const Eigen::MatrixBase<W>& w, RowMatrix<int64_t>& out,
                    GemmScratch& scratch) {
  const double max_x = x.size() ? static_cast<double>(x.cwiseAbs().maxCoeff()) : 0.0;
  const double max_w = w.size() ? static_cast<double>(w.cwiseAbs().maxCoeff()) : 0.0;
  out.resize(x.rows(), w.cols());  // keeps its memory when the size is unchanged
  if (double_gemm_is_exact(x.cols(), max_x, max_w)) {
    scratch.x = x.template cast<double>();
    scratch.w = w.template cast<double>();
    scratch.product.resize(x.rows(), w.cols());
    scratch.product.noalias() = scratch.x * scratch.w;
    out = scratch.product.template cast<int64_t>();
  } else {
    out.noalias() = x.template cast<int64_t>() * w.template cast<int64_t>();
  }
}

// Two's-complement wrap of `value` to `bits` bits (sign-extended).
inline int64_t wrap_to_bits(int64_t value, int bits) {
  if (bits >= 64) return value;
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  const uint64_t low = static_cast<uint64_t>(value) & mask;
  const uint64_t sign = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((low ^ sign) - sign);
}

// (value + 2^(shift-1)) >> shift with the result saturated to int64: one rounding, half up.
inline int64_t round_shift(__int128 value, int shift) {
  const __int128 rounded = shift > 0 ? (value + (static_cast<__int128>(1) << (shift - 1))) >> shift : value;
  return rounded > INT64_MAX ? INT64_MAX
                             : (rounded < -INT64_MAX ? -INT64_MAX : static_cast<int64_t>(rounded));
}

inline int32_t clamp_to(int64_t v, const TensorQuant& q) {
  return static_cast<int32_t>(v < q.qmin ? q.qmin : (v > q.qmax ? q.qmax : v));
}

// Bias, accumulator wrap, requantization and output clamp of one output element.
inline int32_t finish_output(int64_t raw_sum, int channel, const QuantLayer& q, int accumulator_bits) {
  const int64_t acc = wrap_to_bits(raw_sum + q.bias[static_cast<size_t>(channel)], accumulator_bits);
  return clamp_to(apply_requant(acc, q.requant[static_cast<size_t>(channel)]), q.out);
}

}  // namespace deepchip::sim
