// The workload cache computes each compressed model's golden tensors once per accumulator width.
#include <gtest/gtest.h>

#include <set>

#include "explorer/run/runner.hpp"

namespace deepchip::explorer {
namespace {

TEST(WorkloadCache, GoldenTensorsOncePerModelAndAccumulatorWidth) {
  const SweepSpec s = parse_sweep(nlohmann::ordered_json::parse(R"({"networks": ["lenet5"],
      "axes": {"array_rows": [4, 8], "accumulator_bits": [32, 24], "weight_bits": [8, 4]}})"),
                                  "/tmp/sweep.json");
  ASSERT_EQ(grid_points(s).size(), 8u);
  WorkloadCache cache;
  std::set<const void*> distinct;
  for (const auto& p : grid_points(s)) distinct.insert(&cache.golden(p));
  EXPECT_EQ(distinct.size(), 4u);  // (weight bits) x (accumulator bits); the array size shares them
  EXPECT_EQ(&cache.golden(grid_points(s)[0]), &cache.golden(grid_points(s)[4]));  // 4 and 8 rows, same model
  EXPECT_NE(&cache.golden(grid_points(s)[0]),
            &cache.golden(grid_points(s)[2]));  // 32 and 24 accumulator bits
  EXPECT_EQ(cache.golden(grid_points(s)[0]).tensors.at("fc3").shape.channels, 10);
}

}  // namespace
}  // namespace deepchip::explorer
