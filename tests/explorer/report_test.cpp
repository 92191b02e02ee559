// The Pareto front over configurable objectives, with accuracy constraints.
#include <gtest/gtest.h>

#include "explorer/report/exports.hpp"

namespace deepchip::explorer {
namespace {

PointOutcome point(const std::string& network, int64_t cycles, double energy, std::optional<double> top1,
                   double max_drop = 1.0) {
  PointOutcome p;
  p.point.network = network;
  p.point.accuracy.max_accuracy_drop = max_drop;
  p.result.ok = p.result.golden_match = p.result.verified = true;
  p.result.total.cycles = cycles;
  p.result.total.energy_total_pj = energy;
  if (top1) {
    AccuracyReport a;
    a.top1 = *top1;
    a.float_top1 = a.reference_top1 = 0.90;
    p.accuracy = a;
  }
  return p;
}

TEST(Pareto, CyclesAndEnergyPerNetwork) {
  const std::vector<PointOutcome> o = {point("a", 100, 10, {}), point("a", 200, 5, {}),
                                       point("a", 200, 20, {}), point("b", 300, 30, {})};
  EXPECT_EQ(pareto_front(o, {"cycles", "energy"}), (std::vector<bool>{true, true, false, true}));
  EXPECT_EQ(pareto_front(o, {"cycles"}), (std::vector<bool>{true, false, false, true}));
}

TEST(Pareto, AccuracyIsMaximisedAndConstraintsExclude) {
  // Fast but inaccurate, slow and accurate, dominated, and the fastest violating its constraint.
  std::vector<PointOutcome> o = {point("n", 100, 1, 0.80), point("n", 200, 1, 0.90), point("n", 300, 1, 0.85),
                                 point("n", 50, 1, 0.70, 0.1)};
  EXPECT_FALSE(o[3].constraints_ok());
  EXPECT_TRUE(o[0].constraints_ok());
  EXPECT_EQ(pareto_front(o, {"cycles", "accuracy"}), (std::vector<bool>{true, true, false, false}));
  EXPECT_EQ(pareto_front(o, {"cycles"}), (std::vector<bool>{true, false, false, false}));
  // Without the constraint the fastest point dominates on cycles alone.
  o[3].point.accuracy.max_accuracy_drop = 1.0;
  EXPECT_EQ(pareto_front(o, {"cycles"}), (std::vector<bool>{false, false, false, true}));
}

TEST(Pareto, FailedOrMismatchingPointsAreNeverOnTheFront) {
  std::vector<PointOutcome> o = {point("n", 100, 1, {}), point("n", 50, 1, {}), point("n", 60, 1, {})};
  o[1].result.ok = false;
  o[2].result.golden_match = false;
  EXPECT_EQ(pareto_front(o, {"cycles", "energy"}), (std::vector<bool>{true, false, false}));
}

// verify "pareto": points explored at the timing level (unverified) compete for the front, and the
// verification targets are the front plus the best points within the accuracy budgets.
TEST(Pareto, UnverifiedPointsCompeteAndTheTargetsAreTheFrontAndTheBudgetWinners) {
  std::vector<PointOutcome> o = {point("n", 100, 5, 0.90), point("n", 200, 1, 0.899),
                                 point("n", 300, 9, 0.895), point("n", 400, 9, 0.70)};
  for (auto& p : o) {
    p.result.verified = p.result.golden_match = false;
    p.point.effective = nlohmann::json::parse(R"({"hardware": {}, "quantization": {"weight_format": "int",
        "weight_bits": 4, "sparsity": 0, "huffman": "off", "layer_overrides": {}, "first_last_weight_bits": 0,
        "activation_bits": 8}})");
  }
  o[2].result.total.compression_vs_fp32 = 20;  // the most compressed within half a point of 0.90
  o[3].result.total.compression_vs_fp32 = 40;  // more compressed, but 20 points lost
  EXPECT_EQ(pareto_front(o, {"cycles", "energy"}), (std::vector<bool>{true, true, false, false}));
  SweepSpec spec;
  spec.objectives = {"cycles", "energy"};
  EXPECT_EQ(verification_targets(o, spec), (std::vector<size_t>{0, 1, 2}));
  // A verified mismatch leaves the front.
  o[0].result.verified = true;
  EXPECT_EQ(pareto_front(o, {"cycles", "energy"}), (std::vector<bool>{false, true, false, false}));
}

}  // namespace
}  // namespace deepchip::explorer
