// The ARM+FPGA system in SystemC: partitioned runs are bit-exact, the partitioner's prediction is what the
// simulation measures, hand-computed ARM and transfer times, and DDR contention between the ARM and the
// accelerator.
#include "models/soc/soc.hpp"

#include <gtest/gtest.h>

#include "deepchip/source_dir.hpp"
#include "harness.hpp"
#include "models/clock.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/exec/golden.hpp"
#include "sim/exec/golden_reference.hpp"
#include "sim/io/network_io.hpp"
#include "sim/ir/synthetic.hpp"
#include "sim/map/mapper.hpp"

namespace deepchip::models {
namespace {

const std::string kRepo = DEEPCHIP_SOURCE_DIR;

sim::EnergyTable energy() { return sim::load_energy_table(kRepo + "/configs/tech/45nm.json"); }

sim::HardwareConfig hardware(int array) {
  sim::HardwareConfig hw;
  hw.array_rows = hw.array_cols = array;
  hw.clock_hz = 200e6;
  hw.dram_bandwidth_bytes_per_cycle = 8;
  hw.dram_latency_cycles = 20;
  return hw;
}

sim::SocConfig soc_config(const sim::HardwareConfig& hw, sim::PartitionStrategy strategy) {
  sim::SocConfig c;
  c.arm = sim::arm_cluster("cortex_a53");
  c.device = "xczu9eg";
  c.ddr = {hw.dram_bandwidth_bytes_per_cycle, hw.dram_latency_cycles, false, 0};
  c.pl_port.width_bytes = 16;
  c.pl_port.fabric_cycles_per_beat = 1.0;
  c.pl_port.latency_cycles = 10;
  c.arm_port.width_bytes = 4;  // 4 bytes per ARM cycle = 24 bytes per 200 MHz fabric cycle
  c.arm_port.fabric_cycles_per_beat = hw.clock_hz / c.arm.clock_hz;
  c.strategy = strategy;
  return c;
}

// Bit-exact outputs for every strategy, and `auto` predicts exactly what the simulation then measures.
TEST(Soc, PartitionedRunsAreBitExactAndAutoPredictsTheSimulation) {
  const sim::Network net = sim::load_network(kRepo + "/configs/networks/tiny_resnet.json");
  const sim::QuantModel model = sim::quantize(sim::make_synthetic_model(net, 3), sim::QuantConfig{});
  const sim::HardwareConfig hw = hardware(8);
  const auto schedules = sim::map_network(model, hw);
  const sim::EnergyTable e = energy();
  std::vector<std::unique_ptr<Soc>> socs;
  sim::SocConfig fixed = soc_config(hw, sim::PartitionStrategy::kFixed);
  for (size_t i = 0; i < net.layers.size(); ++i)
    if (i % 3 == 1) fixed.arm_layers.push_back(net.layers[i].name);
  socs.push_back(std::make_unique<Soc>("fixed", hw, model, schedules, fixed, e));
  socs.push_back(std::make_unique<Soc>("all_fpga", hw, model, schedules,
                                       soc_config(hw, sim::PartitionStrategy::kAllFpga), e));
  socs.push_back(std::make_unique<Soc>("all_arm", hw, model, schedules,
                                       soc_config(hw, sim::PartitionStrategy::kAllArm), e));
  socs.push_back(
      std::make_unique<Soc>("auto", hw, model, schedules, soc_config(hw, sim::PartitionStrategy::kAuto), e));
  sc_core::sc_start();
  const auto golden = sim::run_golden(model, hw.accumulator_bits);
  for (const auto& s : socs) {
    ASSERT_TRUE(s->finished()) << s->name();
    for (const auto& l : net.layers)
      EXPECT_EQ(s->tensors().at(l.name).data, golden.at(l.name).data) << s->name() << " " << l.name;
  }
  const Soc& automatic = *socs[3];
  EXPECT_NEAR(automatic.predicted_seconds(), automatic.run_cycles() / hw.clock_hz, 0.5 / hw.clock_hz);
  for (size_t i = 0; i < 3; ++i) EXPECT_LE(automatic.run_cycles(), socs[i]->run_cycles()) << socs[i]->name();
  // The fixed placement really moved tensors both ways.
  int64_t moved = 0;
  for (const auto& st : socs[0]->layer_stats()) moved += st.transfer_bytes;
  EXPECT_GT(moved, 0);
}

// The timing level in a system: every strategy's layer stats, run cycles and placement equal tile's, with
// no tensor computed on either side.
TEST(Soc, TimingEqualsTileOnEveryStrategy) {
  const sim::Network net = sim::load_network(kRepo + "/configs/networks/tiny_resnet.json");
  sim::QuantConfig qc;
  qc.sparsity = 0.4;  // zero MACs for gating energy
  const sim::QuantModel model = sim::quantize(sim::make_synthetic_model(net, 5), qc);
  sim::HardwareConfig hw = hardware(8);
  hw.zero_handling = sim::ZeroHandling::kGating;
  const auto schedules = sim::map_network(model, hw);
  const sim::EnergyTable e = energy();
  const sim::GoldenReference golden = sim::golden_reference(model, hw.accumulator_bits);
  sim::HardwareConfig timing_hw = hw;
  timing_hw.impl = sim::ArrayImpl::kTiming;
  std::vector<std::unique_ptr<Soc>> tile, timing;
  for (auto strategy :
       {sim::PartitionStrategy::kAllFpga, sim::PartitionStrategy::kAllArm, sim::PartitionStrategy::kAuto}) {
    const std::string name = std::to_string(static_cast<int>(strategy));
    tile.push_back(
        std::make_unique<Soc>(("tile" + name).c_str(), hw, model, schedules, soc_config(hw, strategy), e));
    timing.push_back(std::make_unique<Soc>(("timing" + name).c_str(), timing_hw, model, schedules,
                                           soc_config(hw, strategy), e, &golden.zero_macs));
  }
  sc_core::sc_start();
  for (size_t i = 0; i < tile.size(); ++i) {
    ASSERT_TRUE(timing[i]->finished());
    EXPECT_EQ(timing[i]->run_cycles(), tile[i]->run_cycles());
    EXPECT_EQ(timing[i]->placement(), tile[i]->placement());
    EXPECT_EQ(timing[i]->predicted_seconds(), tile[i]->predicted_seconds());
    ASSERT_EQ(timing[i]->layer_stats().size(), net.layers.size());
    for (size_t l = 0; l < net.layers.size(); ++l)
      EXPECT_EQ(sim::to_json(timing[i]->layer_stats()[l]), sim::to_json(tile[i]->layer_stats()[l]))
          << "strategy " << i << " layer " << net.layers[l].name;
    EXPECT_EQ(timing[i]->tensors().size(), model.inputs.size());  // the inputs only: nothing computed
  }
}

// Temporal decoupling changes no number: the accelerator in step with SystemC time at every action
// (quantum 0, TLM's default) and running each layer ahead of it (unbounded quantum, as evaluate runs a
// system) give the same stats, placement and outputs, on a network whose DMA waits for buffer slots and
// whose layers stall on a slow DDR.
TEST(Soc, RunningAheadOfSystemCTimeChangesNoStat) {
  const sim::Network net = sim::load_network(kRepo + "/configs/networks/tiny_resnet.json");
  const sim::QuantModel model = sim::quantize(sim::make_synthetic_model(net, 3), sim::QuantConfig{});
  sim::HardwareConfig hw = hardware(8);
  hw.dram_bandwidth_bytes_per_cycle = 2;
  hw.input_buffer.size_bytes = hw.weight_buffer.size_bytes = hw.output_buffer.size_bytes = 2048;
  const auto schedules = sim::map_network(model, hw);
  const sim::EnergyTable e = energy();
  std::vector<std::unique_ptr<Soc>> in_step, ahead;
  for (auto strategy : {sim::PartitionStrategy::kAllFpga, sim::PartitionStrategy::kAuto}) {
    const std::string name = std::to_string(static_cast<int>(strategy));
    tlm::tlm_global_quantum::instance().set(sc_core::SC_ZERO_TIME);
    in_step.push_back(
        std::make_unique<Soc>(("in_step" + name).c_str(), hw, model, schedules, soc_config(hw, strategy), e));
    tlm::tlm_global_quantum::instance().set(sc_core::sc_max_time());
    ahead.push_back(
        std::make_unique<Soc>(("ahead" + name).c_str(), hw, model, schedules, soc_config(hw, strategy), e));
  }
  sc_core::sc_start();
  int64_t stall_cycles = 0;
  for (size_t i = 0; i < in_step.size(); ++i) {
    ASSERT_TRUE(in_step[i]->finished() && ahead[i]->finished());
    EXPECT_EQ(ahead[i]->run_cycles(), in_step[i]->run_cycles());
    EXPECT_EQ(ahead[i]->placement(), in_step[i]->placement());
    ASSERT_EQ(ahead[i]->layer_stats().size(), net.layers.size());
    for (size_t l = 0; l < net.layers.size(); ++l) {
      EXPECT_EQ(sim::to_json(ahead[i]->layer_stats()[l]), sim::to_json(in_step[i]->layer_stats()[l]))
          << "strategy " << i << " layer " << net.layers[l].name;
      stall_cycles += in_step[i]->layer_stats()[l].stall_cycles;
    }
    ASSERT_EQ(ahead[i]->tensors().size(), in_step[i]->tensors().size());
    for (const auto& [name, t] : in_step[i]->tensors()) EXPECT_EQ(ahead[i]->tensors().at(name).data, t.data);
  }
  EXPECT_GT(stall_cycles, 0);
  bool slots_awaited = false;  // input chunks stream through two slots over several folds
  for (const auto& [name, s] : schedules) slots_awaited |= !s.ifmap_resident && s.folds.size() > 2;
  EXPECT_TRUE(slots_awaited);
}

// One 3x3 conv on the ARM with ideal memory, by hand: 16x16x8 -> 16 channels, pad 1: 16*16*16*72 = 294,912
// int8 MACs; A53 int8: 8 MACs/cycle/core x 4 cores -> 9,216 cycles + 10,000 overhead = 19,216 ARM cycles =
// ceil(19,216 / 6) = 3,203 fabric cycles at 200 MHz. Then the FPGA reads it back: a handoff of 2,400 ARM
// cycles (400 fabric) and 4,096 bytes through a 4-byte-per-ARM-cycle port (1,024 beats of 1/6 fabric cycle
// = 171 cycles) into an 8 B/cycle DDR (512 cycles + 20 latency): 400 + max(532, 171) = 932.
TEST(Soc, ArmLayerAndTransferCyclesByHand) {
  const sim::Network net =
      sim::parse_network_json(R"({"name": "two", "inputs": [{"name": "x", "shape": [16, 16, 8]}],
      "layers": [{"name": "a", "type": "conv", "filters": 16, "kernel": 3, "padding": 1, "relu": true},
                 {"name": "b", "type": "conv", "filters": 8, "kernel": 1}]})",
                              "two");
  const sim::QuantModel model = sim::quantize(sim::make_synthetic_model(net, 1), sim::QuantConfig{});
  sim::HardwareConfig hw = hardware(8);
  const auto schedules = sim::map_network(model, hw);
  const sim::EnergyTable e = energy();
  sim::SocConfig ideal = soc_config(hw, sim::PartitionStrategy::kFixed);
  ideal.ddr.ideal = true;
  ideal.arm_layers = {"a", "b"};
  sim::SocConfig real = soc_config(hw, sim::PartitionStrategy::kFixed);
  real.arm_layers = {"a"};
  Soc a("ideal", hw, model, schedules, ideal, e);
  Soc b("real", hw, model, schedules, real, e);
  sc_core::sc_start();
  ASSERT_TRUE(a.finished() && b.finished());
  EXPECT_EQ(a.layer_stats()[0].arm_cycles, 19216);
  EXPECT_EQ(a.layer_stats()[0].cycles,
            3203 + 400);  // the input image comes from DDR: a handoff (ideal: no data time)
  EXPECT_EQ(a.layer_stats()[0].transfer_cycles, 400);
  EXPECT_EQ(b.layer_stats()[1].transfer_bytes, 4096);
  EXPECT_EQ(b.layer_stats()[1].transfer_cycles, 932);
}

// A weight-streaming FC layer on the accelerator while the ARM cores stream reads from the same DDR: the
// channel is work-conserving, so the layer takes (its bytes + the ARM's bytes meanwhile) / bandwidth, and
// the ARM gets the bandwidth the accelerator leaves.
class ArmStream : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(ArmStream);
  ArmStream(sc_core::sc_module_name name, Soc& soc, int64_t chunk)
      : sc_module(name), soc_(soc), chunk_(chunk) {
    SC_THREAD(run);
  }
  int64_t bytes = 0;
  int64_t alone_until = 0;  // the cycle the stream had to itself before the accelerator began (0: none)

 private:
  void run() {
    while (!soc_.finished()) {
      const int64_t done = soc_.arm().transfer(tlm::TLM_READ_COMMAND, chunk_);
      bytes += chunk_;
      sc_core::wait(cycles_to_time(done - now_cycles()));
    }
  }
  Soc& soc_;
  int64_t chunk_;
};

TEST(Soc, AcceleratorAndArmContendForDdrByTheExpectedAmount) {
  const sim::Network net =
      sim::parse_network_json(R"({"name": "fc", "inputs": [{"name": "x", "shape": [1, 1, 2048]}],
      "layers": [{"name": "fc", "type": "fc", "units": 512}]})",
                              "fc");
  const sim::QuantModel model = sim::quantize(sim::make_synthetic_model(net, 1), sim::QuantConfig{});
  sim::HardwareConfig hw = hardware(16);
  hw.dram_bandwidth_bytes_per_cycle = 4;
  const auto schedules = sim::map_network(model, hw);
  const sim::EnergyTable e = energy();
  Soc alone("alone", hw, model, schedules, soc_config(hw, sim::PartitionStrategy::kAllFpga), e);
  Soc shared("shared", hw, model, schedules, soc_config(hw, sim::PartitionStrategy::kAllFpga), e);
  ArmStream stream("stream", shared, 1024);
  sc_core::sc_start();
  ASSERT_TRUE(alone.finished() && shared.finished());
  const double t_alone = static_cast<double>(alone.run_cycles());
  const double t_shared = static_cast<double>(shared.run_cycles());
  const double acc_bytes = 2048.0 * 512 + 2048 + 512;  // weights, input, output
  // Alone the layer is DDR-bound: its bytes at 4 B/cycle, within the pipeline fill and latencies.
  EXPECT_NEAR(t_alone, acc_bytes / 4, 0.02 * acc_bytes / 4);
  // Shared: the accelerator is slowed by the ARM's traffic over the same time.
  EXPECT_GT(t_shared, 1.3 * t_alone);
  EXPECT_NEAR(t_shared, (acc_bytes + static_cast<double>(stream.bytes)) / 4, 0.03 * t_shared);
  // And vice versa: alone the ARM's port (24 B per fabric cycle) would take all 4 B/cycle of the DDR; it
  // gets what the accelerator leaves.
  EXPECT_NEAR(static_cast<double>(stream.bytes) / t_shared, 4 - acc_bytes / t_shared, 0.03 * 4);
  EXPECT_LT(static_cast<double>(stream.bytes) / t_shared, 0.75 * 4);
  std::cout << "accelerator alone " << t_alone << " cycles, with the ARM streaming " << t_shared
            << " cycles; ARM moved " << stream.bytes << " bytes = " << stream.bytes / t_shared
            << " B/cycle of 4\n";
}

}  // namespace
}  // namespace deepchip::models
