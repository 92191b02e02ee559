// SRAM and DRAM counters and memory stalls on small cases computed by hand.
#include <gtest/gtest.h>

#include "harness.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/io/network_io.hpp"
#include "sim/ir/synthetic.hpp"

namespace deepchip::models {
namespace {

TEST(Memory, CountersOfASmallLayer) {
  // 1x1 conv, 2x2x10 input, 7 filters, 8-bit, on 4x3: K-folds kt = 4, 4, 2; N-folds nt = 3, 3, 1; M = 4.
  const auto m = testing::model_of_json(R"({"inputs": [{"name": "x", "shape": [2, 2, 10]}],
    "layers": [{"name": "c", "type": "conv", "filters": 7, "kernel": 1}]})");
  sim::HardwareConfig hw;
  hw.array_rows = 4;
  hw.array_cols = 3;
  hw.impl = sim::ArrayImpl::kCycle;
  testing::Bench bench;
  const size_t i = bench.add(hw, m);
  bench.run();
  const sim::LayerStats& s = bench[i].layer_stats().at(0);
  EXPECT_EQ(s.macs, 4 * 10 * 7);
  EXPECT_EQ(s.sram_input_reads, 3 * 3 * 4);  // per fold: 4 vectors of <= 8 bytes = 1 word of 64 bits
  EXPECT_EQ(s.sram_input_writes, 5);         // the 40-byte ifmap
  EXPECT_EQ(s.sram_weight_reads, 3 * 10);    // one row (<= 3 bytes, 1 word) per K index per N-fold
  EXPECT_EQ(s.sram_weight_writes, 2 * (2 + 2 + 1) + (1 + 1 + 1));  // fold weight bytes 12, 12, 6 and 4, 4, 2
  EXPECT_EQ(s.sram_output_writes, 6 * 4 * 2 + 3 * 4 * 1);          // M x ceil(nt * 32 / 64) words per fold
  EXPECT_EQ(s.sram_output_reads, 4 * 4 * 2 + 2 * 4 * 1 + 3 * 4);   // accumulate (later K-folds) + write-back
  EXPECT_EQ(s.dram_input_read_bytes, 40);
  EXPECT_EQ(s.dram_weight_read_bytes, 70);
  EXPECT_EQ(s.dram_output_write_bytes, 28);
  EXPECT_EQ(s.dram_psum_read_bytes + s.dram_psum_write_bytes, 0);
}

TEST(Memory, OneFoldStallsExactlyAsComputedByHand) {
  // 1x1 conv on 1x1x4 with 2 filters on a 4x2 array: 8 weight bytes, 4 input bytes, 2 output bytes.
  // DRAM 1 byte/cycle, latency 10. Weights: channel busy [0, 8), ready 18. Input: busy [8, 12), ready 22.
  // Load [18, 22), the single vector enters at 22, last MAC at 22 + R + C - 2 = 26, fold done at 27.
  // Output write: busy [27, 29), complete at 39.
  const auto m = testing::model_of_json(R"({"inputs": [{"name": "x", "shape": [1, 1, 4]}],
    "layers": [{"name": "c", "type": "conv", "filters": 2, "kernel": 1}]})");
  sim::HardwareConfig hw;
  hw.array_rows = 4;
  hw.array_cols = 2;
  hw.dram_bandwidth_bytes_per_cycle = 1;
  hw.dram_latency_cycles = 10;
  testing::Bench bench;
  std::vector<size_t> ids;
  for (auto impl : {sim::ArrayImpl::kCycle, sim::ArrayImpl::kTile}) {
    hw.impl = impl;
    ids.push_back(bench.add(hw, m));
  }
  bench.run();
  for (size_t i : ids) {
    const auto& s = bench[i].layer_stats().at(0);
    EXPECT_EQ(s.cycles, 39);
    EXPECT_EQ(s.ideal_array_cycles, 2 * 4 + 2 + 1 - 2);
    EXPECT_EQ(s.stall_cycles, 39 - 9);
  }
}

TEST(Memory, NarrowerDramStallsMore) {
  const auto m =
      sim::quantize(sim::make_synthetic_model(sim::zoo_network("svhn_convnet"), 1), sim::QuantConfig{});
  testing::Bench bench;
  std::vector<size_t> ids;
  for (double bw : {0.5, 2.0, 8.0, 64.0}) {
    sim::HardwareConfig hw;
    hw.array_rows = hw.array_cols = 16;
    hw.dram_bandwidth_bytes_per_cycle = bw;
    ids.push_back(bench.add(hw, m));
  }
  bench.run();
  int64_t previous = INT64_MAX;
  for (size_t i : ids) {
    int64_t cycles = 0, stalls = 0;
    for (const auto& s : bench[i].layer_stats()) cycles += s.cycles, stalls += s.stall_cycles;
    EXPECT_LT(cycles, previous);
    EXPECT_GT(stalls, 0);
    previous = cycles;
  }
  // Starved: at 0.5 byte/cycle reading the weights (2.08 MB at 8 bits) alone takes 2 cycles per byte.
  int64_t weight_bytes = 0, cycles = 0;
  for (const auto& s : bench[ids[0]].layer_stats())
    weight_bytes += s.dram_weight_read_bytes, cycles += s.cycles;
  EXPECT_GE(cycles, 2 * weight_bytes);
}

}  // namespace
}  // namespace deepchip::models
