// Verification of timing-level results: the executed run must agree on every stat.
#include "explorer/run/verify.hpp"

#include <gtest/gtest.h>

namespace deepchip::explorer {
namespace {

sim::PointResult result(int64_t conv_cycles) {
  sim::PointResult r;
  r.ok = true;
  r.seconds = 1e-6;
  sim::LayerStats l;
  l.name = "conv";
  l.kind = "conv";
  l.cycles = conv_cycles;
  r.layers = {l};
  r.total = l;
  r.total.name = "total";
  return r;
}

TEST(Verify, AgreeingRunsGiveTheExecutedResult) {
  const sim::PointResult timing = result(100);
  sim::PointResult executed = result(100);
  executed.verified = executed.golden_match = true;
  executed.layers[0].golden_match = true;
  EXPECT_EQ(stats_difference(timing, executed), "");
  const sim::PointResult v = verified_result(timing, executed);
  EXPECT_TRUE(v.ok);
  EXPECT_TRUE(v.verified);
  EXPECT_TRUE(v.golden_match);
}

TEST(Verify, ADifferingStatFailsThePointNamingIt) {
  sim::PointResult executed = result(101);
  executed.verified = executed.golden_match = true;
  EXPECT_EQ(stats_difference(result(100), executed), "layer conv: cycles 100 vs 101");
  const sim::PointResult v = verified_result(result(100), executed);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.reason,
            "verification: the executed run and the timing run differ (timing vs executed) in layer conv: "
            "cycles 100 vs 101");
}

TEST(Verify, AFailedVerificationRunFailsThePoint) {
  sim::PointResult executed;
  executed.reason = "time limit of 600 s exceeded";
  const sim::PointResult v = verified_result(result(100), executed);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.reason, "verification run failed: time limit of 600 s exceeded");
}

}  // namespace
}  // namespace deepchip::explorer
