#include "sim/exec/golden.hpp"

#include <gtest/gtest.h>

#include "random_layers.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/exec/kernels.hpp"
#include "sim/exec/vector_kernels.hpp"
#include "sim/ir/synthetic.hpp"
#include "sim/zoo/zoo.hpp"

namespace deepchip::sim {
namespace {

// An independent reference: direct convolution loops in int64, then the documented output semantics.
IntTensor direct_conv(const IntTensor& x, const Layer& l, const QuantLayer& q, int acc_bits) {
  IntTensor y(l.out_shape);
  const int cg = l.in_shape.channels / l.groups, ng = l.out_channels / l.groups;
  for (int oy = 0; oy < l.out_shape.height; ++oy)
    for (int ox = 0; ox < l.out_shape.width; ++ox)
      for (int oc = 0; oc < l.out_channels; ++oc) {
        const int g = oc / ng;
        int64_t sum = q.bias[static_cast<size_t>(oc)];
        for (int ky = 0; ky < l.kernel_h; ++ky)
          for (int kx = 0; kx < l.kernel_w; ++kx)
            for (int ci = 0; ci < cg; ++ci) {
              const int iy = oy * l.stride_h - l.pad_top + ky * l.dilation_h;
              const int ix = ox * l.stride_w - l.pad_left + kx * l.dilation_w;
              if (iy < 0 || ix < 0 || iy >= x.shape.height || ix >= x.shape.width) continue;
              const int64_t w =
                  q.weights[static_cast<size_t>(((oc * l.kernel_h + ky) * l.kernel_w + kx) * cg + ci)];
              sum += w * x.at(iy, ix, g * cg + ci);
            }
        const int64_t acc = wrap_to_bits(sum, acc_bits);
        y.at(oy, ox, oc) = clamp_to(apply_requant(acc, q.requant[static_cast<size_t>(oc)]), q.out);
      }
  return y;
}

using testing::CaseKind;

TEST(Golden, GemmLayersEqualDirectConvolution) {
  int cases = 0;
  for (CaseKind kind : {CaseKind::kRandomConv, CaseKind::kPointwise, CaseKind::kDepthwise, CaseKind::kStride2,
                        CaseKind::kFullyConnected, CaseKind::kDilated})
    for (int bits : {2, 4, 8, 16})
      for (int acc_bits : {20, 32, 48})
        for (uint32_t seed = 1; seed <= 3; ++seed) {
          const auto c = testing::random_layer_case(kind, bits, bits, seed * 7919 + bits);
          const Layer& l = c.net.layers[0];
          const QuantLayer& q = c.model.layers.at("layer");
          const IntTensor& x = c.model.inputs.at("input");
          EXPECT_EQ(golden_gemm_layer(x, l, q, acc_bits).data, direct_conv(x, l, q, acc_bits).data)
              << c.describe() << " acc_bits=" << acc_bits;
          ++cases;
        }
  EXPECT_EQ(cases, 216);
}

TEST(Golden, PoolingAndAddSemantics) {
  Layer pool;
  pool.kind = LayerKind::kAvgPool;
  pool.kernel_h = 1, pool.kernel_w = 2, pool.stride_h = 1, pool.stride_w = 2;
  pool.in_shape = Shape{1, 4, 1};
  pool.out_shape = Shape{1, 2, 1};
  IntTensor x(Shape{1, 4, 1});
  x.data = {1, 2, -1, -2};
  EXPECT_EQ(int_avgpool(x, pool).data, (std::vector<int32_t>{2, -1}));  // 1.5 -> 2, -1.5 -> -1
  pool.kind = LayerKind::kMaxPool;
  EXPECT_EQ(int_maxpool(x, pool).data, (std::vector<int32_t>{2, -1}));
  // Padding never wins a max: a 3x1 window with one pad row over {-5, -7}.
  Layer padded = pool;
  padded.kernel_h = 3, padded.kernel_w = 1, padded.stride_h = 1, padded.stride_w = 1;
  padded.pad_top = 1;
  padded.in_shape = Shape{2, 1, 1};
  padded.out_shape = Shape{1, 1, 1};
  IntTensor y(Shape{2, 1, 1});
  y.data = {-5, -7};
  EXPECT_EQ(int_maxpool(y, padded).data, (std::vector<int32_t>{-5}));

  QuantLayer add;
  add.requant = {Requant{1 << 30, 31}, Requant{1 << 30, 31}};  // both inputs x 0.5
  add.out = make_tensor_quant(8, false, 1.0);
  IntTensor a(Shape{1, 1, 3}), b(Shape{1, 1, 3});
  a.data = {1, 100, 255};
  b.data = {2, -300, 255};
  EXPECT_EQ(int_add(a, b, add).data, (std::vector<int32_t>{2, 0, 255}));  // 1.5 -> 2, -100 -> 0 (clamp), 255
}

TEST(Golden, WorstCaseAccumulatorIsExact) {
  auto c = testing::random_layer_case(CaseKind::kPointwise, 8, 8, 5);
  const int64_t k = gemm_shape(c.net.layers[0]).k;
  ASSERT_GE(k, 2);
  QuantModel& m = c.model;
  auto& q = m.layers.at("layer");
  std::fill(q.weights.begin(), q.weights.end(), 0);
  std::fill(q.bias.begin(), q.bias.end(), 0);
  q.weights[0] = 127;  // channel 0: weights {127, -100, 0...}, bias 10
  q.weights[1] = -100;
  q.bias[0] = 10;
  // Unsigned inputs in [0, 255]: the sum spans [255 * -100 + 10, 255 * 127 + 10].
  EXPECT_EQ(worst_case_accumulator(m, c.net.layers[0]), 255 * 127 + 10);
  // Signed inputs in [-127, 127]: the sum spans +-127 * 227 + 10.
  m.tensor_quant["input"] = make_tensor_quant(8, true, 1.0);
  EXPECT_EQ(worst_case_accumulator(m, c.net.layers[0]), 127 * 227 + 10);
}

// A layer's GEMM rows go in blocks over threads (golden_reference uses every core): the same tensors on any
// number, with the weights kept or lowered per chunk of columns.
TEST(Golden, TheSameTensorsOnAnyNumberOfThreads) {
  const QuantModel model = quantize(make_synthetic_model(zoo_network("svhn_convnet"), 3), QuantConfig{});
  const auto one = GoldenRunner(model, 32, nullptr, WeightKeeping::kChunked, 1).run(model.inputs);
  for (WeightKeeping keeping : {WeightKeeping::kChunked, WeightKeeping::kKept})
    for (int threads : {2, 3, 0}) {
      const auto many = GoldenRunner(model, 32, nullptr, keeping, threads).run(model.inputs);
      ASSERT_EQ(many.size(), one.size());
      for (const auto& [name, t] : one) EXPECT_EQ(many.at(name).data, t.data) << name << " " << threads;
    }
}

}  // namespace
}  // namespace deepchip::sim
