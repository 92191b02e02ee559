// Kernels run on SystemC coroutine stacks: large folds must not overflow them.
#include <gtest/gtest.h>

#include "deepchip/source_dir.hpp"
#include "models/system/evaluate.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/cost/energy.hpp"
#include "sim/io/network_io.hpp"
#include "sim/ir/synthetic.hpp"

namespace deepchip::models {
namespace {

// SCALE-Sim's bundled transformer topology (topologies/GEMM_mnk/transformer_partial.csv, conv form) on a
// 128x128 tile array: every fold is a 128x128x128 GEMM, whose Eigen packing buffers (2 x 128 KiB on the
// stack) used to overflow the 256 KiB default coroutine stack with signal 11.
TEST(KernelStack, TransformerLayersOn128x128Tile) {
  const sim::Network net = sim::parse_scalesim_csv(
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
      "MH_FC_DimReduce_VKQ_0, 128, 1536, 1, 1536, 1, 512, 1,\n"
      "SD_MatMul_QK_00, 128, 128, 1, 128, 1, 64, 1,\n"
      "FF_A_0, 128, 2048, 1, 2048, 1, 512, 1,\n"
      "FF_B_0, 128, 2048, 1, 2048, 1, 2048, 1,\n",
      "transformer_partial.csv");
  const sim::QuantModel model = sim::quantize(sim::make_synthetic_model(net, 1), sim::QuantConfig{});
  sim::HardwareConfig hw;
  hw.array_rows = hw.array_cols = 128;
  hw.impl = sim::ArrayImpl::kTile;
  const sim::EnergyTable energy =
      sim::load_energy_table(std::string(DEEPCHIP_SOURCE_DIR) + "/configs/tech/45nm.json");
  const sim::PointResult r =
      evaluate({hw, std::nullopt, std::nullopt}, {model, energy, nullptr, std::nullopt});
  ASSERT_TRUE(r.ok) << r.reason;
  EXPECT_TRUE(r.golden_match);
  EXPECT_EQ(r.total.macs, 128LL * 1536 * 512 + 128LL * 128 * 64 + 128LL * 2048 * 512 + 128LL * 2048 * 2048);
}

}  // namespace
}  // namespace deepchip::models
