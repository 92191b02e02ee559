// Co-simulation of the Verilated RTL array against the SystemC cycle model (and the golden GEMM):
// bit-exact outputs and identical output cycles on random tiles, whole networks through `rtl`, and the
// checker's own test on a deliberately broken RTL.
#include "hw/cosim/lockstep.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "hw/cosim/rtl_array.hpp"
#include "hw/cosim/rtl_controlled.hpp"
#include "models/array/sequenced.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/exec/golden.hpp"
#include "sim/io/network_io.hpp"
#include "sim/io/output_file.hpp"
#include "sim/ir/synthetic.hpp"
#include "tests/models/harness.hpp"

namespace deepchip::hw {
namespace {

sim::HardwareConfig array_config(int size, sim::WeightBuffering wb, sim::ArrayImpl impl) {
  sim::HardwareConfig hw;
  hw.array_rows = hw.array_cols = size;
  hw.weight_buffering = wb;
  hw.impl = impl;
  return hw;
}

// Both buffering modes of one array size, ~1,700 tiles each.
void lockstep_size(int size) {
  LockstepBench bench;
  struct Case {
    size_t reference, rtl;
    std::vector<Tile> tiles;
  };
  std::vector<Case> cases;
  std::mt19937 rng(static_cast<uint32_t>(size) * 31 + 1);
  for (auto wb : {sim::WeightBuffering::kSingle, sim::WeightBuffering::kDouble}) {
    Case c;
    c.tiles = random_tiles(rng, size, size, 1700);
    c.reference = bench.add(array_config(size, wb, sim::ArrayImpl::kCycle),
                            models::make_array(array_config(size, wb, sim::ArrayImpl::kCycle)), c.tiles);
    c.rtl = bench.add(array_config(size, wb, sim::ArrayImpl::kRtl),
                      models::make_array(array_config(size, wb, sim::ArrayImpl::kRtl)), c.tiles);
    cases.push_back(std::move(c));
  }
  bench.run();
  size_t tiles = 0;
  for (const auto& c : cases) {
    const Observation& ref = bench.observation(c.reference);
    for (const auto& e : ref.emerged) ASSERT_EQ(std::count(e.begin(), e.end(), -1), 0);  // every output seen
    const auto m = first_mismatch(c.tiles, ref, bench.observation(c.rtl), 32);
    EXPECT_FALSE(m.has_value()) << report(*m, c.tiles, "");
    EXPECT_EQ(ref.stats.end_cycle, bench.observation(c.rtl).stats.end_cycle);
    tiles += c.tiles.size();
  }
  EXPECT_EQ(tiles, 3400u);
}

TEST(Cosim, RandomTiles4x4) { lockstep_size(4); }
TEST(Cosim, RandomTiles8x8) { lockstep_size(8); }
TEST(Cosim, RandomTiles16x16) { lockstep_size(16); }

// The RTL tile controller (valid/ready from the buffers) decides every load and injection exactly as the
// SystemC sequencer does, and the controlled datapath computes the same outputs at the same cycles.
void controller_lockstep(int size) {
  LockstepBench bench;
  struct Case {
    size_t reference, rtl;
    ControlledRtlArray* controlled;
    std::vector<Tile> tiles;
  };
  std::vector<Case> cases;
  std::mt19937 rng(static_cast<uint32_t>(size) * 97 + 3);
  for (auto wb : {sim::WeightBuffering::kSingle, sim::WeightBuffering::kDouble}) {
    Case c;
    c.tiles = random_tiles(rng, size, size, 800);
    const sim::HardwareConfig hw = array_config(size, wb, sim::ArrayImpl::kRtl);
    c.reference = bench.add(hw, models::make_array(array_config(size, wb, sim::ArrayImpl::kCycle)), c.tiles);
    auto controlled = make_controlled_rtl_array(hw);
    ASSERT_TRUE(controlled);
    c.controlled = controlled.get();
    c.rtl = bench.add(hw, std::move(controlled), c.tiles);
    cases.push_back(std::move(c));
  }
  bench.run();
  for (const auto& c : cases) {
    EXPECT_EQ(c.controlled->first_divergence(), "");
    const auto m = first_mismatch(c.tiles, bench.observation(c.reference), bench.observation(c.rtl), 32);
    EXPECT_FALSE(m.has_value()) << report(*m, c.tiles, "");
  }
}

TEST(Cosim, TileControllerMatchesTheSequencer4x4) { controller_lockstep(4); }
TEST(Cosim, TileControllerMatchesTheSequencer8x8) { controller_lockstep(8); }

// The multiplier-free datapath (ws_pe_ternary, two partial-sum chains, output-stage scales) against the
// cycle model's multiplier-free path and the golden GEMM over the effective weights.
void ternary_lockstep(int size) {
  LockstepBench bench;
  struct Case {
    size_t reference, rtl;
    std::vector<Tile> tiles;
  };
  std::vector<Case> cases;
  std::mt19937 rng(static_cast<uint32_t>(size) * 13 + 5);
  for (auto wb : {sim::WeightBuffering::kSingle, sim::WeightBuffering::kDouble}) {
    const MultiplierFree scales{std::uniform_int_distribution<int32_t>(1, 127)(rng),
                                std::uniform_int_distribution<int32_t>(1, 127)(rng)};
    Case c;
    c.tiles = random_ternary_tiles(rng, size, size, 700, scales.pos_scale, scales.neg_scale);
    c.reference =
        bench.add(array_config(size, wb, sim::ArrayImpl::kCycle),
                  models::make_array(array_config(size, wb, sim::ArrayImpl::kCycle)), c.tiles, scales);
    c.rtl = bench.add(array_config(size, wb, sim::ArrayImpl::kRtl),
                      models::make_array(array_config(size, wb, sim::ArrayImpl::kRtl)), c.tiles, scales);
    cases.push_back(std::move(c));
  }
  bench.run();
  for (const auto& c : cases) {
    const auto m = first_mismatch(c.tiles, bench.observation(c.reference), bench.observation(c.rtl), 32);
    EXPECT_FALSE(m.has_value()) << report(*m, c.tiles, "");
  }
}

TEST(Cosim, TernaryDatapath4x4) { ternary_lockstep(4); }
TEST(Cosim, TernaryDatapath8x8) { ternary_lockstep(8); }

TEST(Cosim, DeepChipTernarySvhnThroughBothRtlDatapaths) {
  // Ternary layers use the multiplier-free RTL; the int8 first and last layers use the multiplier RTL.
  models::testing::Bench bench;
  sim::QuantConfig qc;
  qc.weight_format = sim::WeightFormat::kTernary;
  qc.first_last_weight_bits = 8;
  const sim::QuantModel m = sim::quantize(sim::make_synthetic_model(sim::zoo_network("svhn_convnet"), 1), qc);
  sim::HardwareConfig hw = array_config(8, sim::WeightBuffering::kDouble, sim::ArrayImpl::kCycle);
  const size_t cycle = bench.add(hw, m);
  hw.impl = sim::ArrayImpl::kRtl;
  const size_t rtl = bench.add(hw, m);
  bench.run();
  const auto golden = sim::run_golden(m, 32);
  for (const auto& l : m.net.layers)
    EXPECT_EQ(bench[rtl].tensors().at(l.name).data, golden.at(l.name).data) << l.name;
  for (size_t l = 0; l < bench[rtl].layer_stats().size(); ++l)
    EXPECT_EQ(sim::to_json(bench[rtl].layer_stats()[l]), sim::to_json(bench[cycle].layer_stats()[l]));
}

TEST(Cosim, CheckerReportsABrokenSkew) {
  const std::string vcd =
      (std::filesystem::temp_directory_path() / ("broken_skew_" + std::to_string(getpid()) + ".vcd"))
          .string();
  sim::OutputSet outputs;  // the waveform's file, committed below (declared first: it outlives the arrays)
  auto bench = std::make_unique<LockstepBench>();
  std::mt19937 rng(7);
  const std::vector<Tile> tiles = random_tiles(rng, 4, 4, 50);
  const sim::HardwareConfig hw = array_config(4, sim::WeightBuffering::kDouble, sim::ArrayImpl::kRtl);
  const size_t ref = bench->add(
      hw, models::make_array(array_config(4, sim::WeightBuffering::kDouble, sim::ArrayImpl::kCycle)), tiles);
  const size_t broken = bench->add(hw, make_broken_rtl_array(hw, {nullptr, vcd, &outputs}), tiles);
  bench->run();
  const auto m = first_mismatch(tiles, bench->observation(ref), bench->observation(broken), 32);
  ASSERT_TRUE(m.has_value()) << "the checker missed an off-by-one in the input skew";
  EXPECT_EQ(m->what, "value");
  const std::string text = report(*m, tiles, vcd);
  EXPECT_EQ(text.rfind("co-simulation mismatch (value) in tile " + std::to_string(m->tile) + " [", 0), 0u)
      << text;
  EXPECT_NE(text.find("PE column " + std::to_string(m->column)), std::string::npos) << text;
  EXPECT_NE(text.find("cycle " + std::to_string(m->cycle)), std::string::npos) << text;
  EXPECT_NE(text.find("expected " + std::to_string(m->expected) + ", got " + std::to_string(m->actual)),
            std::string::npos);
  EXPECT_NE(text.find("waveform: " + vcd), std::string::npos);
  bench.reset();     // the arrays close their waveforms
  outputs.commit();  // and the run's outputs are written
  std::ifstream f(vcd);
  std::string content((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_NE(content.find("$enddefinitions"), std::string::npos);
  EXPECT_NE(content.find("in_data"), std::string::npos);
  std::cout << text << "\n";
}

void network_through_rtl(const std::string& name, int size) {
  models::testing::Bench bench;
  const sim::QuantModel m =
      sim::quantize(sim::make_synthetic_model(sim::zoo_network(name), 1), sim::QuantConfig{});
  sim::HardwareConfig hw = array_config(size, sim::WeightBuffering::kDouble, sim::ArrayImpl::kCycle);
  const size_t cycle = bench.add(hw, m);
  hw.impl = sim::ArrayImpl::kRtl;
  const size_t rtl = bench.add(hw, m);
  bench.run();
  const auto golden = sim::run_golden(m, 32);
  for (const auto& l : m.net.layers)
    EXPECT_EQ(bench[rtl].tensors().at(l.name).data, golden.at(l.name).data) << l.name;
  for (size_t l = 0; l < bench[rtl].layer_stats().size(); ++l)
    EXPECT_EQ(sim::to_json(bench[rtl].layer_stats()[l]), sim::to_json(bench[cycle].layer_stats()[l]));
}

TEST(Cosim, LeNet5ThroughRtl) { network_through_rtl("lenet5", 8); }
TEST(Cosim, SvhnConvNetThroughRtl) { network_through_rtl("svhn_convnet", 16); }

}  // namespace
}  // namespace deepchip::hw
