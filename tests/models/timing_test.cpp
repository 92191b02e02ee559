// With ideal memory the array's cycles equal the closed forms of the README, computed by hand here.
#include <gtest/gtest.h>

#include <random>

#include "harness.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/exec/golden.hpp"
#include "sim/io/network_io.hpp"
#include "sim/ir/synthetic.hpp"
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

// The same GEMV with a wider weight fetch (3 rows per cycle): each load takes ceil(8 / 3) = 3 cycles.
TEST(Timing, AWiderWeightFetchShortensTheLoads) {
  testing::Bench bench;
  const auto m = testing::model_of_json(R"({"inputs": [{"name": "x", "shape": [1, 1, 12]}],
    "layers": [{"name": "fc", "type": "fc", "units": 8}]})");
  std::vector<size_t> s, d;
  for (auto impl : {sim::ArrayImpl::kCycle, sim::ArrayImpl::kTile, sim::ArrayImpl::kTiming}) {
    sim::HardwareConfig hw = ideal(8, 4, sim::WeightBuffering::kSingle, impl);
    hw.weight_load_rows = 3;
    s.push_back(bench.add(hw, m));
    hw.weight_buffering = sim::WeightBuffering::kDouble;
    d.push_back(bench.add(hw, m));
  }
  bench.run();
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(bench[s[i]].layer_stats()[0].cycles, 4 * (3 + 8 + 4 + 1 - 2));
    EXPECT_EQ(bench[d[i]].layer_stats()[0].cycles, 3 + 3 * 3 + 1 + 8 + 4 - 2);
    EXPECT_EQ(bench[d[i]].layer_stats()[0].stall_cycles, 0);
  }
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

// A SCALE-Sim GEMM row is the 1x1 conv over M pixels of K channels: every stat equal, on every dataflow and
// level, with the DRAM model (BERT's FFN2 once read the whole input per fold: 96x the DRAM input bytes).
TEST(GemmTopology, EqualsItsOneByOneConvOnEveryStat) {
  testing::Bench bench;
  const sim::Network gemm = sim::parse_scalesim_gemm_csv("Layer, M, N, K,\ng, 40, 24, 72,\n", "g.csv");
  const auto from_csv = sim::quantize(sim::make_synthetic_model(gemm, 1), sim::QuantConfig{});
  const auto from_json = testing::model_of_json(R"({"inputs": [{"name": "g_ifmap", "shape": [40, 1, 72]}],
    "layers": [{"name": "g", "type": "conv", "filters": 24, "kernel": 1}]})");
  std::vector<std::pair<size_t, size_t>> pairs;
  for (auto df : {sim::Dataflow::kWs, sim::Dataflow::kOs, sim::Dataflow::kIs})
    for (auto impl : {sim::ArrayImpl::kCycle, sim::ArrayImpl::kTile, sim::ArrayImpl::kTiming}) {
      sim::HardwareConfig hw;
      hw.array_rows = 16;
      hw.array_cols = 8;
      hw.dataflow = df;
      hw.impl = impl;
      hw.input_buffer.size_bytes = 1024;  // smaller than the 2,880-byte input: the input is tiled
      pairs.emplace_back(bench.add(hw, from_csv), bench.add(hw, from_json));
    }
  bench.run();
  for (const auto& [csv, json] : pairs) {
    EXPECT_EQ(sim::to_json(bench[csv].layer_stats().at(0)).dump(),
              sim::to_json(bench[json].layer_stats().at(0)).dump());
    EXPECT_GT(bench[csv].layer_stats().at(0).dram_input_read_bytes, 0);
  }
}

sim::HardwareConfig ideal_flow(int rows, int cols, sim::WeightBuffering wb, sim::Dataflow df,
                               sim::ArrayImpl impl) {
  sim::HardwareConfig hw = ideal(rows, cols, wb, impl);
  hw.dataflow = df;
  return hw;
}

// Output and input stationary on kPointwise (M = 25, K = 6, N = 7) on 4x3, every counter by hand.
// os: 3 N-folds (3, 3, 1) x 7 M-folds (4 x 6, 1), 21 folds of K = 6 steps.
// is: 9 M-folds (3 x 8, 1) x 2 K-folds (4, 2), 18 folds of N = 7 filters.
// 64-bit SRAM words: 8-bit operands 8 per word, 32-bit sums 2 per word. The ifmap (150 bytes) and the
// weights (42 bytes) stay resident: each written once.
TEST(Timing, OutputAndInputStationaryByHand) {
  testing::Bench bench;
  const auto m = testing::model_of_json(kPointwise);
  using sim::Dataflow;
  using WB = sim::WeightBuffering;
  std::vector<size_t> os_s, os_d, is_s, is_d;
  for (auto impl : {sim::ArrayImpl::kCycle, sim::ArrayImpl::kTile, sim::ArrayImpl::kTiming}) {
    os_s.push_back(bench.add(ideal_flow(4, 3, WB::kSingle, Dataflow::kOs, impl), m));
    os_d.push_back(bench.add(ideal_flow(4, 3, WB::kDouble, Dataflow::kOs, impl), m));
    is_s.push_back(bench.add(ideal_flow(4, 3, WB::kSingle, Dataflow::kIs, impl), m));
    is_d.push_back(bench.add(ideal_flow(4, 3, WB::kDouble, Dataflow::kIs, impl), m));
  }
  bench.run();
  for (size_t i = 0; i < 3; ++i) {
    const auto& os = bench[os_s[i]].layer_stats().at(0);
    EXPECT_EQ(os.folds, 21);
    EXPECT_EQ(os.cycles, 21 * (6 + 4 + 3 - 2));                         // 231: K + R + C - 2 per fold
    EXPECT_EQ(bench[os_d[i]].layer_stats().at(0).cycles, 20 * 6 + 11);  // 131: max(K, R), last K + R + C - 2
    EXPECT_EQ(os.stall_cycles, 0);
    EXPECT_EQ(os.sram_input_reads, 21 * 6 * 1);   // per step a column of <= 4 inputs: one word
    EXPECT_EQ(os.sram_weight_reads, 21 * 6 * 1);  // per step a row of <= 3 weights: one word
    EXPECT_EQ(os.sram_input_writes, 19);          // 150 bytes = 1200 bits in 64-bit words
    EXPECT_EQ(os.sram_weight_writes, 3 + 3 + 1);  // 3 K x nt blocks of 18, 18 and 6 bytes, once each
    EXPECT_EQ(os.sram_output_writes, 25 * 2 + 25 * 2 + 25 * 1);  // each output once: nt sums per row
    EXPECT_EQ(os.sram_output_reads, 25 * 3);                     // the 8-bit outputs to DRAM
    EXPECT_EQ(os.dram_weight_read_bytes, 42);
    EXPECT_EQ(os.dram_input_read_bytes, 150);
    EXPECT_EQ(os.dram_output_write_bytes, 175);
    EXPECT_EQ(os.dram_psum_write_bytes + os.dram_psum_read_bytes, 0);

    const auto& is = bench[is_s[i]].layer_stats().at(0);
    EXPECT_EQ(is.folds, 18);
    EXPECT_EQ(is.cycles, 18 * (2 * 4 + 3 + 7 - 2));                                    // 288: 2R + C + N - 2
    EXPECT_EQ(bench[is_d[i]].layer_stats().at(0).cycles, 4 + 17 * 7 + 7 + 4 + 3 - 2);  // 135
    EXPECT_EQ(is.stall_cycles, 0);
    EXPECT_EQ(is.sram_input_reads, 9 * (4 + 2));   // loads: a row of <= 3 inputs per K row
    EXPECT_EQ(is.sram_weight_reads, 18 * 7);       // per filter its <= 4 weights of the K range
    EXPECT_EQ(is.sram_weight_writes, 4 + 2);       // the 2 K blocks (28 and 14 bytes), once each
    EXPECT_EQ(is.sram_output_writes, 2 * 25 * 4);  // both K-folds: 7 sums of 32 bits per row
    EXPECT_EQ(is.sram_output_reads, 25 * 4 + 25);  // the second K-fold's read-modify-write, the outputs
    EXPECT_EQ(is.dram_weight_read_bytes, 42);
    EXPECT_EQ(is.dram_output_write_bytes, 175);
    EXPECT_EQ(is.dram_psum_write_bytes, 0);
  }
}

// Depthwise and fully connected layers under os and is: folds, cycles and every counter by hand.
// 64-bit SRAM words (8 operands or 2 sums per word). Inputs and weights stay resident: the DMA writes each
// once, the 32-byte dw ifmap as 4 words and the 12-byte fc input as 2.
TEST(Timing, OutputAndInputStationaryDepthwiseAndFcByHand) {
  // Depthwise 3x3, padding 1, over 4x4x2: per group M = 16, K = 9, N = 1. FC 1x1x12 -> 8: M = 1, K = 12.
  const auto dw = testing::model_of_json(R"({"inputs": [{"name": "x", "shape": [4, 4, 2]}],
    "layers": [{"name": "d", "type": "conv", "filters": 2, "kernel": 3, "padding": 1, "groups": 2}]})");
  const auto fc = testing::model_of_json(R"({"inputs": [{"name": "x", "shape": [1, 1, 12]}],
    "layers": [{"name": "fc", "type": "fc", "units": 8}]})");
  using sim::Dataflow;
  using WB = sim::WeightBuffering;
  struct Counters {
    int64_t input_reads, input_writes, weight_reads, weight_writes, output_reads, output_writes;
    int64_t dram_weights, dram_inputs, dram_outputs;
  };
  // dw os: 8 folds of K = 9 steps, each reading a column of <= 4 inputs and one weight (a word each);
  // weights: one 9-byte block per group (2 words); each of the 32 outputs written once as a sum and read
  // once as an 8-bit output.
  const Counters dw_os = {8 * 9, 4, 8 * 9, 2 * 2, 32, 32, 18, 32, 32};
  // dw is: per group 6 M-folds (3 x 5, 1) x 3 K-folds (4, 4, 1), 36 folds: a load reads kt rows of <= 3
  // inputs (a word each), 9 per M-fold; the one filter reads its kt weights (a word) per fold; the 3 K
  // blocks per group are written once (a word each); every K-fold writes its 16 sums per group, the last
  // two read them back first, and the 32 outputs are read once.
  const Counters dw_is = {2 * 6 * 9, 4, 36, 2 * 3, 2 * 16 * 2 + 32, 2 * 16 * 3, 18, 32, 32};
  // fc os: 2 N-folds of K = 12 steps: per step one input (a word) and a row of 4 weights (a word); the
  // two 12 x 4 blocks (6 words each); per fold one row of 4 sums (2 words) and of 4 outputs (a word).
  const Counters fc_os = {2 * 12, 2, 2 * 12, 2 * 6, 2, 2 * 2, 96, 12, 8};
  // fc is: 2 K-folds (8, 4): loads of 8 and 4 rows of one input; 8 filters per fold of <= 8 weights (a
  // word each); K blocks of 64 and 32 weights (8 + 4 words); both folds write the 8 sums (4 words), the
  // second reads them first, then the 8 outputs (a word).
  const Counters fc_is = {8 + 4, 2, 2 * 8, 8 + 4, 4 + 1, 2 * 4, 96, 12, 8};
  testing::Bench bench;
  struct Case {
    size_t id;
    int64_t folds, cycles;
    Counters counters;
    sim::ArrayImpl impl;
  };
  std::vector<Case> cases;
  for (auto impl : {sim::ArrayImpl::kCycle, sim::ArrayImpl::kTile, sim::ArrayImpl::kTiming}) {
    // dw os on 4x3: 2 groups x 4 M-folds, K = 9: 8 x (9 + 4 + 3 - 2); double 7 x max(9, 4) + 14.
    cases.push_back(
        {bench.add(ideal_flow(4, 3, WB::kSingle, Dataflow::kOs, impl), dw), 8, 8 * 14, dw_os, impl});
    cases.push_back(
        {bench.add(ideal_flow(4, 3, WB::kDouble, Dataflow::kOs, impl), dw), 8, 7 * 9 + 14, dw_os, impl});
    // dw is on 4x3: 2 groups x 6 M-folds x 3 K-folds, N = 1: 36 x (8 + 3 + 1 - 2); double
    // R + 35 max(1, R) + 1 + R + C - 2.
    cases.push_back(
        {bench.add(ideal_flow(4, 3, WB::kSingle, Dataflow::kIs, impl), dw), 36, 36 * 10, dw_is, impl});
    cases.push_back(
        {bench.add(ideal_flow(4, 3, WB::kDouble, Dataflow::kIs, impl), dw), 36, 4 + 35 * 4 + 6, dw_is, impl});
    // fc os on 8x4: 2 N-folds of 4, K = 12: 2 x (12 + 8 + 4 - 2); double max(12, 8) + 22.
    cases.push_back({bench.add(ideal_flow(8, 4, WB::kSingle, Dataflow::kOs, impl), fc), 2, 44, fc_os, impl});
    cases.push_back({bench.add(ideal_flow(8, 4, WB::kDouble, Dataflow::kOs, impl), fc), 2, 34, fc_os, impl});
    // fc is on 8x4: 2 K-folds (8, 4), 1 M-fold, N = 8: 2 x (16 + 4 + 8 - 2); double 8 + 8 + 8 + 8 + 4 - 2.
    cases.push_back({bench.add(ideal_flow(8, 4, WB::kSingle, Dataflow::kIs, impl), fc), 2, 52, fc_is, impl});
    cases.push_back({bench.add(ideal_flow(8, 4, WB::kDouble, Dataflow::kIs, impl), fc), 2, 34, fc_is, impl});
  }
  bench.run();
  for (const auto& c : cases) {
    const auto& st = bench[c.id].layer_stats().at(0);
    const Counters& e = c.counters;
    EXPECT_EQ(st.folds, c.folds) << "instance " << c.id;
    EXPECT_EQ(st.cycles, c.cycles) << "instance " << c.id;
    EXPECT_EQ(st.stall_cycles, 0) << "instance " << c.id;
    EXPECT_EQ(st.sram_input_reads, e.input_reads) << "instance " << c.id;
    EXPECT_EQ(st.sram_input_writes, e.input_writes) << "instance " << c.id;
    EXPECT_EQ(st.sram_weight_reads, e.weight_reads) << "instance " << c.id;
    EXPECT_EQ(st.sram_weight_writes, e.weight_writes) << "instance " << c.id;
    EXPECT_EQ(st.sram_output_reads, e.output_reads) << "instance " << c.id;
    EXPECT_EQ(st.sram_output_writes, e.output_writes) << "instance " << c.id;
    EXPECT_EQ(st.dram_weight_read_bytes, e.dram_weights) << "instance " << c.id;
    EXPECT_EQ(st.dram_input_read_bytes, e.dram_inputs) << "instance " << c.id;
    EXPECT_EQ(st.dram_output_write_bytes, e.dram_outputs) << "instance " << c.id;
    EXPECT_EQ(st.dram_psum_read_bytes + st.dram_psum_write_bytes, 0) << "instance " << c.id;
    if (sim::executes_numerics(c.impl)) {
      EXPECT_EQ(bench[c.id].tensors().at(st.name).data,
                sim::run_golden(bench.model(c.id), 32).at(st.name).data)
          << "instance " << c.id;
    }
  }
}

// A 1x1 conv over 16x16x8 (M = 256, K = 8, N = 4) on 4x4 with a 2 KiB output buffer: under nkm its 256 x 4
// partial sums (4 KiB) spill between the two K-folds; mnk runs M-tiles of 64 vectors whose sums stay in a
// 1 KiB slot, fetching the 32 weight bytes once per tile. Cycles by hand with ideal memory (single:
// nkm 2 x (8 + 4 + 256 - 2), mnk 8 x (8 + 4 + 64 - 2)); DRAM bytes by hand on the DRAM model.
TEST(Timing, LoopOrderMnkKeepsPartialSumsInTheOutputBuffer) {
  const auto m = testing::model_of_json(R"({"inputs": [{"name": "x", "shape": [16, 16, 8]}],
    "layers": [{"name": "c", "type": "conv", "filters": 4, "kernel": 1}]})");
  testing::Bench bench;
  auto point = [&](sim::LoopOrder order, sim::MemoryModel memory, sim::ArrayImpl impl) {
    sim::HardwareConfig hw = ideal(4, 4, sim::WeightBuffering::kSingle, impl);
    hw.loop_order = order;
    hw.memory = memory;
    hw.output_buffer.size_bytes = 2048;
    hw.dram_bandwidth_bytes_per_cycle = 4;
    hw.dram_latency_cycles = 20;
    return bench.add(hw, m);
  };
  std::vector<size_t> nkm_ideal, mnk_ideal, nkm_dram, mnk_dram, auto_dram;
  for (auto impl : {sim::ArrayImpl::kCycle, sim::ArrayImpl::kTile}) {
    nkm_ideal.push_back(point(sim::LoopOrder::kNkm, sim::MemoryModel::kIdeal, impl));
    mnk_ideal.push_back(point(sim::LoopOrder::kMnk, sim::MemoryModel::kIdeal, impl));
    nkm_dram.push_back(point(sim::LoopOrder::kNkm, sim::MemoryModel::kDram, impl));
    mnk_dram.push_back(point(sim::LoopOrder::kMnk, sim::MemoryModel::kDram, impl));
    auto_dram.push_back(point(sim::LoopOrder::kAuto, sim::MemoryModel::kDram, impl));
  }
  bench.run();
  const auto golden = sim::run_golden(m, 32).at("c").data;
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(bench[nkm_ideal[i]].layer_stats().at(0).cycles, 2 * (8 + 4 + 256 - 2));
    EXPECT_EQ(bench[mnk_ideal[i]].layer_stats().at(0).cycles, 8 * (8 + 4 + 64 - 2));
    const auto& nkm = bench[nkm_dram[i]].layer_stats().at(0);
    const auto& mnk = bench[mnk_dram[i]].layer_stats().at(0);
    EXPECT_EQ(nkm.mnk_order, 0);
    EXPECT_EQ(mnk.mnk_order, 1);
    EXPECT_EQ(nkm.dram_psum_write_bytes, 4096);
    EXPECT_EQ(nkm.dram_psum_read_bytes, 4096);
    EXPECT_EQ(mnk.dram_psum_write_bytes + mnk.dram_psum_read_bytes, 0);
    EXPECT_EQ(nkm.dram_weight_read_bytes, 32);
    EXPECT_EQ(mnk.dram_weight_read_bytes, 4 * 32);
    EXPECT_EQ(nkm.dram_input_read_bytes, 2048);
    EXPECT_EQ(mnk.dram_input_read_bytes, 2048);
    EXPECT_EQ(mnk.dram_output_write_bytes, 1024);
    EXPECT_EQ(sim::to_json(bench[auto_dram[i]].layer_stats().at(0)), sim::to_json(mnk));
    for (size_t id : {nkm_ideal[i], mnk_ideal[i], nkm_dram[i], mnk_dram[i]})
      EXPECT_EQ(bench[id].tensors().at("c").data, golden) << "instance " << id;
  }
}

// The read DMA's depth on a weight-latency-bound layer: fc 1x1x32 -> 4 on 4x4, double buffering, 8 K-folds
// of 16 weight bytes, one input vector each (the 32 input bytes stay resident: fetched once, with fold 0's
// chunk). DRAM 16 bytes per cycle, latency 100: a transfer of up to 16 bytes issued at t is complete at
// t + 1 + 100 when the channel is free. At cycle 0 the DMA issues the weights of the first d folds (d = the
// depth): fold 0's complete at 101, the inputs at 103, fold j's (0 < j < d) at 103 + j. Fold j loads during
// [L_j, L_j + 4) and frees its slot at L_j + 4, which issues fold j + d's weights, complete at L_j + 105. A
// fold loads when its weights are in, the previous load is done and the previous fold has started
// streaming (L_{j-1} + 4). So L_j = 101 + 105 * floor(j / d) + 4 * (j mod d) while 4d < 105. The last fold
// streams its one vector at L_7 + 4 and is done R + C - 2 + 1 = 7 cycles later; the 4 output bytes then
// take 1 + 100 cycles to DRAM: cycles = L_7 + 4 + 7 + 101.
TEST(Timing, DmaDepthHidesTheWeightLatency) {
  const auto m = testing::model_of_json(R"({"inputs": [{"name": "x", "shape": [1, 1, 32]}],
    "layers": [{"name": "fc", "type": "fc", "units": 4}]})");
  testing::Bench bench;
  auto point = [&](int outstanding, int64_t weight_buffer_bytes, sim::ArrayImpl impl) {
    sim::HardwareConfig hw = ideal(4, 4, sim::WeightBuffering::kDouble, impl);
    hw.memory = sim::MemoryModel::kDram;
    hw.dram_bandwidth_bytes_per_cycle = 16;
    hw.dram_latency_cycles = 100;
    hw.dma_outstanding = outstanding;
    hw.weight_buffer.size_bytes = weight_buffer_bytes;
    return bench.add(hw, m);
  };
  struct Case {
    int outstanding;
    int64_t weight_buffer_bytes;
    int depth;  // min(outstanding, max(2, buffer / 16))
  };
  const std::vector<Case> cases = {{1, 1024, 1}, {2, 1024, 2}, {4, 1024, 4}, {8, 1024, 8}, {8, 48, 3}};
  std::vector<std::vector<size_t>> ids(cases.size());
  for (size_t c = 0; c < cases.size(); ++c)
    for (auto impl : {sim::ArrayImpl::kCycle, sim::ArrayImpl::kTile, sim::ArrayImpl::kTiming})
      ids[c].push_back(point(cases[c].outstanding, cases[c].weight_buffer_bytes, impl));
  bench.run();
  auto last_load = [](int d) { return 101 + 105 * (7 / d) + 4 * (7 % d); };
  EXPECT_EQ(last_load(2), 420);
  for (size_t c = 0; c < cases.size(); ++c) {
    const int d = cases[c].depth;
    // Depth 1: fold j + 1's weights are issued when fold j has loaded, so the loads are 105 apart.
    const int64_t expected = (d == 1 ? 101 + 105 * 7 : last_load(d)) + 4 + 7 + 101;
    for (size_t id : ids[c]) {
      const auto& st = bench[id].layer_stats().at(0);
      EXPECT_EQ(st.cycles, expected) << "outstanding " << cases[c].outstanding << ", depth " << d;
      EXPECT_EQ(st.dram_weight_read_bytes, 128);
      EXPECT_EQ(st.dram_input_read_bytes, 32);
    }
  }
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
        for (auto impl : {sim::ArrayImpl::kCycle, sim::ArrayImpl::kTile})
          for (auto df : {sim::Dataflow::kWs, sim::Dataflow::kOs, sim::Dataflow::kIs}) {
            sim::HardwareConfig hw = ideal_flow(std::uniform_int_distribution<int>(1, 12)(rng),
                                                std::uniform_int_distribution<int>(1, 12)(rng), wb, df, impl);
            hw.overflow = sim::OverflowPolicy::kWrap;
            hw.weight_load_rows = seed % 3 == 0 ? static_cast<int>(seed) : 1;  // some wider weight fetches
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
