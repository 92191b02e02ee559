// With ideal memory the array's cycles equal the closed forms of the README, computed by hand here.
#include <gtest/gtest.h>

#include <random>

#include "harness.hpp"
#include "sim/network_io.hpp"
#include "tests/sim/random_layers.hpp"

namespace deepchip::models {
namespace {

// 1x1 conv, 5x5x6 input, 7 filters: M = 25, K = 6, N = 7; on a 4x3 array: 2 K-folds x 3 N-folds.
const char* kPointwise = R"({"inputs": [{"name": "x", "shape": [5, 5, 6]}],
  "layers": [{"name": "c", "type": "conv", "filters": 7, "kernel": 1}]})";

sim::HardwareConfig ideal(int rows, int cols, sim::WeightBuffering wb, sim::ArrayImpl impl) {
  sim::HardwareConfig hw;
  hw.array_rows = rows;
  hw.array_cols = cols;
  hw.weight_buffering = wb;
  hw.impl = impl;
  hw.memory = sim::MemoryModel::kIdeal;
  return hw;
}

TEST(Timing, IdealMemoryMatchesTheClosedForms) {
  testing::Bench bench;
  const auto m = testing::model_of_json(kPointwise);
  std::vector<size_t> single, dbl;
  for (auto impl : {sim::ArrayImpl::kCycle, sim::ArrayImpl::kTile}) {
    single.push_back(bench.add(ideal(4, 3, sim::WeightBuffering::kSingle, impl), m));
    dbl.push_back(bench.add(ideal(4, 3, sim::WeightBuffering::kDouble, impl), m));
  }
  bench.run();
  for (size_t i = 0; i < 2; ++i) {
    const auto& s = bench[single[i]].layer_stats().at(0);
    const auto& d = bench[dbl[i]].layer_stats().at(0);
    EXPECT_EQ(s.cycles, 6 * (2 * 4 + 3 + 25 - 2));     // 204: SCALE-Sim's per-fold formula
    EXPECT_EQ(d.cycles, 4 + 5 * 25 + 25 + 4 + 3 - 2);  // 159: R + sum max(M, R) + M + R + C - 2
    EXPECT_EQ(s.stall_cycles, 0);
    EXPECT_EQ(d.stall_cycles, 0);
    EXPECT_EQ(s.folds, 6);
    EXPECT_NEAR(s.utilization, 1050.0 / (12.0 * 204), 1e-12);  // 25 * 6 * 7 MACs
    EXPECT_GT(d.utilization, s.utilization);
    EXPECT_LE(d.utilization, 1.0);
  }
}

TEST(Timing, ShortFoldsWaitForWeightLoads) {
  // M = 1 (fc over 1x1x12, 8 units) on an 8x4 array: K-folds 2, N-folds 2, each fold streams one vector.
  testing::Bench bench;
  const auto m = testing::model_of_json(R"({"inputs": [{"name": "x", "shape": [1, 1, 12]}],
    "layers": [{"name": "fc", "type": "fc", "units": 8}]})");
  const size_t s = bench.add(ideal(8, 4, sim::WeightBuffering::kSingle, sim::ArrayImpl::kCycle), m);
  const size_t d = bench.add(ideal(8, 4, sim::WeightBuffering::kDouble, sim::ArrayImpl::kCycle), m);
  bench.run();
  EXPECT_EQ(bench[s].layer_stats()[0].cycles, 4 * (16 + 4 + 1 - 2));
  EXPECT_EQ(bench[d].layer_stats()[0].cycles, 8 + 3 * 8 + 1 + 8 + 4 - 2);
}

TEST(Timing, ScaleSimGemmLayerTakesFoldsTimesPerFoldCycles) {
  // SCALE-Sim GEMM "g, 100, 20, 30": M = 100, N = 20, K = 30 on 16x8: 2 x 3 folds of 2*16 + 8 + 100 - 2.
  testing::Bench bench;
  const sim::Network net = sim::parse_scalesim_gemm_csv("Layer, M, N, K,\ng, 100, 20, 30,\n", "g.csv");
  const auto m = sim::quantize(sim::make_synthetic_model(net, 1), sim::QuantConfig{});
  const size_t i = bench.add(ideal(16, 8, sim::WeightBuffering::kSingle, sim::ArrayImpl::kTile), m);
  bench.run();
  EXPECT_EQ(bench[i].layer_stats()[0].cycles, 6 * (2 * 16 + 8 + 100 - 2));
}

// Property: with ideal memory every layer takes exactly the closed form, whatever the shapes and array.
TEST(Timing, RandomLayersWithIdealMemoryNeverStall) {
  testing::Bench bench;
  std::vector<size_t> ids;
  std::mt19937 rng(42);
  for (auto kind : {sim::testing::CaseKind::kRandomConv, sim::testing::CaseKind::kDepthwise,
                    sim::testing::CaseKind::kFullyConnected, sim::testing::CaseKind::kStride2})
    for (uint32_t seed = 1; seed <= 6; ++seed)
      for (auto wb : {sim::WeightBuffering::kSingle, sim::WeightBuffering::kDouble})
        for (auto impl : {sim::ArrayImpl::kCycle, sim::ArrayImpl::kTile}) {
          sim::HardwareConfig hw = ideal(std::uniform_int_distribution<int>(1, 12)(rng),
                                         std::uniform_int_distribution<int>(1, 12)(rng), wb, impl);
          hw.overflow = sim::OverflowPolicy::kWrap;
          ids.push_back(bench.add(hw, sim::testing::random_layer_case(kind, 8, 8, seed).model));
        }
  bench.run();
  for (size_t i : ids) {
    const auto& s = bench[i].layer_stats().at(0);
    EXPECT_EQ(s.stall_cycles, 0) << "instance " << i;
    EXPECT_EQ(s.cycles, s.ideal_array_cycles) << "instance " << i;
    EXPECT_GT(s.utilization, 0.0);
    EXPECT_LE(s.utilization, 1.0);
  }
}

}  // namespace
}  // namespace deepchip::models
