#include "sim/map/mapper.hpp"

#include <gtest/gtest.h>

#include "sim/io/network_io.hpp"

namespace deepchip::sim {
namespace {

TEST(IdealCycles, SingleBufferingIsScaleSimPerFold) {
  // Per fold 2R + C + M - 2 = 8 + 3 + 10 - 2 = 19.
  EXPECT_EQ(ideal_array_cycles({10, 10}, 4, 3, WeightBuffering::kSingle), 38);
  EXPECT_EQ(ideal_array_cycles({1}, 1, 1, WeightBuffering::kSingle), 2 + 1 + 1 - 2);
}

TEST(IdealCycles, DoubleBufferingPaysFillAndDrainOnce) {
  // R + max(M0, R) + M1 + R + C - 2 = 4 + 10 + 10 + 4 + 3 - 2.
  EXPECT_EQ(ideal_array_cycles({10, 10}, 4, 3, WeightBuffering::kDouble), 29);
  // Short folds wait for the next weight load: max(M, R) = R.
  EXPECT_EQ(ideal_array_cycles({2, 2, 2}, 4, 3, WeightBuffering::kDouble), 4 + 4 + 4 + 2 + 4 + 3 - 2);
  EXPECT_EQ(ideal_array_cycles({25}, 4, 3, WeightBuffering::kDouble),
            ideal_array_cycles({25}, 4, 3, WeightBuffering::kSingle));
}

// A wider stationary fetch loads a fold in L = ceil(R / rows per cycle) cycles instead of R: single L + R + C
// + M - 2 per fold; double L + sum max(M_f, L) + M_last + R + C - 2 (a GEMV's folds of M = 1 wait for L).
TEST(IdealCycles, AWiderWeightLoadShortensEachLoad) {
  HardwareConfig hw;
  hw.array_rows = 8;
  hw.weight_load_rows = 3;
  EXPECT_EQ(hw.stationary_load_cycles(), 3);
  EXPECT_EQ(ideal_array_cycles({1, 1}, 8, 4, WeightBuffering::kSingle, Dataflow::kWs, 3),
            2 * (3 + 8 + 4 + 1 - 2));
  EXPECT_EQ(ideal_array_cycles({1, 1, 1}, 8, 4, WeightBuffering::kDouble, Dataflow::kWs, 3),
            3 + 3 + 3 + 1 + 8 + 4 - 2);
  EXPECT_EQ(ideal_array_cycles({1, 1, 1}, 8, 4, WeightBuffering::kDouble, Dataflow::kWs, 8),
            ideal_array_cycles({1, 1, 1}, 8, 4, WeightBuffering::kDouble));  // one row per cycle: R
  EXPECT_EQ(ideal_array_cycles({5, 5}, 8, 4, WeightBuffering::kDouble, Dataflow::kOs, 3),
            ideal_array_cycles({5, 5}, 8, 4, WeightBuffering::kDouble, Dataflow::kOs));  // os loads nothing
}

Network one_conv(int h, int w, int c, int filters, int kernel, int groups = 1) {
  Network n;
  n.inputs.push_back({"x", Shape{h, w, c}});
  Layer l;
  l.name = "c";
  l.kind = LayerKind::kConv;
  l.out_channels = filters;
  l.kernel_h = l.kernel_w = kernel;
  l.groups = groups;
  n.layers.push_back(l);
  n.finalize("t");
  return n;
}

HardwareConfig small_array(int rows, int cols) {
  HardwareConfig hw;
  hw.array_rows = rows;
  hw.array_cols = cols;
  return hw;
}

TEST(Mapper, FoldsInScaleSimOrder) {
  // K = 10 (1x1 conv over 10 channels), N = 7 filters, M = 4 pixels on a 4x3 array: 3 K-folds x 3 N-folds.
  const Network n = one_conv(2, 2, 10, 7, 1);
  const LayerSchedule s = map_layer(n.layers[0], small_array(4, 3), Precision{8, 8, 32});
  ASSERT_EQ(s.folds.size(), 9u);
  EXPECT_EQ(s.folds[0].n0, 0);
  EXPECT_EQ(s.folds[1].k0, 4);  // K (rows) is the inner loop
  EXPECT_EQ(s.folds[2].kt, 2);
  EXPECT_EQ(s.folds[3].n0, 3);
  EXPECT_EQ(s.folds[8].nt, 1);
  EXPECT_TRUE(s.folds[2].last_k);
  EXPECT_FALSE(s.folds[1].first_k);
  int64_t weight_bytes = 0, output_bytes = 0;
  for (const auto& f : s.folds)
    weight_bytes += f.weight_dram_bytes, output_bytes += f.output_write_dram_bytes;
  EXPECT_EQ(weight_bytes, 70);  // every 8-bit weight once
  EXPECT_EQ(output_bytes, 28);  // M x N outputs once
  EXPECT_TRUE(s.ifmap_resident);
  EXPECT_EQ(s.folds[0].chunks[0].input_dram_bytes, 40);  // the whole ifmap with the first fold
  EXPECT_EQ(s.folds[1].chunks[0].input_dram_bytes, 0);
}

TEST(Mapper, StreamsAndChunksWhenTheIfmapDoesNotFit) {
  // 16x16x8 ifmap (2048 bytes) vs a 1 KiB input buffer with 2 slots of 512 bytes.
  const Network n = one_conv(16, 16, 8, 4, 1);
  HardwareConfig hw = small_array(4, 4);
  hw.input_buffer.size_bytes = 1024;
  const LayerSchedule s = map_layer(n.layers[0], hw, Precision{8, 8, 32});
  EXPECT_FALSE(s.ifmap_resident);
  ASSERT_EQ(s.folds.size(), 2u);  // K = 8 -> 2 K-folds of 4 channels
  // Each fold reads its 4 channels of all 256 pixels: 1024 bytes in 2 chunks of 128 vectors.
  ASSERT_EQ(s.folds[0].chunks.size(), 2u);
  EXPECT_EQ(s.folds[0].chunks[1].m0, 128);
  EXPECT_EQ(s.folds[0].chunks[0].input_dram_bytes + s.folds[0].chunks[1].input_dram_bytes, 1024);
  EXPECT_EQ(check_schedule(s, hw, Precision{8, 8, 32}), "");
}

TEST(Mapper, PartialSumsSpillWhenTheOutputBufferIsTooSmall) {
  const Network n = one_conv(16, 16, 8, 4, 1);
  HardwareConfig hw = small_array(4, 4);
  hw.loop_order = LoopOrder::kNkm;
  hw.output_buffer.size_bytes = 2048;  // slot 1024 < 256 x 4 x 4 bytes of partial sums
  const LayerSchedule s = map_layer(n.layers[0], hw, Precision{8, 8, 32});
  EXPECT_TRUE(s.psum_spill);
  EXPECT_EQ(s.folds[0].psum_write_dram_bytes, 256 * 4 * 4);
  int64_t psum_in = 0;
  for (const auto& c : s.folds[1].chunks) psum_in += c.psum_dram_bytes;
  EXPECT_EQ(psum_in, 256 * 4 * 4);
  EXPECT_EQ(s.folds[1].output_write_dram_bytes, 256 * 4);
}

// The layer above under mnk: M-tiles of 1024 / (4 x 4) = 64 vectors keep their sums in the output slot; the
// weights are fetched once per M-tile. DRAM bytes by hand: nkm 32 weights + 2048 inputs + 2 x 4096 partial
// sums + 1024 outputs = 11296; mnk 4 x 32 + 2048 + 1024 = 3200, so auto picks mnk.
TEST(Mapper, AutoLoopOrderTilesMWhenThatSavesTheSpill) {
  const Network n = one_conv(16, 16, 8, 4, 1);
  HardwareConfig hw = small_array(4, 4);
  hw.output_buffer.size_bytes = 2048;
  const LayerSchedule s = map_layer(n.layers[0], hw, Precision{8, 8, 32});
  EXPECT_EQ(s.loop_order, LoopOrder::kMnk);
  EXPECT_EQ(s.m_tile, 64);
  EXPECT_FALSE(s.psum_spill);
  ASSERT_EQ(s.folds.size(), 8u);  // 4 M-tiles x 1 N-fold x 2 K-folds, K innermost
  EXPECT_EQ(s.folds[1].k0, 4);
  EXPECT_EQ(s.folds[2].m0, 64);
  int64_t weights = 0, inputs = 0, psums = 0, outputs = 0;
  for (const auto& f : s.folds) {
    EXPECT_EQ(f.vectors, 64);
    weights += f.weight_dram_bytes;
    psums += f.psum_write_dram_bytes;
    outputs += f.output_write_dram_bytes;
    for (const auto& c : f.chunks) inputs += c.input_dram_bytes, psums += c.psum_dram_bytes;
  }
  EXPECT_EQ(weights, 4 * 32);
  EXPECT_EQ(inputs, 2048);
  EXPECT_EQ(psums, 0);
  EXPECT_EQ(outputs, 1024);
  hw.loop_order = LoopOrder::kNkm;
  const LayerSchedule nkm = map_layer(n.layers[0], hw, Precision{8, 8, 32});
  EXPECT_TRUE(nkm.psum_spill);
  EXPECT_EQ(nkm.m_tile, 256);
  // Without a spill both orders are one M-tile: auto keeps nkm.
  hw.loop_order = LoopOrder::kAuto;
  hw.output_buffer.size_bytes = 8192;
  EXPECT_EQ(map_layer(n.layers[0], hw, Precision{8, 8, 32}).loop_order, LoopOrder::kNkm);
}

TEST(Mapper, AnMTileReadsOnlyTheInputRowsOfItsPixels) {
  // Not resident: a 3x3 conv (no padding) on 10x6x4, output 8x4, M-tiles of 4 pixels = one output row,
  // which reads 3 input rows of 6 pixels x 4 channels (K = 36 on 16 rows: the first K-fold touches all 4).
  const Network n = one_conv(10, 6, 4, 2, 3);
  HardwareConfig hw = small_array(16, 2);
  hw.loop_order = LoopOrder::kMnk;
  hw.input_buffer.size_bytes = 160;
  hw.output_buffer.size_bytes = 64;  // slot 32 bytes = 4 vectors x 2 sums x 4 bytes
  const LayerSchedule s = map_layer(n.layers[0], hw, Precision{8, 8, 32});
  EXPECT_EQ(s.m_tile, 4);
  int64_t first_tile_inputs = 0;
  for (const auto& c : s.folds[0].chunks) first_tile_inputs += c.input_dram_bytes;
  EXPECT_EQ(first_tile_inputs, 3 * 6 * 4);
}

TEST(Mapper, LoopOrderIsAWeightStationaryChoice) {
  const Network n = one_conv(4, 4, 8, 4, 1);
  HardwareConfig hw = small_array(4, 4);
  hw.dataflow = Dataflow::kOs;
  hw.loop_order = LoopOrder::kMnk;
  const LayerSchedule s = map_layer(n.layers[0], hw, Precision{8, 8, 32});
  EXPECT_EQ(
      check_schedule(s, hw, Precision{8, 8, 32}),
      "loop_order mnk is a weight-stationary nest: dataflow os folds in SCALE-Sim's order (set loop_order "
      "auto)");
}

TEST(Mapper, RejectsAWeightBufferSmallerThanOneFold) {
  const Network n = one_conv(4, 4, 64, 64, 1);
  HardwareConfig hw = small_array(32, 32);
  hw.weight_buffer.size_bytes = 1024;  // 2 slots of 512 bytes < 32 x 32 bytes
  const LayerSchedule s = map_layer(n.layers[0], hw, Precision{8, 8, 32});
  EXPECT_EQ(check_schedule(s, hw, Precision{8, 8, 32}),
            "weight buffer too small for layer c: one fold needs 1024 bytes per slot, have 512");
}

TEST(IdealCycles, OutputStationaryHasNoLoadAndDrainsWhileTheNextFoldStreams) {
  // Per fold K + R + C - 2 = 6 + 4 + 3 - 2 = 11 (SCALE-Sim's os count).
  EXPECT_EQ(ideal_array_cycles({6, 6}, 4, 3, WeightBuffering::kSingle, Dataflow::kOs), 22);
  // Double: every fold but the last max(K, R), the last K + R + C - 2.
  EXPECT_EQ(ideal_array_cycles({6, 6}, 4, 3, WeightBuffering::kDouble, Dataflow::kOs), 6 + 11);
  EXPECT_EQ(ideal_array_cycles({2, 2, 2}, 4, 3, WeightBuffering::kDouble, Dataflow::kOs),
            4 + 4 + 2 + 4 + 3 - 2);
  // Input stationary has ws's form with N streamed.
  EXPECT_EQ(ideal_array_cycles({7, 7}, 4, 3, WeightBuffering::kSingle, Dataflow::kIs),
            ideal_array_cycles({7, 7}, 4, 3, WeightBuffering::kSingle, Dataflow::kWs));
}

TEST(Mapper, InputStationaryFoldsKByMAndStreamsEveryFilter) {
  // M = 4 pixels, K = 10, N = 7 on 4x3: 2 M-folds (3, 1) x 3 K-folds (4, 4, 2), K innermost.
  const Network n = one_conv(2, 2, 10, 7, 1);
  HardwareConfig hw = small_array(4, 3);
  hw.dataflow = Dataflow::kIs;
  const LayerSchedule s = map_layer(n.layers[0], hw, Precision{8, 8, 32});
  ASSERT_EQ(s.folds.size(), 6u);
  EXPECT_EQ(s.folds[1].k0, 4);
  EXPECT_EQ(s.folds[2].kt, 2);
  EXPECT_EQ(s.folds[3].m0, 3);
  EXPECT_EQ(s.folds[3].m, 1);
  for (const auto& f : s.folds) {
    EXPECT_EQ(f.n0, 0);
    EXPECT_EQ(f.nt, 7);
    EXPECT_EQ(f.vectors, 7);
    ASSERT_EQ(f.chunks.size(), 1u);
  }
  // 70 weights fit the buffer: each K block is fetched by the first M-fold only.
  EXPECT_TRUE(s.weights_resident);
  EXPECT_EQ(s.folds[0].weight_dram_bytes, 4 * 7);
  EXPECT_TRUE(s.folds[3].weights_cached);
  EXPECT_EQ(s.folds[3].weight_dram_bytes, 0);
  EXPECT_EQ(s.folds[2].output_write_dram_bytes, 3 * 7);
  EXPECT_EQ(s.folds[5].output_write_dram_bytes, 1 * 7);
  EXPECT_EQ(s.folds[0].input_block_dram_bytes, 40);  // the resident ifmap with the first fold
  EXPECT_EQ(check_schedule(s, hw, Precision{8, 8, 32}), "");
}

TEST(Mapper, OutputStationaryFoldsMByNAndStreamsAllOfK) {
  // M = 25, K = 6, N = 7 on 4x3: 3 N-folds x 7 M-folds, M innermost; every fold writes its outputs once.
  const Network n = one_conv(5, 5, 6, 7, 1);
  HardwareConfig hw = small_array(4, 3);
  hw.dataflow = Dataflow::kOs;
  hw.weight_buffer.size_bytes = 40;  // 42 weight bytes do not stay: each fold fetches its K x nt block
  const LayerSchedule s = map_layer(n.layers[0], hw, Precision{8, 8, 32});
  ASSERT_EQ(s.folds.size(), 21u);
  EXPECT_FALSE(s.weights_resident);
  EXPECT_EQ(s.folds[1].m0, 4);
  EXPECT_EQ(s.folds[6].m, 1);
  EXPECT_EQ(s.folds[7].n0, 3);
  EXPECT_EQ(s.folds[20].nt, 1);
  int64_t weight_bytes = 0, output_bytes = 0;
  for (const auto& f : s.folds) {
    EXPECT_EQ(f.kt, 6);
    EXPECT_TRUE(f.first_k && f.last_k);
    EXPECT_EQ(f.psum_write_dram_bytes, 0);
    weight_bytes += f.weight_dram_bytes, output_bytes += f.output_write_dram_bytes;
  }
  EXPECT_EQ(weight_bytes, 7 * (6 * 3) * 2 + 7 * 6);  // refetched by every M-fold
  EXPECT_EQ(output_bytes, 25 * 7);
  EXPECT_EQ(check_schedule(s, hw, Precision{8, 8, 32}), "");
}

// The DMA depth (models/README.md "DMA depth"): min(dma_outstanding, max(2, capacity / largest transfer)), 1
// when single-buffered. os, 1x1 conv over 4x4x6 with 28 filters on 4x3: an M-fold is one output row of 4
// pixels, whose chunk carries 4 x 6 = 24 input bytes (the 96-byte ifmap not resident in 90 bytes) and a K x
// nt block of at most 6 x 3 = 18 weight bytes (the 168 weight bytes not resident).
TEST(Mapper, DmaDepthIsWhatTheBufferHoldsUpToDmaOutstanding) {
  const Network n = one_conv(4, 4, 6, 28, 1);
  auto depths = [&](int64_t weight_buffer, int outstanding, bool dbl) {
    HardwareConfig hw = small_array(4, 3);
    hw.dataflow = Dataflow::kOs;
    hw.weight_buffer.size_bytes = weight_buffer;
    hw.input_buffer.size_bytes = 90;
    hw.weight_buffer.double_buffered = hw.input_buffer.double_buffered = dbl;
    hw.dma_outstanding = outstanding;
    const LayerSchedule s = map_layer(n.layers[0], hw, Precision{8, 8, 32});
    EXPECT_FALSE(s.weights_resident);
    EXPECT_FALSE(s.ifmap_resident);
    EXPECT_EQ(s.folds.size(), 40u);
    EXPECT_EQ(s.folds[0].chunks.size(), 1u);
    EXPECT_EQ(s.folds[0].chunks[0].input_dram_bytes, 24);
    EXPECT_EQ(check_schedule(s, hw, Precision{8, 8, 32}), "");
    return std::make_pair(s.weight_transfers_ahead, s.input_transfers_ahead);
  };
  EXPECT_EQ(depths(160, 4, true), std::make_pair(4, 3));  // 160 / 18 = 8, capped at 4; 90 / 24 = 3
  EXPECT_EQ(depths(160, 16, true), std::make_pair(8, 3));
  EXPECT_EQ(depths(160, 3, true), std::make_pair(3, 3));
  EXPECT_EQ(depths(40, 16, true), std::make_pair(2, 3));  // 40 / 18 = 2
  EXPECT_EQ(depths(160, 1, true), std::make_pair(1, 1));
  EXPECT_EQ(depths(160, 4, false), std::make_pair(1, 1));  // single-buffered: one transfer
}

TEST(Mapper, BlockDataflowsFetchTheInputRowsTheirPixelsRead) {
  // 3x3 conv, stride 1, no padding, on a 10x6x4 ifmap (not resident): output 8x4; an os fold of 4 rows
  // covers output pixels 0..3 (output row 0), which read input rows 0..2: 3 rows x 6 x 4 channels.
  const Network n = one_conv(10, 6, 4, 2, 3);
  HardwareConfig hw = small_array(4, 2);
  hw.dataflow = Dataflow::kOs;
  hw.input_buffer.size_bytes = 160;  // 240 ifmap bytes do not stay
  const LayerSchedule s = map_layer(n.layers[0], hw, Precision{8, 8, 32});
  EXPECT_FALSE(s.ifmap_resident);
  EXPECT_EQ(s.folds[0].chunks[0].input_dram_bytes, 3 * 6 * 4);
  // Pixels 4..7 are output row 1: input rows 1..3.
  EXPECT_EQ(s.folds[1].chunks[0].input_dram_bytes, 3 * 6 * 4);
}

}  // namespace
}  // namespace deepchip::sim
