// The timeline of a run (sim/cost/timeline.hpp, `dse run --timeline`): slices computed by hand on one fold,
// and on larger runs the properties a designer relies on: no two slices of a track overlap, the DMA tracks
// carry exactly the DRAM bytes the counters report, the DRAM track is busy exactly the channel's transfer
// time, and the array track is busy exactly the ideal array cycles when memory is ideal (between the ideal
// and the layer's cycles when it is not). In a system: ARM layers, handoffs, and no trace of the probe.
#include "sim/cost/timeline.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <map>

#include "deepchip/source_dir.hpp"
#include "harness.hpp"
#include "models/soc/soc.hpp"
#include "sim/io/network_io.hpp"

namespace deepchip::models {
namespace {

using Span = std::pair<int64_t, int64_t>;

std::vector<Span> spans(const sim::Timeline& tl, sim::Track track) {
  std::vector<Span> out;
  for (const auto& s : tl.slices())
    if (s.track == track) out.emplace_back(s.start_cycle, s.end_cycle);
  return out;
}

int64_t arg(const sim::TimelineSlice& s, const std::string& name) {
  for (const auto& [k, v] : s.args)
    if (name == k) return v;
  ADD_FAILURE() << "slice " << s.name << " has no arg " << name;
  return 0;
}

// Busy cycles of `track` inside [from, to).
int64_t busy_within(const sim::Timeline& tl, sim::Track track, int64_t from, int64_t to) {
  int64_t busy = 0;
  for (const auto& [a, b] : spans(tl, track))
    busy += std::max<int64_t>(0, std::min(b, to) - std::max(a, from));
  return busy;
}

TEST(Timeline, OneFoldAsComputedByHand) {
  // The case of Memory.OneFoldStallsExactlyAsComputedByHand: DRAM 1 byte/cycle, latency 10. Weights (8 B):
  // channel [0, 8), ready 18. Input (4 B): channel [8, 12), ready 22. Load [18, 22), the vector enters at
  // 22, fold done at 27. Output (2 B): channel [27, 29), complete 39.
  const auto m = testing::model_of_json(R"({"inputs": [{"name": "x", "shape": [1, 1, 4]}],
    "layers": [{"name": "c", "type": "conv", "filters": 2, "kernel": 1}]})");
  std::deque<sim::Timeline> timelines;  // one per implementation, all elaborated before the one run
  testing::Bench bench;
  for (auto impl : {sim::ArrayImpl::kCycle, sim::ArrayImpl::kTile, sim::ArrayImpl::kTiming}) {
    sim::HardwareConfig hw;
    hw.array_rows = 4;
    hw.array_cols = 2;
    hw.dram_bandwidth_bytes_per_cycle = 1;
    hw.dram_latency_cycles = 10;
    hw.impl = impl;
    bench.add(hw, m, sim::Observers::timeline_only(&timelines.emplace_back()));
  }
  bench.run();
  for (const sim::Timeline& tl : timelines) {
    EXPECT_EQ(spans(tl, sim::Track::kLayers), (std::vector<Span>{{0, 39}}));
    EXPECT_EQ(spans(tl, sim::Track::kDmaWeights), (std::vector<Span>{{0, 18}}));
    EXPECT_EQ(spans(tl, sim::Track::kDmaInputs), (std::vector<Span>{{0, 22}}));
    EXPECT_EQ(spans(tl, sim::Track::kDram), (std::vector<Span>{{0, 8}, {8, 12}, {27, 29}}));
    EXPECT_EQ(spans(tl, sim::Track::kArrayLoad), (std::vector<Span>{{18, 22}}));
    EXPECT_EQ(spans(tl, sim::Track::kArrayInject), (std::vector<Span>{{22, 23}}));
    EXPECT_EQ(spans(tl, sim::Track::kArray), (std::vector<Span>{{18, 27}}));
    EXPECT_EQ(spans(tl, sim::Track::kOutputStage), (std::vector<Span>{{27, 39}}));
    EXPECT_TRUE(spans(tl, sim::Track::kDmaPsums).empty());
    EXPECT_TRUE(spans(tl, sim::Track::kDecoder).empty());
  }
}

// A network with K- and N-folds, partial sums spilled to DRAM (tiny output buffer), pooling and an FC.
sim::QuantModel folded_model() {
  return testing::model_of_json(R"({"inputs": [{"name": "x", "shape": [12, 12, 20]}],
    "layers": [{"name": "c1", "type": "conv", "filters": 24, "kernel": 3, "padding": 1},
               {"name": "p1", "type": "maxpool", "kernel": 2, "stride": 2},
               {"name": "c2", "type": "conv", "filters": 10, "kernel": 3},
               {"name": "f", "type": "fc", "units": 7}]})");
}

sim::HardwareConfig folded_hw() {
  sim::HardwareConfig hw;
  hw.array_rows = 16;
  hw.array_cols = 8;
  hw.loop_order = sim::LoopOrder::kNkm;
  hw.output_buffer.size_bytes = 1024;  // spills c1's partial sums (nkm streams all of M per weight fold)
  hw.input_buffer.size_bytes = 2048;   // c1's ifmap is not resident: chunks
  hw.dram_bandwidth_bytes_per_cycle = 4;
  hw.dram_latency_cycles = 30;
  hw.impl = sim::ArrayImpl::kTile;
  return hw;
}

void expect_no_overlap(const sim::Timeline& tl) {
  for (int t = 0; t < static_cast<int>(sim::Track::kCount); ++t) {
    const auto track = static_cast<sim::Track>(t);
    int64_t end = 0;
    for (const auto& [a, b] : spans(tl, track)) {
      EXPECT_GE(a, end) << sim::track_name(track);
      EXPECT_GE(b, a) << sim::track_name(track);
      end = b;
    }
  }
}

TEST(Timeline, TracksMatchTheCountersOfEveryLayer) {
  std::deque<sim::Timeline> timelines;
  std::vector<sim::HardwareConfig> hws;
  testing::Bench bench;
  for (auto wb : {sim::WeightBuffering::kSingle, sim::WeightBuffering::kDouble}) {
    sim::HardwareConfig hw = folded_hw();
    hw.weight_buffering = wb;
    hws.push_back(hw);
    bench.add(hw, folded_model(), sim::Observers::timeline_only(&timelines.emplace_back()));
  }
  bench.run();
  for (size_t i = 0; i < hws.size(); ++i) {
    const sim::Timeline& tl = timelines[i];
    const sim::HardwareConfig& hw = hws[i];
    expect_no_overlap(tl);
    const auto& stats = bench[i].layer_stats();
    ASSERT_EQ(spans(tl, sim::Track::kLayers).size(), stats.size());
    bool spilled = false;
    for (size_t l = 0; l < stats.size(); ++l) {
      const auto [from, to] = spans(tl, sim::Track::kLayers)[l];
      const sim::LayerStats& st = stats[l];
      EXPECT_EQ(to - from, st.cycles) << st.name;
      std::map<sim::Track, int64_t> bytes;
      int64_t channel_cycles = 0, channel_busy = 0, vectors = 0, loads = 0;
      for (const auto& s : tl.slices()) {
        if (s.start_cycle < from || s.start_cycle >= to) continue;
        if (s.track == sim::Track::kDmaWeights || s.track == sim::Track::kDmaInputs ||
            s.track == sim::Track::kDmaPsums)
          bytes[s.track] += arg(s, "bytes");
        if (s.track == sim::Track::kOutputStage)
          bytes[s.track] += arg(s, "psum_bytes") + arg(s, "output_bytes");
        if (s.track == sim::Track::kDram) {
          channel_cycles +=
              static_cast<int64_t>(std::ceil(arg(s, "bytes") / hw.dram_bandwidth_bytes_per_cycle));
          channel_busy += s.end_cycle - s.start_cycle;
        }
        if (s.track == sim::Track::kArrayInject) vectors += arg(s, "count");
        if (s.track == sim::Track::kArrayLoad) ++loads;
      }
      EXPECT_EQ(channel_busy, channel_cycles) << st.name;
      if (st.kind == "maxpool") {
        EXPECT_EQ(busy_within(tl, sim::Track::kVectorUnit, from, to), st.cycles) << st.name;
        continue;
      }
      EXPECT_EQ(bytes[sim::Track::kDmaWeights], st.dram_weight_read_bytes) << st.name;
      EXPECT_EQ(bytes[sim::Track::kDmaInputs], st.dram_input_read_bytes) << st.name;
      EXPECT_EQ(bytes[sim::Track::kDmaPsums], st.dram_psum_read_bytes) << st.name;
      EXPECT_EQ(bytes[sim::Track::kOutputStage], st.dram_psum_write_bytes + st.dram_output_write_bytes)
          << st.name;
      spilled = spilled || st.dram_psum_read_bytes > 0;
      EXPECT_EQ(loads, st.folds) << st.name;
      const auto schedules = sim::map_network(bench.model(i), hw);
      const sim::LayerSchedule& schedule = schedules.at(st.name);
      int64_t m = 0;
      for (const auto& f : schedule.folds) m += f.m;
      EXPECT_EQ(vectors, m) << st.name;
      const int64_t array_busy = busy_within(tl, sim::Track::kArray, from, to);
      EXPECT_GE(array_busy, st.ideal_array_cycles) << st.name;
      EXPECT_LE(array_busy, st.cycles) << st.name;
    }
    EXPECT_TRUE(spilled) << "the case should spill partial sums";
  }
}

TEST(Timeline, ArrayTrackIsBusyExactlyTheIdealArrayCyclesWithIdealMemory) {
  std::deque<sim::Timeline> timelines;
  testing::Bench bench;
  for (auto wb : {sim::WeightBuffering::kSingle, sim::WeightBuffering::kDouble}) {
    sim::HardwareConfig hw = folded_hw();
    hw.memory = sim::MemoryModel::kIdeal;
    hw.weight_buffering = wb;
    bench.add(hw, folded_model(), sim::Observers::timeline_only(&timelines.emplace_back()));
  }
  bench.run();
  for (size_t i = 0; i < timelines.size(); ++i) {
    const sim::Timeline& tl = timelines[i];
    expect_no_overlap(tl);
    const auto& stats = bench[i].layer_stats();
    for (size_t l = 0; l < stats.size(); ++l) {
      if (stats[l].kind == "maxpool") continue;
      const auto [from, to] = spans(tl, sim::Track::kLayers)[l];
      EXPECT_EQ(busy_within(tl, sim::Track::kArray, from, to), stats[l].ideal_array_cycles) << stats[l].name;
      EXPECT_TRUE(spans(tl, sim::Track::kDram).empty());
    }
  }
}

TEST(Timeline, TraceEventJsonHasEverySliceWithTimesOfTheClock) {
  sim::Timeline tl;
  tl.slice(sim::Track::kArray, "fold 0", 10, 30, {{"fold", 0}});
  tl.slice(sim::Track::kArray, "fold 1", 25, 40, {{"fold", 1}});  // starts when fold 0 ends
  tl.slice(sim::Track::kArray, "fold 2", 35, 35);                 // inside fold 1: dropped
  tl.slice(sim::Track::kDram, "weights", 5, 5);                   // an instant: kept
  const auto j = tl.trace_json(200e6, "point");
  std::vector<nlohmann::json> slices;
  int names = 0;
  for (const auto& e : j.at("traceEvents")) {
    if (e.at("ph") == "X") slices.push_back(e);
    if (e.at("ph") == "M" && e.at("name") == "thread_name") ++names;
  }
  EXPECT_EQ(names, static_cast<int>(sim::Track::kCount));
  ASSERT_EQ(slices.size(), 3u);
  EXPECT_DOUBLE_EQ(slices[2].at("dur").get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(slices[0].at("ts").get<double>(), 0.05);  // cycle 10 at 200 MHz
  EXPECT_DOUBLE_EQ(slices[0].at("dur").get<double>(), 0.1);
  EXPECT_EQ(slices[1].at("args").at("start_cycle"), 30);
  EXPECT_EQ(slices[1].at("args").at("issued_cycle"), 25);
  EXPECT_EQ(slices[1].at("args").at("cycles"), 10);
  EXPECT_EQ(slices[0].at("tid"), slices[1].at("tid"));
  EXPECT_EQ(slices[0].at("pid"), 1);
}

TEST(Timeline, LayerSummariesCountEverySliceBeyondTheStoredOnes) {
  sim::Timeline tl;
  tl.set_max_slices(2);
  tl.slice(sim::Track::kDmaWeights, "w0", 0, 10);
  tl.slice(sim::Track::kArray, "fold 0", 10, 30);
  tl.slice(sim::Track::kDmaWeights, "w1", 12, 20);  // not stored: over the limit
  tl.slice(sim::Track::kLayers, "conv", 0, 40);
  tl.slice(sim::Track::kDmaWeights, "w2", 40, 45);
  tl.slice(sim::Track::kLayers, "fc", 40, 50);
  EXPECT_EQ(tl.slices().size(), 2u);
  EXPECT_TRUE(tl.truncated());
  ASSERT_EQ(tl.layers().size(), 2u);
  const sim::TrackSummary& w = tl.layers()[0].tracks[static_cast<int>(sim::Track::kDmaWeights)];
  EXPECT_EQ(w.first_cycle, 0);
  EXPECT_EQ(w.last_cycle, 20);
  EXPECT_EQ(w.busy_cycles, 18);
  EXPECT_EQ(w.slices, 2);
  const sim::TrackSummary& w2 = tl.layers()[1].tracks[static_cast<int>(sim::Track::kDmaWeights)];
  EXPECT_EQ(w2.first_cycle, 40);
  EXPECT_EQ(w2.slices, 1);
  EXPECT_EQ(tl.layers()[1].tracks[static_cast<int>(sim::Track::kArray)].first_cycle, -1);
  EXPECT_TRUE(tl.trace_json(1e8, "t")["otherData"]["truncated"].get<bool>());
}

sim::SocConfig zynq(const sim::HardwareConfig& hw, sim::PartitionStrategy strategy) {
  sim::SocConfig c;
  c.arm = sim::arm_cluster("cortex_a53");
  c.device = "xczu9eg";
  c.ddr = {hw.dram_bandwidth_bytes_per_cycle, hw.dram_latency_cycles, false, 0};
  c.pl_port.width_bytes = 16;
  c.arm_port.width_bytes = 4;
  c.arm_port.fabric_cycles_per_beat = hw.clock_hz / c.arm.clock_hz;
  c.strategy = strategy;
  return c;
}

TEST(Timeline, SystemShowsArmLayersHandoffsAndPortsButNotTheProbe) {
  const sim::QuantModel model = folded_model();
  const sim::EnergyTable energy =
      sim::load_energy_table(std::string(DEEPCHIP_SOURCE_DIR) + "/configs/tech/45nm.json");
  sim::Timeline fixed_tl, auto_tl;
  const sim::HardwareConfig fixed_hw = folded_hw(), auto_hw = folded_hw();
  const auto schedules = sim::map_network(model, fixed_hw);
  sim::SocConfig fixed = zynq(fixed_hw, sim::PartitionStrategy::kFixed);
  fixed.arm_layers = {"p1", "c2"};
  Soc a("fixed", fixed_hw, model, schedules, fixed, energy, nullptr, nullptr,
        sim::Observers::timeline_only(&fixed_tl));
  Soc b("auto", auto_hw, model, schedules, zynq(auto_hw, sim::PartitionStrategy::kAuto), energy, nullptr,
        nullptr, sim::Observers::timeline_only(&auto_tl));
  sc_core::sc_start();
  expect_no_overlap(fixed_tl);
  expect_no_overlap(auto_tl);
  EXPECT_EQ(spans(fixed_tl, sim::Track::kLayers).size(), model.net.layers.size());
  EXPECT_EQ(spans(auto_tl, sim::Track::kLayers).size(), model.net.layers.size());  // the probe is gone
  EXPECT_EQ(spans(fixed_tl, sim::Track::kArmCores).size(), 2u);
  // c1 -> p1 (to ARM) and c2 -> f (to FPGA): one handoff each.
  EXPECT_EQ(spans(fixed_tl, sim::Track::kHandoff).size(), 2u);
  EXPECT_FALSE(spans(fixed_tl, sim::Track::kHpPort).empty());
  EXPECT_FALSE(spans(fixed_tl, sim::Track::kPsPort).empty());
  int64_t last_end = 0;
  for (const auto& [from, to] : spans(auto_tl, sim::Track::kLayers)) last_end = std::max(last_end, to);
  EXPECT_EQ(last_end, b.run_cycles());
}

}  // namespace
}  // namespace deepchip::models
