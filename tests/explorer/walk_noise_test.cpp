// Noise in the accuracy path and dse walk-noise's protocol, on the trained Fashion-MNIST model.
#include "explorer/run/walk_noise.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "deepchip/source_dir.hpp"
#include "sim/io/errors.hpp"

namespace deepchip::explorer {
namespace {

using nlohmann::json;

const std::string kModel = std::string(DEEPCHIP_SOURCE_DIR) + "/configs/models/fmnist_cnn.onnx";

PointConfig point_with(const json& noise, int64_t test_images) {
  return parse_point(json{{"network", kModel},
                          {"hardware", {{"array_rows", 8}, {"array_cols", 8}, {"array_impl", "timing"}}},
                          {"accuracy", {{"test_images", test_images}}},
                          {"noise", noise}},
                     "/tmp/point.json");
}

// (0.1, 0.8) above a threshold of 0.45 and (1, 0.2) below it: log-linear, 10^(-1 + 0.35 / 0.6).
TEST(WalkNoise, RobustLevelInterpolatesInLogLevel) {
  WalkRow row;
  row.steps = {{0.01, 0.9, 0}, {0.1, 0.8, 0}, {1, 0.2, 0}};
  locate_robust_level(row, 0.45);
  ASSERT_TRUE(row.robust_level);
  EXPECT_NEAR(*row.robust_level, std::pow(10.0, -1 + 0.35 / 0.6), 1e-12);
  EXPECT_FALSE(row.below_ladder);
  locate_robust_level(row, 0.95);  // already below at the first level
  EXPECT_DOUBLE_EQ(*row.robust_level, 0.01);
  EXPECT_TRUE(row.below_ladder);
  locate_robust_level(row, 0.1);  // never falls that far
  EXPECT_FALSE(row.robust_level);
  NoiseSpec spec;
  spec.walk_min_level = 0.01, spec.walk_max_level = 1, spec.walk_steps_per_decade = 2;
  const auto ladder = walk_ladder(spec);
  ASSERT_EQ(ladder.size(), 5u);
  EXPECT_NEAR(ladder[1], 0.01 * std::sqrt(10.0), 1e-15);
  EXPECT_NEAR(ladder[4], 1.0, 1e-12);
}

// Noise far below one accumulator unit leaves every prediction as the exact path makes it; real noise
// lowers accuracy, reports its repeats and a standard deviation, and is cached by its settings.
TEST(WalkNoise, NoisyAccuracyThroughTheConfig) {
  WorkloadCache cache;
  const auto exact = cache.accuracy(point_with(json::object(), 200));
  const auto tiny = cache.accuracy(point_with({{"additive_noise", 1e-13}, {"repeats", 2}}, 200));
  ASSERT_TRUE(exact && tiny);
  EXPECT_EQ(exact->noise_repeats, 0);
  EXPECT_EQ(tiny->noise_repeats, 2);
  EXPECT_EQ(tiny->top1, exact->top1);
  EXPECT_EQ(tiny->top1_std, 0.0);
  const auto loud = cache.accuracy(point_with({{"additive_noise", 0.5}, {"repeats", 3}}, 200));
  EXPECT_LT(loud->top1, exact->top1 - 0.2);
  EXPECT_GT(loud->top1_std, 0.0);
  EXPECT_EQ(cache.accuracy_evaluations(), 3u);
}

// The protocol end to end on 100 images: every conv/fc layer and the (all) row, ladders that stop at their
// first level below the threshold, robust levels between their two last levels.
TEST(WalkNoise, WalksEveryLayerAndAllOfThem) {
  WorkloadCache cache;
  const PointConfig p = point_with(
      {{"walk_min_level", 0.01}, {"walk_max_level", 10}, {"walk_steps_per_decade", 2}, {"repeats", 2}}, 300);
  const WalkResult r = walk_noise(p, cache, nullptr);
  EXPECT_EQ(r.images, 300);
  EXPECT_EQ(r.ladder.size(), 7u);
  EXPECT_DOUBLE_EQ(r.threshold, 0.5 * r.clean_top1);
  std::vector<std::string> expected;
  for (const auto& l : cache.quantized(p).net.layers)
    if (l.is_gemm()) expected.push_back(l.name);
  expected.push_back("(all)");
  ASSERT_EQ(r.rows.size(), expected.size());
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const WalkRow& row = r.rows[i];
    EXPECT_EQ(row.layer, expected[i]);
    ASSERT_TRUE(row.robust_level) << row.layer << ": additive noise of 10x the output range must break it";
    for (size_t j = 0; j + 1 < row.steps.size(); ++j) EXPECT_GT(row.steps[j].mean, r.threshold) << row.layer;
    EXPECT_LE(row.steps.back().mean, r.threshold) << row.layer;
    if (!row.below_ladder) {
      EXPECT_GT(*row.robust_level, row.steps[row.steps.size() - 2].level) << row.layer;
      EXPECT_LE(*row.robust_level, row.steps.back().level) << row.layer;
    }
  }
}

std::vector<std::string> point_errors(const json& cfg) {
  try {
    parse_point(cfg, "/tmp/point.json");
  } catch (const sim::ConfigError& e) {
    return e.messages();
  }
  return {};
}

TEST(NoiseConfig, NeedsADatasetAndRealLayers) {
  EXPECT_EQ(
      point_errors({{"network", "lenet5"}, {"noise", {{"additive_noise", 0.1}}}}),
      std::vector<std::string>{"noise.additive_noise: lenet5: noise applies to the accuracy path, which "
                               "needs a dataset (accuracy.dataset)"});
  EXPECT_EQ(point_errors({{"network", kModel}, {"noise", {{"noise_layers", {"nope"}}}}}),
            std::vector<std::string>{"noise.noise_layers: no conv/fc layer 'nope' in network " + kModel});
  EXPECT_EQ(point_errors({{"network", kModel}, {"noise", {{"walk_min_level", 2}, {"walk_max_level", 1}}}}),
            std::vector<std::string>{"noise.walk_min_level: must be below noise.walk_max_level"});
  EXPECT_EQ(point_errors({{"network", kModel}, {"noise", {{"multiplicative_noise", -1}}}}),
            std::vector<std::string>{"noise.multiplicative_noise: must be a number in 0..10, got -1"});
}

}  // namespace
}  // namespace deepchip::explorer
