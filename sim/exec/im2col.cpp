#include "sim/exec/im2col.hpp"

#include <algorithm>

#include "sim/exec/kernels.hpp"

namespace deepchip::sim {

template <typename T>
RowMatrix<T> im2col(const Tensor<T>& input, const Layer& l, int group) {
  const GemmShape g = gemm_shape(l);
  if (l.kind == LayerKind::kMatMul)
    return Eigen::Map<const RowMatrix<T>>(input.data.data() + group * g.m * g.k, g.m, g.k);
  const int cg = l.in_shape.channels / l.groups;
  const int ow = l.out_shape.width;
  RowMatrix<T> x = RowMatrix<T>::Zero(g.m, g.k);
  for (int oy = 0; oy < l.out_shape.height; ++oy) {
    for (int ox = 0; ox < ow; ++ox) {
      T* row = x.data() + (int64_t{oy} * ow + ox) * g.k;
      for (int ky = 0; ky < l.kernel_h; ++ky) {
        const int iy = oy * l.stride_h - l.pad_top + ky * l.dilation_h;
        if (iy < 0 || iy >= input.shape.height) continue;
        for (int kx = 0; kx < l.kernel_w; ++kx) {
          const int ix = ox * l.stride_w - l.pad_left + kx * l.dilation_w;
          if (ix < 0 || ix >= input.shape.width) continue;
          const T* src = &input.at(iy, ix, group * cg);
          std::copy(src, src + cg, row + (int64_t{ky} * l.kernel_w + kx) * cg);
        }
      }
    }
  }
  return x;
}

// A transpose of the group's N x K weights, in 64 x 64 blocks: column by column over a large K x N matrix,
// every write missed the cache.
template <typename T>
RowMatrix<T> gemm_weights(const std::vector<T>& weights, const Layer& l, int group) {
  const GemmShape g = gemm_shape(l);
  constexpr int64_t kBlock = 64;
  RowMatrix<T> w(g.k, g.n);
  const T* group_weights = weights.data() + group * g.n * g.k;
  for (int64_t n0 = 0; n0 < g.n; n0 += kBlock)
    for (int64_t k0 = 0; k0 < g.k; k0 += kBlock)
      for (int64_t n = n0; n < std::min(g.n, n0 + kBlock); ++n) {
        const T* src = group_weights + n * g.k;
        for (int64_t k = k0; k < std::min(g.k, k0 + kBlock); ++k) w(k, n) = src[k];
      }
  return w;
}

template <typename T>
RowMatrix<T> matmul_operand(const Tensor<T>& b, const Layer& l, int batch) {
  const GemmShape g = gemm_shape(l);
  const T* base = b.data.data() + batch * g.k * g.n;
  if (!l.transpose_b) return Eigen::Map<const RowMatrix<T>>(base, g.k, g.n);
  return Eigen::Map<const RowMatrix<T>>(base, g.n, g.k).transpose();
}

template RowMatrix<int32_t> matmul_operand(const Tensor<int32_t>&, const Layer&, int);
template RowMatrix<int32_t> im2col(const Tensor<int32_t>&, const Layer&, int);
template RowMatrix<float> im2col(const Tensor<float>&, const Layer&, int);
template RowMatrix<int32_t> gemm_weights(const std::vector<int32_t>&, const Layer&, int);
template RowMatrix<float> gemm_weights(const std::vector<float>&, const Layer&, int);

}  // namespace deepchip::sim
