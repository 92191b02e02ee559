#include "sim/mapper.hpp"

#include <gtest/gtest.h>

#include "sim/network_io.hpp"

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
  hw.output_buffer.size_bytes = 2048;  // slot 1024 < 256 x 4 x 4 bytes of partial sums
  const LayerSchedule s = map_layer(n.layers[0], hw, Precision{8, 8, 32});
  EXPECT_TRUE(s.psum_spill);
  EXPECT_EQ(s.folds[0].psum_write_dram_bytes, 256 * 4 * 4);
  int64_t psum_in = 0;
  for (const auto& c : s.folds[1].chunks) psum_in += c.psum_dram_bytes;
  EXPECT_EQ(psum_in, 256 * 4 * 4);
  EXPECT_EQ(s.folds[1].output_write_dram_bytes, 256 * 4);
}

TEST(Mapper, RejectsAWeightBufferSmallerThanOneFold) {
  const Network n = one_conv(4, 4, 64, 64, 1);
  HardwareConfig hw = small_array(32, 32);
  hw.weight_buffer.size_bytes = 1024;  // 2 slots of 512 bytes < 32 x 32 bytes
  const LayerSchedule s = map_layer(n.layers[0], hw, Precision{8, 8, 32});
  EXPECT_EQ(check_schedule(s, hw, Precision{8, 8, 32}),
            "weight buffer too small for layer c: one fold needs 1024 bytes per slot, have 512");
}

}  // namespace
}  // namespace deepchip::sim
