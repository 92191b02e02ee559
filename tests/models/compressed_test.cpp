// Compressed execution: every weight format x both array implementations x zero gating/skipping x Huffman,
// bit-exact against the golden executor; skipping, gating and the decoder on hand-computed cases.
#include <gtest/gtest.h>

#include <random>

#include "deepchip/source_dir.hpp"
#include "harness.hpp"
#include "models/system/evaluate.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/cost/energy.hpp"
#include "sim/exec/golden.hpp"
#include "sim/io/network_io.hpp"
#include "sim/ir/synthetic.hpp"
#include "sim/util/enum_names.hpp"

namespace deepchip::models {
namespace {

sim::Network random_conv_net(std::mt19937& rng) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int c = pick(1, 12), f = pick(1, 24), k = pick(1, 3);
  const std::string json = R"({"inputs": [{"name": "x", "shape": [)" + std::to_string(pick(4, 9)) + ", " +
                           std::to_string(pick(4, 9)) + ", " + std::to_string(c) + R"(]}], "layers": [
      {"name": "a", "type": "conv", "filters": )" +
                           std::to_string(f) + R"(, "kernel": )" + std::to_string(k) +
                           R"(, "padding": 1, "relu": true},
      {"name": "b", "type": "conv", "filters": )" +
                           std::to_string(pick(1, 24)) + R"(, "kernel": 3, "stride": 2, "relu": true},
      {"name": "fc", "type": "fc", "units": 7}]})";
  return sim::parse_network_json(json, "random");
}

void check_format(sim::WeightFormat format) {
  testing::Bench bench;
  struct Pair {
    size_t cycle, tile, timing;
    std::string what;
  };
  std::vector<Pair> pairs;
  std::mt19937 rng(static_cast<uint32_t>(format) * 100 + 7);
  for (auto df : {sim::Dataflow::kWs, sim::Dataflow::kOs, sim::Dataflow::kIs})
    for (int seed = 0; seed < 4; ++seed)
      for (auto zero : {sim::ZeroHandling::kNone, sim::ZeroHandling::kGating, sim::ZeroHandling::kSkipping})
        for (auto huffman : {sim::HuffmanMode::kOff, sim::HuffmanMode::kOn, sim::HuffmanMode::kZeroRle}) {
          sim::HardwareConfig hw;
          hw.dataflow = df;
          hw.array_rows = std::uniform_int_distribution<int>(2, 8)(rng);
          hw.array_cols = std::uniform_int_distribution<int>(2, 8)(rng);
          hw.zero_handling = zero;
          hw.overflow = sim::OverflowPolicy::kWrap;
          hw.weight_buffering = seed % 2 ? sim::WeightBuffering::kSingle : sim::WeightBuffering::kDouble;
          hw.dram_bandwidth_bytes_per_cycle = 2;
          hw.decoder_symbols_per_cycle = 1.5;
          sim::QuantConfig qc;
          qc.weight_format = format;
          qc.weight_bits = 2 + 2 * seed;  // 2, 4, 6, 8 for int
          qc.huffman = huffman;
          qc.sparsity = 0.5;
          qc.block_k = hw.array_rows;  // whole folds become zero, so skipping has work to skip
          qc.block_n = hw.array_cols;
          const sim::QuantModel m =
              sim::quantize(sim::make_synthetic_model(random_conv_net(rng), seed + 1), qc);
          hw.impl = sim::ArrayImpl::kCycle;
          const size_t a = bench.add(hw, m);
          hw.impl = sim::ArrayImpl::kTile;
          const size_t b = bench.add(hw, m);
          hw.impl = sim::ArrayImpl::kTiming;
          const size_t t = bench.add(hw, m);
          pairs.push_back({a, b, t,
                           std::string(sim::name_of(format)) + " " + sim::name_of(df) + " seed " +
                               std::to_string(seed) + " zero " + std::to_string(static_cast<int>(zero)) +
                               " huffman " + std::to_string(static_cast<int>(huffman))});
        }
  bench.run();
  int64_t skipped = 0;
  for (const auto& p : pairs) {
    const auto golden = sim::run_golden(bench.model(p.cycle), 32);
    for (const auto& l : bench.model(p.cycle).net.layers) {
      EXPECT_EQ(bench[p.cycle].tensors().at(l.name).data, golden.at(l.name).data)
          << "cycle " << p.what << " " << l.name;
      EXPECT_EQ(bench[p.tile].tensors().at(l.name).data, golden.at(l.name).data)
          << "tile " << p.what << " " << l.name;
    }
    for (size_t l = 0; l < bench[p.cycle].layer_stats().size(); ++l) {
      EXPECT_EQ(sim::to_json(bench[p.cycle].layer_stats()[l]), sim::to_json(bench[p.tile].layer_stats()[l]))
          << p.what;
      EXPECT_EQ(sim::to_json(bench[p.timing].layer_stats()[l]), sim::to_json(bench[p.tile].layer_stats()[l]))
          << "timing vs tile: " << p.what;
      skipped += bench[p.cycle].layer_stats()[l].folds_skipped;
    }
  }
  EXPECT_GT(skipped, 0);  // the property covered skipping for real
}

TEST(Compressed, IntFormatsBitExact) { check_format(sim::WeightFormat::kInt); }
TEST(Compressed, TernaryBitExact) { check_format(sim::WeightFormat::kTernary); }
TEST(Compressed, BinaryBitExact) { check_format(sim::WeightFormat::kBinary); }

// 1x1 conv over 1x1x8 with 4 filters on a 4x2 array: K-folds {0..3, 4..7} x N-folds {0..1, 2..3} = 4 folds
// of M = 1. Weights of K rows 4..7 of filters 0..1 are zero: fold 1 is all zero.
sim::QuantModel model_with_zero_fold() {
  sim::QuantModel m = testing::model_of_json(R"({"inputs": [{"name": "x", "shape": [1, 1, 8]}],
    "layers": [{"name": "c", "type": "conv", "filters": 4, "kernel": 1}]})");
  auto& w = m.layers.at("c").weights;  // [filter][k]
  for (int n = 0; n < 2; ++n)
    for (int k = 4; k < 8; ++k) w[static_cast<size_t>(n * 8 + k)] = 0;
  for (int k = 0; k < 8; ++k)
    w[static_cast<size_t>(2 * 8 + k)] = k % 2 ? 0 : 5;  // a zero-weight pattern to gate
  return m;
}

TEST(Compressed, SkippingSavesExactlyTheZeroFold) {
  const sim::QuantModel m = model_with_zero_fold();
  testing::Bench bench;
  sim::HardwareConfig hw;
  hw.array_rows = 4;
  hw.array_cols = 2;
  hw.memory = sim::MemoryModel::kIdeal;
  hw.weight_buffering = sim::WeightBuffering::kSingle;
  std::vector<size_t> ids;
  for (auto zero : {sim::ZeroHandling::kNone, sim::ZeroHandling::kGating, sim::ZeroHandling::kSkipping}) {
    hw.zero_handling = zero;
    ids.push_back(bench.add(hw, m));
  }
  bench.run();
  const auto& none = bench[ids[0]].layer_stats()[0];
  const auto& gating = bench[ids[1]].layer_stats()[0];
  const auto& skipping = bench[ids[2]].layer_stats()[0];
  const int64_t per_fold = 2 * 4 + 2 + 1 - 2;  // 2R + C + M - 2
  EXPECT_EQ(none.cycles, 4 * per_fold);
  EXPECT_EQ(gating.cycles, none.cycles);  // gating never changes cycles
  EXPECT_EQ(skipping.cycles, 3 * per_fold);
  EXPECT_EQ(skipping.folds_skipped, 1);
  EXPECT_EQ(skipping.cycles_skipped, per_fold);
  EXPECT_EQ(none.dram_weight_read_bytes, 32);
  EXPECT_EQ(skipping.dram_weight_read_bytes, 32 - 8);  // the 4x2 zero fold is not fetched
  EXPECT_EQ(skipping.sram_weight_reads, none.sram_weight_reads - 4);
  // Zero MACs from the data, counted directly: a MAC (k, n) is zero when x[k] or w[n][k] is zero.
  int64_t zero_macs = 0;
  const auto& x = m.inputs.at("x").data;
  const auto& w = m.layers.at("c").weights;
  for (int n = 0; n < 4; ++n)
    for (int k = 0; k < 8; ++k)
      zero_macs += x[static_cast<size_t>(k)] == 0 || w[static_cast<size_t>(n * 8 + k)] == 0;
  EXPECT_GE(zero_macs, 12);
  EXPECT_EQ(none.zero_macs, zero_macs);
  EXPECT_EQ(gating.zero_macs, zero_macs);
  for (const auto& id : ids) EXPECT_EQ(bench[id].tensors().at("c").data, sim::run_golden(m, 32).at("c").data);
}

TEST(Compressed, GatingLowersEnergyOnlyForZeroMacs) {
  const sim::EnergyTable t =
      sim::load_energy_table(std::string(DEEPCHIP_SOURCE_DIR) + "/configs/tech/45nm.json");
  sim::HardwareConfig hw;
  sim::LayerStats s;
  s.macs = 1000;
  s.zero_macs = 300;
  sim::apply_energy(s, t, hw, 0.3, 0.0, sim::PeBits{});
  EXPECT_NEAR(s.energy_mac_pj, 300.0, 1e-9);
  hw.zero_handling = sim::ZeroHandling::kGating;
  sim::apply_energy(s, t, hw, 0.3, 0.0, sim::PeBits{});
  EXPECT_NEAR(s.energy_mac_pj, 210.0, 1e-9);
  EXPECT_NEAR(t.add_pj(32), 0.1, 1e-12);  // a ternary/binary MAC is an adder only
}

TEST(Compressed, SlowDecoderStallsByTheHandComputedAmount) {
  // 1x1 conv, 1x1x4 input, 2 filters on 4x2: one fold of 8 weights. Ideal memory: the encoded weights are
  // there at cycle 0; a decoder of 0.25 symbol/cycle needs 32 cycles, so the load starts at 32.
  sim::QuantModel m = testing::model_of_json(R"({"inputs": [{"name": "x", "shape": [1, 1, 4]}],
    "layers": [{"name": "c", "type": "conv", "filters": 2, "kernel": 1}]})");
  m.config.huffman = sim::HuffmanMode::kOn;
  testing::Bench bench;
  sim::HardwareConfig hw;
  hw.array_rows = 4;
  hw.array_cols = 2;
  hw.memory = sim::MemoryModel::kIdeal;
  hw.decoder_symbols_per_cycle = 0.25;
  const size_t slow = bench.add(hw, m);
  hw.decoder_symbols_per_cycle = 8;  // 1 cycle
  const size_t fast = bench.add(hw, m);
  bench.run();
  EXPECT_EQ(bench[slow].layer_stats()[0].decoder_stall_cycles, 32);
  EXPECT_EQ(bench[slow].layer_stats()[0].cycles, 32 + 2 * 4 + 2 + 1 - 2);
  EXPECT_EQ(bench[fast].layer_stats()[0].decoder_stall_cycles, 1);
  EXPECT_EQ(bench[slow].tensors().at("c").data, sim::run_golden(m, 32).at("c").data);
}

TEST(Compressed, MisalignedPruningBlocksMakeASkippingPointInfeasible) {
  sim::QuantConfig qc;
  qc.sparsity = 0.5;
  qc.block_k = 3;
  qc.block_n = 4;
  const sim::QuantModel m = sim::quantize(sim::make_synthetic_model(sim::zoo_network("lenet5"), 1), qc);
  sim::HardwareConfig hw;
  hw.array_rows = hw.array_cols = 8;
  hw.zero_handling = sim::ZeroHandling::kSkipping;
  EXPECT_EQ(infeasibility_reason(m, hw),
            "pruning block 3x4 does not align with the 8x8 array folds: with zero_handling=skipping each "
            "block side "
            "must divide or be a multiple of the array side");
  hw.array_rows = 6;  // 3 divides 6, 4 divides 8
  EXPECT_EQ(infeasibility_reason(m, hw), "");
  hw.zero_handling = sim::ZeroHandling::kGating;  // gating needs no alignment
  hw.array_rows = 8;
  EXPECT_EQ(infeasibility_reason(m, hw), "");
}

}  // namespace
}  // namespace deepchip::models
