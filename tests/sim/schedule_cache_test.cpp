#include "sim/map/schedule_cache.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "sim/compress/compression.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/ir/synthetic.hpp"
#include "sim/zoo/zoo.hpp"

namespace deepchip::sim {
namespace {

// Every field of every fold and chunk, so that two schedules compare field by field.
std::vector<int64_t> flatten(const NetworkSchedules& schedules) {
  std::vector<int64_t> v;
  for (const auto& [name, s] : schedules) {
    v.insert(v.end(), {s.m_tile, s.psum_spill, s.ifmap_resident, s.weights_resident, s.folds_skipped,
                       s.cycles_skipped, s.bias_only_output_bytes, static_cast<int64_t>(s.loop_order),
                       s.input_transfers_ahead, s.weight_transfers_ahead});
    for (const auto& f : s.folds) {
      v.insert(v.end(), {f.group, f.k0, f.kt, f.n0, f.nt, f.m0, f.m, f.vectors, f.first_k, f.last_k,
                         f.weight_dram_bytes, f.weights_cached, f.input_block_dram_bytes,
                         f.psum_write_dram_bytes, f.output_write_dram_bytes});
      for (const auto& c : f.chunks)
        v.insert(v.end(), {c.m0, c.count, c.input_dram_bytes, c.weight_dram_bytes, c.weight_elements,
                           c.psum_dram_bytes});
    }
  }
  return v;
}

QuantModel svhn_model() {
  QuantConfig q;
  q.sparsity = 0.5;  // pruned in 8 x 8 blocks: whole folds of zeros to skip
  q.block_k = q.block_n = 8;
  return quantize(make_synthetic_model(zoo_network("svhn_convnet"), 1), q);
}

HardwareConfig point(int rows, int cols, int input_kib, double bandwidth) {
  HardwareConfig hw;
  hw.array_rows = rows;
  hw.array_cols = cols;
  hw.input_buffer.size_bytes = int64_t{input_kib} * 1024;
  hw.dram_bandwidth_bytes_per_cycle = bandwidth;
  hw.zero_handling = ZeroHandling::kSkipping;
  return hw;
}

TEST(ScheduleCache, AReusedScheduleEqualsAFreshMapping) {
  const QuantModel model = svhn_model();
  ScheduleCache cache(model, 2);
  for (Dataflow dataflow : {Dataflow::kWs, Dataflow::kOs, Dataflow::kIs})
    for (int input_kib : {4, 64})
      for (double bandwidth : {4.0, 16.0, 4.0}) {
        HardwareConfig hw = point(8, 16, input_kib, bandwidth);
        hw.dataflow = dataflow;
        const auto reused = cache.schedules(hw);
        EXPECT_EQ(flatten(*reused), flatten(map_network(model, hw)));
        int64_t skipped = 0;
        for (const auto& [name, s] : *reused) skipped += s.folds_skipped;
        if (dataflow == Dataflow::kWs) {
          EXPECT_GT(skipped, 0);  // its folds of pruned blocks are left out
        }
      }
  // Six mapping configurations, each met three times in a row: mapped once each.
  EXPECT_EQ(cache.misses(), 6u);
  EXPECT_EQ(cache.hits(), 12u);
}

TEST(ScheduleCache, WhatTheMapperDoesNotReadHitsAndWhatItReadsMisses) {
  const QuantModel model = svhn_model();
  ScheduleCache cache(model, 4);
  const HardwareConfig base = point(16, 16, 64, 16);
  const auto first = cache.schedules(base);
  HardwareConfig other = base;
  other.dram_bandwidth_bytes_per_cycle = 2;
  other.dram_latency_cycles = 7;
  other.clock_hz = 1e9;
  other.impl = ArrayImpl::kTiming;
  other.memory = MemoryModel::kIdeal;
  EXPECT_EQ(cache.schedules(other), first);  // the same object: not mapped again
  for (auto change : std::vector<void (*)(HardwareConfig&)>{
           [](HardwareConfig& h) { h.array_rows = 8; }, [](HardwareConfig& h) { h.array_cols = 8; },
           [](HardwareConfig& h) { h.dataflow = Dataflow::kOs; },
           [](HardwareConfig& h) { h.loop_order = LoopOrder::kMnk; },
           [](HardwareConfig& h) { h.weight_buffering = WeightBuffering::kSingle; },
           [](HardwareConfig& h) { h.weight_load_rows = 4; },
           [](HardwareConfig& h) { h.accumulator_bits = 24; },
           [](HardwareConfig& h) { h.input_buffer.size_bytes = 8192; },
           [](HardwareConfig& h) { h.weight_buffer.double_buffered = false; },
           [](HardwareConfig& h) { h.output_buffer.size_bytes = 4096; },
           [](HardwareConfig& h) { h.dma_outstanding = 1; },
           [](HardwareConfig& h) { h.zero_handling = ZeroHandling::kNone; }}) {
    HardwareConfig changed = base;
    change(changed);
    EXPECT_FALSE(MappingConfig(changed) == MappingConfig(base));
    const size_t misses = cache.misses();
    EXPECT_EQ(flatten(*cache.schedules(changed)), flatten(map_network(model, changed)));
    EXPECT_EQ(cache.misses(), misses + 1);
  }
}

TEST(ScheduleCache, KeepsTheMostRecentlyUsed) {
  const QuantModel model = svhn_model();
  ScheduleCache cache(model, 2);
  const HardwareConfig a = point(8, 8, 64, 16), b = point(16, 8, 64, 16), c = point(32, 8, 64, 16);
  cache.schedules(a);
  cache.schedules(b);
  cache.schedules(a);  // a is now the newest: c evicts b
  cache.schedules(c);
  cache.schedules(a);
  EXPECT_EQ(cache.misses(), 3u);
  cache.schedules(b);
  EXPECT_EQ(cache.misses(), 4u);
}

// With Huffman coding each schedule carries its layer's coded weights, equal to the controller's coding.
TEST(ScheduleCache, CodesEachLayersWeightsForItsSchedule) {
  QuantConfig q;
  q.weight_format = WeightFormat::kTernary;
  q.huffman = HuffmanMode::kZeroRle;
  const QuantModel model = quantize(make_synthetic_model(zoo_network("svhn_convnet"), 1), q);
  ScheduleCache cache(model, 2);
  const HardwareConfig hw = point(16, 8, 16, 8);
  const auto cached = cache.schedules(hw);
  const auto fresh = map_network(model, hw);
  ASSERT_EQ(cached->size(), fresh.size());
  for (const auto& l : model.net.layers) {
    if (!fresh.count(l.name)) continue;
    const LayerStream& coded = *cached->at(l.name).weight_stream;
    const LayerStream expected = layer_weight_stream(l, model, fresh.at(l.name));
    ASSERT_TRUE(coded.code.has_value());
    EXPECT_EQ(coded.table, expected.table);
    ASSERT_EQ(coded.folds.size(), expected.folds.size());
    for (size_t f = 0; f < coded.folds.size(); ++f) {
      EXPECT_EQ(coded.folds[f].bytes, expected.folds[f].bytes);
      EXPECT_EQ(coded.folds[f].symbols, expected.folds[f].symbols);
      EXPECT_EQ(coded.folds[f].dram_bytes, expected.folds[f].dram_bytes);
    }
  }
  EXPECT_EQ(cache.schedules(hw), cached);
}

}  // namespace
}  // namespace deepchip::sim
