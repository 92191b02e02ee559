// The transformer operators' integer semantics against their real-valued definitions on the same
// (dequantized) inputs: the error each adds on its own, in output LSBs, is what sim/README.md "Integer
// semantics" states.
#include "sim/exec/sequence_ops.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <random>

#include "sim/compress/quantize.hpp"
#include "sim/exec/im2col.hpp"
#include "sim/exec/kernels.hpp"

namespace deepchip::sim {
namespace {

IntTensor quantized(const std::vector<double>& x, const Shape& s, const TensorQuant& q) {
  IntTensor t(s);
  for (size_t i = 0; i < x.size(); ++i)
    t.data[i] = clamp_to(static_cast<int64_t>(std::llround(x[i] / q.scale)), q);
  return t;
}

// A causal row is the softmax of the keys it sees, as if the others were not there; they get 0. Rows of 3
// queries over 5 keys: query w sees keys 0 .. w + 2 (the first two keys are earlier tokens).
TEST(IntegerSoftmax, CausalRowIsTheSoftmaxOfTheKeysItSees) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> code(-127, 127);
  const Shape s{2, 3, 5};
  IntTensor x(s);
  for (auto& v : x.data) v = code(rng);
  const QuantLayer layer = quantize_softmax(make_tensor_quant(8, true, 4.0), 8);
  const IntTensor causal = int_softmax(x, layer, true);
  for (int row = 0; row < 6; ++row) {
    const int seen = row % 3 + 3;
    IntTensor prefix(Shape{1, 1, seen});
    for (int k = 0; k < seen; ++k) prefix.data[k] = x.data[row * 5 + k];
    const IntTensor alone = int_softmax(prefix, layer);
    for (int k = 0; k < 5; ++k)
      EXPECT_EQ(causal.data[row * 5 + k], k < seen ? alone.data[k] : 0) << "row " << row << " key " << k;
  }
  EXPECT_EQ(int_softmax(x, layer, false).data == causal.data, false);  // the mask changed something
}

TEST(IntegerSqrt, IsTheFloorOfTheSquareRoot) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const unsigned __int128 n = (static_cast<unsigned __int128>(rng()) << (rng() % 60)) + rng() % 1000;
    const unsigned __int128 r = integer_sqrt(n);
    EXPECT_TRUE(r * r <= n && (r + 1) * (r + 1) > n);
  }
  for (uint64_t n : {0ull, 1ull, 2ull, 3ull, 4ull, 15ull, 16ull, 17ull})
    EXPECT_EQ(static_cast<uint64_t>(integer_sqrt(n)),
              static_cast<uint64_t>(std::floor(std::sqrt(static_cast<double>(n)))));
}

// Softmax of 8-bit codes: the exact table and one rounding of each probability to 1/255.
TEST(IntegerSoftmax, IsWithinHalfAnOutputStepOfTheRealSoftmax) {
  std::mt19937 rng(1);
  double worst = 0;
  for (double spread : {0.5, 2.0, 8.0}) {
    std::normal_distribution<double> dist(0, spread);
    const Shape s{4, 16, 197};
    std::vector<double> x(static_cast<size_t>(s.elements()));
    double max_abs = 0;
    for (auto& v : x) max_abs = std::max(max_abs, std::fabs(v = dist(rng)));
    const TensorQuant in = make_tensor_quant(8, true, max_abs);
    const IntTensor q = quantized(x, s, in);
    const QuantLayer layer = quantize_softmax(in, 8);
    const IntTensor y = int_softmax(q, layer);
    for (size_t row = 0; row < q.data.size(); row += 197) {
      double top = -1e300, sum = 0;
      for (size_t i = 0; i < 197; ++i) top = std::max(top, q.data[row + i] * in.scale);
      for (size_t i = 0; i < 197; ++i) sum += std::exp(q.data[row + i] * in.scale - top);
      for (size_t i = 0; i < 197; ++i) {
        const double want = std::exp(q.data[row + i] * in.scale - top) / sum;
        worst = std::max(worst, std::fabs(y.data[row + i] * layer.out.scale - want) / layer.out.scale);
      }
    }
  }
  std::cout << "softmax: worst error " << worst << " output LSB (1/255)\n";
  EXPECT_LE(worst, 0.51);
}

// LayerNorm of 8-bit codes over 768 channels: integer mean and variance, Newton square root, one division
// per row.
TEST(IntegerLayerNorm, IsWithinHalfAnOutputStepOfTheRealLayerNorm) {
  std::mt19937 rng(2);
  double worst = 0;
  for (double offset : {0.0, 3.0}) {
    const Shape s{1, 32, 768};
    std::normal_distribution<double> dist(offset, 1.5);
    std::vector<double> x(static_cast<size_t>(s.elements()));
    double max_abs = 0;
    for (auto& v : x) max_abs = std::max(max_abs, std::fabs(v = dist(rng)));
    const TensorQuant in = make_tensor_quant(8, true, max_abs);
    const IntTensor q = quantized(x, s, in);
    Layer l;
    l.kind = LayerKind::kLayerNorm;
    l.in_shape = l.out_shape = s;
    l.epsilon = 1e-5f;
    FloatParams p;
    std::uniform_real_distribution<float> u(0.5f, 1.5f), b(-0.5f, 0.5f);
    for (int c = 0; c < 768; ++c) p.weights.push_back(u(rng)), p.bias.push_back(b(rng));
    std::vector<double> want(x.size());
    double y_max = 0;
    for (size_t row = 0; row < x.size(); row += 768) {
      double mean = 0, var = 0;
      for (size_t i = 0; i < 768; ++i) mean += q.data[row + i] * in.scale / 768;
      for (size_t i = 0; i < 768; ++i) var += std::pow(q.data[row + i] * in.scale - mean, 2) / 768;
      for (size_t i = 0; i < 768; ++i) {
        want[row + i] =
            (q.data[row + i] * in.scale - mean) / std::sqrt(var + l.epsilon) * p.weights[i] + p.bias[i];
        y_max = std::max(y_max, std::fabs(want[row + i]));
      }
    }
    const QuantLayer layer = quantize_layer_norm(l, p, in, 8, TensorRange{y_max, true});
    const IntTensor y = int_layer_norm(q, layer);
    for (size_t i = 0; i < x.size(); ++i)
      worst = std::max(worst, std::fabs(y.data[i] * layer.out.scale - want[i]) / layer.out.scale);
  }
  std::cout << "layernorm: worst error " << worst << " output LSB\n";
  EXPECT_LE(worst, 0.51);
}

// A matmul of two activations: the exact sum and one requantization.
TEST(IntegerMatMul, QuantizesTheExactProductOnce) {
  std::mt19937 rng(3);
  std::normal_distribution<double> dist(0, 1);
  Layer l;
  l.kind = LayerKind::kMatMul;
  l.transpose_b = true;
  l.in_shape = Shape{2, 5, 16};
  l.out_channels = 7;
  l.groups = 2;
  l.out_shape = Shape{2, 5, 7};
  std::vector<double> a(160), b(2 * 7 * 16);
  for (auto& v : a) v = dist(rng);
  for (auto& v : b) v = dist(rng);
  const TensorQuant qa = make_tensor_quant(8, true, 3.5), qb = make_tensor_quant(8, true, 3.5);
  const IntTensor ia = quantized(a, l.in_shape, qa), ib = quantized(b, Shape{2, 7, 16}, qb);
  double y_max = 0;
  std::vector<double> want(70);
  for (int g = 0; g < 2; ++g)
    for (int m = 0; m < 5; ++m)
      for (int n = 0; n < 7; ++n) {
        double sum = 0;
        for (int k = 0; k < 16; ++k)
          sum += ia.data[(g * 5 + m) * 16 + k] * qa.scale * ib.data[(g * 7 + n) * 16 + k] * qb.scale;
        want[(g * 5 + m) * 7 + n] = sum;
        y_max = std::max(y_max, std::fabs(sum));
      }
  const QuantLayer q = quantize_matmul(l, qa, qb, 8, TensorRange{y_max, true});
  for (int g = 0; g < 2; ++g) {
    const RowMatrix<int32_t> x = im2col(ia, l, g), w = matmul_operand(ib, l, g);
    for (int m = 0; m < 5; ++m)
      for (int n = 0; n < 7; ++n) {
        const int64_t sum = (x.row(m).cast<int64_t>() * w.col(n).cast<int64_t>())(0, 0);
        const double got = finish_output(sum, n, q, 32) * q.out.scale;
        EXPECT_LE(std::fabs(got - want[(g * 5 + m) * 7 + n]), 0.5 * q.out.scale * (1 + 1e-6));
      }
  }
}

}  // namespace
}  // namespace deepchip::sim
