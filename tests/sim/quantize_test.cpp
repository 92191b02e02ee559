#include "sim/compress/quantize.hpp"

#include <gtest/gtest.h>

#include "sim/exec/kernels.hpp"
#include "sim/io/network_io.hpp"
#include "sim/ir/model.hpp"
#include "sim/ir/synthetic.hpp"

namespace deepchip::sim {
namespace {

TEST(Requant, RoundsHalfUp) {
  const Requant half = make_requant(0.5);
  EXPECT_EQ(half.multiplier, 1 << 30);
  EXPECT_EQ(half.shift, 31);
  EXPECT_EQ(apply_requant(3, half), 2);    // 1.5 -> 2
  EXPECT_EQ(apply_requant(-3, half), -1);  // -1.5 -> -1 (half toward +inf)
  EXPECT_EQ(apply_requant(-5, half), -2);  // -2.5 -> -2
  EXPECT_EQ(apply_requant(4, half), 2);
  const Requant third = make_requant(1.0 / 3.0);
  EXPECT_EQ(apply_requant(300, third), 100);
  EXPECT_EQ(apply_requant(301, third), 100);  // 100.33
  EXPECT_EQ(apply_requant(302, third), 101);  // 100.67
}

TEST(Requant, AccumulatorWrap) {
  EXPECT_EQ(wrap_to_bits(127, 8), 127);
  EXPECT_EQ(wrap_to_bits(128, 8), -128);
  EXPECT_EQ(wrap_to_bits(300, 8), 44);
  EXPECT_EQ(wrap_to_bits(-129, 8), 127);
  EXPECT_EQ(wrap_to_bits(int64_t{1} << 40, 32), 0);
}

TEST(TensorQuant, Ranges) {
  const TensorQuant u = make_tensor_quant(8, false, 2.55);
  EXPECT_EQ(u.qmin, 0);
  EXPECT_EQ(u.qmax, 255);
  EXPECT_DOUBLE_EQ(u.scale, 0.01);
  const TensorQuant s = make_tensor_quant(4, true, 7.0);
  EXPECT_EQ(s.qmin, -7);
  EXPECT_EQ(s.qmax, 7);
  EXPECT_DOUBLE_EQ(s.scale, 1.0);
}

TEST(Quantize, PerChannelWeightsUseTheFullRange) {
  const Network net = parse_network_json(R"({"inputs": [{"name": "x", "shape": [1, 1, 2]}],
      "layers": [{"name": "c", "type": "conv", "filters": 2, "kernel": 1}]})",
                                         "t");
  FloatModel fm = make_synthetic_model(net, 1);
  fm.params["c"].weights = {0.5f, -0.25f, 0.01f, 0.02f};
  fm.params["c"].bias = {0.0f, 0.0f};
  QuantConfig cfg;
  cfg.weight_bits = 4;  // [-7, 7]
  const QuantModel per_channel = quantize(fm, cfg);
  EXPECT_EQ(per_channel.layers.at("c").weights, (std::vector<int32_t>{7, -4, 4, 7}));  // -3.5 -> -4, 3.5 -> 4
  cfg.per_channel = false;
  const QuantModel per_tensor = quantize(fm, cfg);
  EXPECT_EQ(per_tensor.layers.at("c").weights, (std::vector<int32_t>{7, -4, 0, 0}));
}

TEST(Synthetic, IsDeterministicPerSeed) {
  const Network net = zoo_network("lenet5");
  const FloatModel a = make_synthetic_model(net, 7), b = make_synthetic_model(net, 7),
                   c = make_synthetic_model(net, 8);
  EXPECT_EQ(a.params.at("conv1").weights, b.params.at("conv1").weights);
  EXPECT_NE(a.params.at("conv1").weights, c.params.at("conv1").weights);
  for (float v : a.inputs.at("input").data) {
    EXPECT_GE(v, 0.0f);
    EXPECT_LT(v, 1.0f);
  }
}

}  // namespace
}  // namespace deepchip::sim
