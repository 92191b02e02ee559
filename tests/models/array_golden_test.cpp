// The executing array implementations against the golden executor, bit for bit, on random shapes with fixed
// seeds, for every dataflow; `tile` against `cycle`, and `timing` (no data) against `tile`, on every counter
// (cycles, stalls, accesses, zero MACs).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>

#include "harness.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/exec/golden.hpp"
#include "sim/exec/kernels.hpp"
#include "sim/io/network_io.hpp"
#include "sim/ir/synthetic.hpp"
#include "sim/util/enum_names.hpp"
#include "tests/sim/random_layers.hpp"

namespace deepchip::models {
namespace {

using sim::testing::CaseKind;

sim::HardwareConfig random_hardware(std::mt19937& rng, sim::WeightBuffering wb, int acc_bits) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  sim::HardwareConfig hw;
  hw.array_rows = pick(1, 9);  // mostly not dividing K and N
  hw.array_cols = pick(1, 9);
  hw.weight_buffering = wb;
  hw.accumulator_bits = acc_bits;
  hw.overflow = sim::OverflowPolicy::kWrap;
  // Small buffers and a narrow DRAM so that chunking, spilling and stalls all happen.
  hw.input_buffer.size_bytes = pick(1, 4) * 256;
  hw.weight_buffer.size_bytes = 4096;
  hw.output_buffer.size_bytes = pick(1, 8) * 512;
  hw.dram_bandwidth_bytes_per_cycle = pick(1, 16) / 4.0;
  hw.dram_latency_cycles = pick(0, 40);
  hw.weight_load_rows = pick(0, 2) == 0 ? pick(2, 10) : 1;  // a wider weight fetch on a third of the cases
  return hw;
}

void check_kind(CaseKind kind) {
  testing::Bench bench;
  struct Pair {
    size_t cycle, tile, timing;
    std::string what;
  };
  std::vector<Pair> pairs;
  for (auto df : {sim::Dataflow::kWs, sim::Dataflow::kOs, sim::Dataflow::kIs})
    for (int bits : {2, 4, 8, 16})
      for (auto wb : {sim::WeightBuffering::kSingle, sim::WeightBuffering::kDouble})
        for (uint32_t seed = 1; seed <= 3; ++seed) {
          const uint32_t s =
              seed * 1000 + static_cast<uint32_t>(bits) * 10 + (wb == sim::WeightBuffering::kDouble);
          const auto c = sim::testing::random_layer_case(kind, bits, bits, s);
          std::mt19937 rng(s);
          sim::HardwareConfig hw = random_hardware(rng, wb, bits == 16 ? 48 : 32);
          hw.dataflow = df;
          hw.impl = sim::ArrayImpl::kCycle;
          const size_t a = bench.add(hw, c.model);
          hw.impl = sim::ArrayImpl::kTile;
          const size_t b = bench.add(hw, c.model);
          hw.impl = sim::ArrayImpl::kTiming;
          const size_t t = bench.add(hw, c.model);
          pairs.push_back({a, b, t,
                           c.describe() + " array=" + std::to_string(hw.array_rows) + "x" +
                               std::to_string(hw.array_cols) +
                               (wb == sim::WeightBuffering::kDouble ? " double " : " single ") +
                               sim::name_of(df)});
        }
  bench.run();
  for (const auto& p : pairs) {
    const int acc = bench.model(p.cycle).config.weight_bits == 16 ? 48 : 32;
    const auto expected = sim::run_golden(bench.model(p.cycle), acc).at("layer").data;
    ASSERT_TRUE(bench[p.cycle].finished()) << p.what;
    ASSERT_TRUE(bench[p.tile].finished()) << p.what;
    EXPECT_EQ(bench[p.cycle].tensors().at("layer").data, expected) << "cycle vs golden: " << p.what;
    EXPECT_EQ(bench[p.tile].tensors().at("layer").data, expected) << "tile vs golden: " << p.what;
    const auto cj = sim::to_json(bench[p.cycle].layer_stats().at(0));
    const auto tj = sim::to_json(bench[p.tile].layer_stats().at(0));
    EXPECT_EQ(cj, tj) << "cycle vs tile stats: " << p.what;
    EXPECT_EQ(sim::to_json(bench[p.timing].layer_stats().at(0)), tj) << "timing vs tile stats: " << p.what;
    EXPECT_EQ(bench[p.timing].tensors().count("layer"), 0u) << "timing computes no output";
    EXPECT_GT(cj["cycles"].get<int64_t>(), 0);
  }
}

TEST(ArrayGolden, RandomConvs) { check_kind(CaseKind::kRandomConv); }
TEST(ArrayGolden, Pointwise) { check_kind(CaseKind::kPointwise); }
TEST(ArrayGolden, Depthwise) { check_kind(CaseKind::kDepthwise); }
TEST(ArrayGolden, Stride2) { check_kind(CaseKind::kStride2); }
TEST(ArrayGolden, FullyConnected) { check_kind(CaseKind::kFullyConnected); }
TEST(ArrayGolden, Dilated) { check_kind(CaseKind::kDilated); }

// Whole networks (pooling, residual adds, chained requantization) through both implementations.
TEST(ArrayGolden, NetworksEndToEnd) {
  const sim::Network residual = sim::parse_network_json(R"({
    "inputs": [{"name": "x", "shape": [9, 9, 3]}],
    "layers": [
      {"name": "c1", "type": "conv", "filters": 8, "kernel": 3, "padding": 1, "relu": true},
      {"name": "c2", "type": "conv", "filters": 8, "kernel": 3, "padding": 1},
      {"name": "sum", "type": "add", "inputs": ["c2", "c1"], "relu": true},
      {"name": "pool", "type": "maxpool", "kernel": 3, "stride": 2, "padding": 1},
      {"name": "c3", "type": "conv", "filters": 5, "kernel": 1},
      {"name": "r", "type": "relu"},
      {"name": "gap", "type": "avgpool", "kernel": 5},
      {"name": "fc", "type": "fc", "units": 4}
    ]})",
                                                        "residual");
  testing::Bench bench;
  std::vector<size_t> ids;
  for (const auto& net : {sim::zoo_network("lenet5"), residual})
    for (auto impl : {sim::ArrayImpl::kCycle, sim::ArrayImpl::kTile, sim::ArrayImpl::kTiming})
      for (int bits : {4, 8}) {
        sim::QuantConfig qc;
        qc.weight_bits = qc.activation_bits = bits;
        sim::HardwareConfig hw;
        hw.array_rows = 8;
        hw.array_cols = 6;
        hw.impl = impl;
        ids.push_back(bench.add(hw, sim::quantize(sim::make_synthetic_model(net, 3), qc)));
      }
  bench.run();
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i % 6 >= 4) continue;  // timing: no tensors (its stats are compared below)
    const auto golden = sim::run_golden(bench.model(ids[i]), 32);
    for (const auto& l : bench.model(ids[i]).net.layers)
      EXPECT_EQ(bench[ids[i]].tensors().at(l.name).data, golden.at(l.name).data)
          << "instance " << i << " " << l.name;
    // Non-trivial outputs: the final layer is not all zeros.
    const auto& last = bench[ids[i]].tensors().at(bench.model(ids[i]).net.layers.back().name).data;
    EXPECT_TRUE(std::any_of(last.begin(), last.end(), [](int32_t v) { return v != 0; }));
  }
  // Per network: cycle (4 bits, 8 bits), tile (4, 8), timing (4, 8); every layer's stats equal.
  for (size_t i = 0; i < ids.size(); i += 6)
    for (size_t j = 0; j < 2; ++j)
      for (size_t l = 0; l < bench[ids[i + j]].layer_stats().size(); ++l) {
        const auto cycle = sim::to_json(bench[ids[i + j]].layer_stats()[l]);
        EXPECT_EQ(cycle, sim::to_json(bench[ids[i + j + 2]].layer_stats()[l])) << "tile, layer " << l;
        EXPECT_EQ(cycle, sim::to_json(bench[ids[i + j + 4]].layer_stats()[l])) << "timing, layer " << l;
      }
}

// tile's two exact kernels: float where every partial sum of a fold stays below 2^24 (8-bit operands), the
// double/int64 kernel beyond (16-bit operands: 8 rows x 2^16 x 2^15 > 2^24); both bit-exact with golden.
// A 20-bit wrapping accumulator makes the outputs depend on the sums' low bits, which float would round.
TEST(ArrayGolden, TileIsExactOnBothKernelPaths) {
  const sim::Network net = sim::parse_network_json(R"({"inputs": [{"name": "x", "shape": [6, 6, 16]}],
      "layers": [{"name": "c", "type": "conv", "filters": 12, "kernel": 3, "padding": 1}]})",
                                                   "wide");
  testing::Bench bench;
  std::vector<size_t> ids;
  for (int bits : {8, 16}) {
    sim::QuantConfig qc;
    qc.weight_bits = qc.activation_bits = bits;
    sim::HardwareConfig hw;
    hw.array_rows = hw.array_cols = 8;
    hw.accumulator_bits = 20;
    hw.overflow = sim::OverflowPolicy::kWrap;
    ids.push_back(bench.add(hw, sim::quantize(sim::make_synthetic_model(net, 4), qc)));
  }
  bench.run();
  for (size_t i = 0; i < ids.size(); ++i) {
    const sim::QuantModel& model = bench.model(ids[i]);
    EXPECT_EQ(bench[ids[i]].tensors().at("c").data, sim::run_golden(model, 20).at("c").data)
        << "instance " << i;
    auto max_abs = [](const std::vector<int32_t>& v) {
      int64_t m = 0;
      for (int32_t x : v) m = std::max<int64_t>(m, std::abs(int64_t{x}));
      return static_cast<double>(m);
    };
    const bool float_exact = sim::float_gemm_is_exact(8, max_abs(model.inputs.at("x").data),
                                                      max_abs(model.layers.at("c").weights));
    EXPECT_EQ(float_exact, i == 0) << "instance " << i << " must take the " << (i == 0 ? "float" : "int")
                                   << " path";
  }
}

}  // namespace
}  // namespace deepchip::models
