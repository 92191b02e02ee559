#include "sim/exec/noise.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "random_layers.hpp"
#include "sim/exec/golden.hpp"
#include "sim/exec/kernels.hpp"

namespace deepchip::sim {
namespace {

using testing::CaseKind;

// Sample mean and standard deviation.
struct Moments {
  double mean = 0, stddev = 0;
};
Moments moments(const std::vector<double>& v) {
  double sum = 0, ss = 0;
  for (double x : v) sum += x;
  const double m = sum / static_cast<double>(v.size());
  for (double x : v) ss += (x - m) * (x - m);
  return {m, std::sqrt(ss / static_cast<double>(v.size() - 1))};
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const Moments ma = moments(a), mb = moments(b);
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += (a[i] - ma.mean) * (b[i] - mb.mean);
  return s / static_cast<double>(a.size() - 1) / (ma.stddev * mb.stddev);
}

// Zero noise through the noisy code path (a layer that has a noise entry) is the exact path bit for bit;
// so is noise far below half an accumulator unit, which exercises the noisy requantization end to end.
TEST(Noise, ZeroNoiseIsTheExactPathBitForBit) {
  for (int64_t exact : {int64_t{0}, int64_t{-1}, int64_t{12345}, int64_t{-987654321}, int64_t{1} << 52})
    EXPECT_EQ(noisy_accumulator(exact, 1e6, LayerNoise{0, 0}, 1, 2, 3, 4), exact);
  int cases = 0;
  for (CaseKind kind : {CaseKind::kRandomConv, CaseKind::kPointwise, CaseKind::kDepthwise, CaseKind::kStride2,
                        CaseKind::kFullyConnected, CaseKind::kDilated})
    for (int acc_bits : {20, 32})
      for (uint32_t seed = 1; seed <= 3; ++seed) {
        const auto c = testing::random_layer_case(kind, 8, 8, seed * 31 + static_cast<uint32_t>(acc_bits));
        const IntTensor exact = run_golden(c.model, acc_bits).at("layer");
        NoiseModel tiny = uniform_noise(c.net, LayerNoise{1e-13, 1e-13}, {}, 7);
        ASSERT_NE(tiny.find("layer"), nullptr);
        EXPECT_EQ(GoldenRunner(c.model, acc_bits, &tiny).run(c.model.inputs, 5).at("layer").data, exact.data)
            << c.describe() << " acc_bits=" << acc_bits;
        const NoiseModel zero = uniform_noise(c.net, LayerNoise{0, 0}, {}, 7);
        EXPECT_EQ(GoldenRunner(c.model, acc_bits, &zero).run(c.model.inputs, 5).at("layer").data, exact.data);
        ++cases;
      }
  EXPECT_EQ(cases, 36);
}

// The additive draw has mean 0 and the specified standard deviation in accumulator units (level x range);
// the multiplicative one scales the accumulator by 1 + N(0, level^2); the two are independent of each other
// and across elements and streams. 200,000 samples: the standard error of a std estimate is 0.16%.
TEST(Noise, StatisticsMatchTheSpecification) {
  const int n = 200000;
  const double range = 1e6, additive = 0.01, multiplicative = 0.05;
  std::vector<double> add(n), add_next(n), add_other_stream(n), mul(n), both_add(n), both_mul(n);
  int within_one_sigma = 0;
  for (int i = 0; i < n; ++i) {
    const auto e = static_cast<uint64_t>(i);
    add[i] = static_cast<double>(noisy_accumulator(0, range, {additive, 0}, 9, 0, 2, e)) / (range * additive);
    add_next[i] = static_cast<double>(noisy_accumulator(0, range, {additive, 0}, 9, 0, 2, e + 1));
    add_other_stream[i] = static_cast<double>(noisy_accumulator(0, range, {additive, 0}, 9, 1, 2, e));
    mul[i] =
        static_cast<double>(noisy_accumulator(1000000000, range, {0, multiplicative}, 9, 0, 2, e)) / 1e9 - 1;
    within_one_sigma += std::abs(add[i]) <= 1.0;
    both_add[i] = standard_normal(9, 0, 2, e, 1);
    both_mul[i] = standard_normal(9, 0, 2, e, 0);
  }
  const Moments a = moments(add), m = moments(mul);
  EXPECT_NEAR(a.mean, 0.0, 4.0 / std::sqrt(n));
  EXPECT_NEAR(a.stddev, 1.0, 0.006);
  EXPECT_NEAR(m.mean, 0.0, 4.0 * multiplicative / std::sqrt(n));
  EXPECT_NEAR(m.stddev / multiplicative, 1.0, 0.006);
  // Gaussian, not merely of the right variance: P(|z| <= 1) = 0.682689.
  EXPECT_NEAR(static_cast<double>(within_one_sigma) / n, 0.682689, 0.005);
  EXPECT_NEAR(correlation(add, add_next), 0.0, 0.01);
  EXPECT_NEAR(correlation(add, add_other_stream), 0.0, 0.01);
  EXPECT_NEAR(correlation(both_add, both_mul), 0.0, 0.01);
  // Pure functions of their key: the same draw twice.
  EXPECT_EQ(standard_normal(1, 2, 3, 4, 0), standard_normal(1, 2, 3, 4, 0));
  EXPECT_NE(standard_normal(1, 2, 3, 4, 0), standard_normal(2, 2, 3, 4, 0));
}

// The layer-at-once path (Box-Muller pairs computed once) gives each element what the one-element path gives.
TEST(Noise, LayerPassEqualsElementByElement) {
  const std::vector<double> range = {1000, 20000, 300000};
  std::vector<int64_t> acc(1001);
  for (size_t i = 0; i < acc.size(); ++i) acc[i] = static_cast<int64_t>(i * 7919 % 100000) - 50000;
  for (const LayerNoise n : {LayerNoise{0.02, 0}, LayerNoise{0, 0.1}, LayerNoise{0.01, 0.05}}) {
    std::vector<int64_t> layer = acc;
    perturb_accumulators(layer, range, n, 5, 6, 7);
    int changed = 0;
    for (size_t i = 0; i < acc.size(); ++i) {
      ASSERT_EQ(layer[i], noisy_accumulator(acc[i], range[i % 3], n, 5, 6, 7, i)) << "element " << i;
      changed += layer[i] != acc[i];
    }
    EXPECT_GT(changed, 900);
  }
}

// s_c = (qmax - qmin) / (multiplier * 2^-shift): the accumulator span requantization maps onto the output.
TEST(Noise, RangeIsTheOutputRangeInAccumulatorUnits) {
  QuantLayer q;
  q.out.qmin = 0, q.out.qmax = 255;
  q.requant = {Requant{1 << 30, 31}, Requant{1 << 30, 40}, Requant{0, 0}};
  EXPECT_DOUBLE_EQ(accumulator_range(q, 0), 510.0);         // real multiplier 1/2
  EXPECT_DOUBLE_EQ(accumulator_range(q, 1), 255.0 * 1024);  // 2^30 * 2^-40 = 2^-10
  EXPECT_DOUBLE_EQ(accumulator_range(q, 2), 0.0);           // no multiplier: no additive noise
}

// Only the named layers are noisy; a stream is reproducible and different streams differ.
TEST(Noise, NamedLayersAndStreams) {
  const auto c = testing::random_layer_case(CaseKind::kRandomConv, 8, 8, 11);
  const NoiseModel none = uniform_noise(c.net, LayerNoise{0.05, 0}, {"other"}, 3);
  EXPECT_FALSE(none.any());
  const NoiseModel noisy = uniform_noise(c.net, LayerNoise{0.05, 0}, {"layer"}, 3);
  const GoldenRunner runner(c.model, 32, &noisy);
  const auto exact = run_golden(c.model, 32).at("layer").data;
  const auto s1 = runner.run(c.model.inputs, 1).at("layer").data;
  EXPECT_EQ(runner.run(c.model.inputs, 1).at("layer").data, s1);
  EXPECT_NE(runner.run(c.model.inputs, 2).at("layer").data, s1);
  EXPECT_NE(s1, exact);
}

}  // namespace
}  // namespace deepchip::sim
