// SRAM and DRAM counters and memory stalls on small cases computed by hand.
#include <gtest/gtest.h>

#include <deque>

#include "harness.hpp"
#include "models/clock.hpp"
#include "models/memory/ddr.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/cost/timeline.hpp"
#include "sim/exec/golden_reference.hpp"
#include "sim/io/network_io.hpp"
#include "sim/ir/synthetic.hpp"
#include "sim/map/mapper.hpp"

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

// The accelerator as a system drives it: through its port and the interconnect's sockets to a DRAM
// target, each layer run ahead of SystemC time (an unbounded quantum, as a standalone accelerator runs).
class ThroughSockets : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(ThroughSockets);
  ThroughSockets(sc_core::sc_module_name name, const sim::HardwareConfig& hw, const sim::QuantModel& model,
                 const std::map<std::string, sim::LayerSchedule>& schedules,
                 const sim::ZeroMacCounts* zero_macs, const sim::Observers& observers)
      : sc_module(name),
        model_(model),
        dram_("dram", hw, observers.timeline),
        accelerator_("accelerator", hw, model, schedules, Accelerator::InSystem{}, zero_macs, nullptr,
                     observers) {
    accelerator_.dram_port.bind(dram_.socket);
    SC_THREAD(run);
    set_stack_size(kKernelThreadStackBytes);
  }
  std::vector<sim::LayerStats> stats;

 private:
  void run() {
    for (const auto& layer : model_.net.layers) stats.push_back(accelerator_.run_layer(layer));
  }
  const sim::QuantModel& model_;
  Ddr dram_;
  Accelerator accelerator_;
};

// A standalone accelerator's units reach its DRAM directly (models/accelerator/dram_path.hpp); through the
// TLM sockets every stat and every timeline slice is the same: each dataflow, executed and timing-only,
// plain and Huffman-coded weights, on small buffers whose slots the DMA waits for and a slow DRAM the
// layers stall on.
TEST(Memory, ReachingTheDramDirectlyChangesNoStatAndNoTimelineSlice) {
  const sim::Network net = sim::parse_network_json(R"({"inputs": [{"name": "x", "shape": [9, 9, 6]}],
    "layers": [{"name": "a", "type": "conv", "filters": 12, "kernel": 3, "padding": 1, "relu": true},
               {"name": "p", "type": "maxpool", "kernel": 2, "stride": 2},
               {"name": "b", "type": "conv", "filters": 10, "kernel": 3, "relu": true},
               {"name": "fc", "type": "fc", "units": 7}]})",
                                                   "net");
  tlm::tlm_global_quantum::instance().set(sc_core::sc_max_time());
  testing::Bench direct;
  std::deque<std::map<std::string, sim::LayerSchedule>> schedules;
  std::deque<sim::QuantModel> models;
  std::deque<sim::ZeroMacCounts> zero_macs;
  std::deque<sim::Timeline> timelines;
  std::vector<std::unique_ptr<ThroughSockets>> sockets;
  std::vector<size_t> directs;
  for (auto df : {sim::Dataflow::kWs, sim::Dataflow::kOs, sim::Dataflow::kIs})
    for (auto huffman : {sim::HuffmanMode::kOff, sim::HuffmanMode::kOn})
      for (auto impl : {sim::ArrayImpl::kTile, sim::ArrayImpl::kTiming}) {
        sim::HardwareConfig hw;
        hw.dataflow = df;
        hw.impl = impl;
        hw.array_rows = 4;
        hw.array_cols = 3;
        hw.dram_bandwidth_bytes_per_cycle = 2;
        hw.dram_latency_cycles = 15;
        hw.input_buffer.size_bytes = hw.weight_buffer.size_bytes = hw.output_buffer.size_bytes = 256;
        sim::QuantConfig qc;
        qc.huffman = huffman;
        const sim::QuantModel& m = models.emplace_back(sim::quantize(sim::make_synthetic_model(net, 5), qc));
        const auto& s = schedules.emplace_back(sim::map_network(m, hw));
        const auto& z = zero_macs.emplace_back(sim::golden_reference(m, hw.accumulator_bits).zero_macs);
        directs.push_back(direct.add(hw, m, sim::Observers::timeline_only(&timelines.emplace_back())));
        const std::string name = "sockets" + std::to_string(sockets.size());
        sockets.push_back(std::make_unique<ThroughSockets>(
            name.c_str(), hw, m, s, &z, sim::Observers::timeline_only(&timelines.emplace_back())));
      }
  sc_core::sc_start();
  int64_t stall_cycles = 0;
  for (size_t i = 0; i < sockets.size(); ++i) {
    const auto& want = sockets[i]->stats;
    const auto& got = direct[directs[i]].layer_stats();
    ASSERT_EQ(got.size(), net.layers.size());
    ASSERT_EQ(want.size(), net.layers.size());
    for (size_t l = 0; l < want.size(); ++l) {
      EXPECT_EQ(sim::to_json(got[l]), sim::to_json(want[l])) << "point " << i << " layer " << l;
      stall_cycles += want[l].stall_cycles;
    }
    const sim::Timeline &direct_timeline = timelines[2 * i], &socket_timeline = timelines[2 * i + 1];
    EXPECT_EQ(direct_timeline.trace_json(1e9, "t"), socket_timeline.trace_json(1e9, "t")) << "point " << i;
    EXPECT_GT(direct_timeline.slices().size(), 0u);
  }
  EXPECT_GT(stall_cycles, 0);  // the DRAM was slow enough to matter
}

}  // namespace
}  // namespace deepchip::models
