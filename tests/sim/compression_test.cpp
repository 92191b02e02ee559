#include "sim/compress/compression.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "sim/compress/pruning.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/io/network_io.hpp"
#include "sim/ir/synthetic.hpp"

namespace deepchip::sim {
namespace {

Network one_fc(int inputs, int units) {
  return parse_network_json(R"({"inputs": [{"name": "x", "shape": [1, 1, )" + std::to_string(inputs) +
                                R"(]}], "layers": [{"name": "fc", "type": "fc", "units": )" +
                                std::to_string(units) + "}]}",
                            "t");
}

int64_t zeros(const std::vector<float>& w) { return std::count(w.begin(), w.end(), 0.0f); }

TEST(Pruning, UnstructuredReachesTheTargetExactly) {
  FloatModel m = make_synthetic_model(zoo_network("lenet5"), 1);
  QuantConfig cfg;
  cfg.sparsity = 0.3;
  prune(m, cfg);
  for (const auto& [name, p] : m.params)
    EXPECT_EQ(zeros(p.weights), std::llround(0.3 * static_cast<double>(p.weights.size()))) << name;
}

TEST(Pruning, GlobalThresholdAcrossLayersAndOverrides) {
  FloatModel m = make_synthetic_model(zoo_network("lenet5"), 1);
  QuantConfig cfg;
  cfg.sparsity = 0.5;
  cfg.global_pruning = true;
  cfg.overrides["conv1"].sparsity = 0.1;
  prune(m, cfg);
  int64_t total = 0, zero = 0;
  for (const auto& [name, p] : m.params)
    if (name != "conv1") total += static_cast<int64_t>(p.weights.size()), zero += zeros(p.weights);
  EXPECT_EQ(zero, std::llround(0.5 * static_cast<double>(total)));
  EXPECT_EQ(zeros(m.params.at("conv1").weights), std::llround(0.1 * 150));
  // Global magnitude pruning removes more of the layer with the smallest weights (largest fan-in: fc1).
  const double fc1 = static_cast<double>(zeros(m.params.at("fc1").weights)) / 48000.0;
  const double fc3 = static_cast<double>(zeros(m.params.at("fc3").weights)) / 840.0;
  EXPECT_GT(fc1, fc3);
}

TEST(Pruning, BlocksAreZeroedWhole) {
  const Network net = one_fc(10, 6);  // GEMM weights K=10 x N=6; blocks 4x3: 3 x 2 = 6 blocks (edges smaller)
  FloatModel m = make_synthetic_model(net, 2);
  QuantConfig cfg;
  cfg.sparsity = 0.5;
  cfg.block_k = 4;
  cfg.block_n = 3;
  prune(m, cfg);
  const auto& w = m.params.at("fc").weights;  // [n][k]
  int zero_blocks = 0;
  for (int n0 = 0; n0 < 6; n0 += 3)
    for (int k0 = 0; k0 < 10; k0 += 4) {
      int z = 0, size = 0;
      for (int n = n0; n < n0 + 3; ++n)
        for (int k = k0; k < std::min(k0 + 4, 10); ++k)
          z += w[static_cast<size_t>(n * 10 + k)] == 0.0f, ++size;
      EXPECT_TRUE(z == 0 || z == size) << "block " << k0 << "," << n0 << " partly zero";
      zero_blocks += z == size;
    }
  EXPECT_EQ(zero_blocks, 3);
}

FloatModel hand_model(const std::vector<float>& weights) {
  const Network net = one_fc(static_cast<int>(weights.size()), 1);
  FloatModel m = make_synthetic_model(net, 1);
  m.params.at("fc").weights = weights;
  m.params.at("fc").bias = {0.0f};
  return m;
}

TEST(Formats, DeepChipAsymmetricTernary) {
  // max|W| = 1, delta = 0.05: Wp = mean(1.0, 0.8) = 0.9 -> 127, Wn = mean(0.5, 0.9) = 0.7 -> round(98.78)
  // = 99.
  QuantConfig cfg;
  cfg.weight_format = WeightFormat::kTernary;
  const QuantModel q = quantize(hand_model({1.0f, -0.5f, 0.02f, -0.03f, 0.8f, -0.9f}), cfg);
  const QuantLayer& l = q.layers.at("fc");
  EXPECT_EQ(l.format, WeightFormat::kTernary);
  EXPECT_EQ(l.pos_scale, 127);
  EXPECT_EQ(l.neg_scale, 99);
  EXPECT_EQ(l.weights, (std::vector<int32_t>{127, -99, 0, 0, 127, -99}));
  EXPECT_EQ(weight_codes(l), (std::vector<int32_t>{1, -1, 0, 0, 1, -1}));
  EXPECT_EQ(l.stored_weight_bits, 2);
  EXPECT_NEAR(l.weight_scale[0], 0.9 / 127, 1e-9);  // the weights are floats
  cfg.ternary_threshold = 0.6;                      // delta = 0.6: only 1.0, 0.8 and -0.9 survive
  EXPECT_EQ(
      weight_codes(quantize(hand_model({1.0f, -0.5f, 0.02f, -0.03f, 0.8f, -0.9f}), cfg).layers.at("fc")),
      (std::vector<int32_t>{1, 0, 0, 0, 1, -1}));
}

TEST(Formats, BinaryKeepsPrunedZeros) {
  QuantConfig cfg;
  cfg.weight_format = WeightFormat::kBinary;
  const QuantLayer l = quantize(hand_model({0.5f, -0.25f, 0.0f, 1.0f}), cfg).layers.at("fc");
  EXPECT_EQ(l.weights, (std::vector<int32_t>{1, -1, 0, 1}));
  EXPECT_EQ(l.stored_weight_bits, 2);
  EXPECT_NEAR(l.weight_scale[0], (0.5 + 0.25 + 1.0) / 3, 1e-7);
  EXPECT_EQ(quantize(hand_model({0.5f, -0.25f}), cfg).layers.at("fc").stored_weight_bits, 1);
}

TEST(Formats, FirstAndLastLayersKeepHigherPrecisionAndOverridesWin) {
  QuantConfig cfg;
  cfg.weight_format = WeightFormat::kTernary;
  cfg.first_last_weight_bits = 8;
  cfg.overrides["conv3"].weight_format = WeightFormat::kBinary;
  cfg.overrides["conv4"].weight_format = WeightFormat::kInt;
  cfg.overrides["conv4"].weight_bits = 4;
  const QuantModel q = quantize(make_synthetic_model(zoo_network("svhn_convnet"), 1), cfg);
  EXPECT_EQ(q.layers.at("conv1").format, WeightFormat::kInt);
  EXPECT_EQ(q.layers.at("conv1").stored_weight_bits, 8);
  EXPECT_EQ(q.layers.at("fc").stored_weight_bits, 8);
  EXPECT_EQ(q.layers.at("conv2").format, WeightFormat::kTernary);
  EXPECT_EQ(q.layers.at("conv3").format, WeightFormat::kBinary);
  EXPECT_EQ(q.layers.at("conv4").stored_weight_bits, 4);
}

TEST(Storage, CountsCodesScalesAndHuffmanTables) {
  QuantConfig cfg;
  cfg.weight_format = WeightFormat::kTernary;
  const QuantModel q = quantize(hand_model({1.0f, -0.5f, 0.02f, -0.03f, 0.8f, -0.9f}), cfg);
  const QuantLayer& l = q.layers.at("fc");
  const WeightStorage plain = layer_weight_storage(l, HuffmanMode::kOff);
  EXPECT_EQ(plain.weights, 6);
  EXPECT_EQ(plain.zero_weights, 2);
  EXPECT_EQ(plain.stored_bits, 6 * 2 + 2 * 32);  // 2-bit codes + Wp, Wn
  EXPECT_NEAR(plain.compression_vs_fp32(), 192.0 / 76.0, 1e-12);
  // Codes {1: 2, -1: 2, 0: 2}: lengths 1, 2, 2 -> 2*1 + 2*2 + 2*2 = 10 bits; table 16*2 + 3*2 bits.
  const WeightStorage huff = layer_weight_storage(l, HuffmanMode::kOn);
  EXPECT_EQ(huff.huffman_bits, 10);
  EXPECT_EQ(huff.table_bits, 16 * 2 + 3 * 2);
  EXPECT_EQ(huff.stored_bits, 10 + 38 + 64);
}

}  // namespace
}  // namespace deepchip::sim
