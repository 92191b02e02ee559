#include "sim/cost/rtl_area.hpp"

#include <gtest/gtest.h>

#include "deepchip/source_dir.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/io/network_io.hpp"
#include "sim/ir/synthetic.hpp"

namespace deepchip::sim {
namespace {

sim::QuantModel model(sim::WeightFormat f, int bits, int first_last) {
  sim::QuantConfig qc;
  qc.weight_format = f;
  qc.weight_bits = bits;
  qc.first_last_weight_bits = first_last;
  return sim::quantize(sim::make_synthetic_model(sim::zoo_network("lenet5"), 1), qc);
}

TEST(Area, ArrayAreaFromTheSynthesizedPe) {
  const AreaTable t = AreaTable::load(std::string(DEEPCHIP_SOURCE_DIR) + "/configs/rtl_area.csv");
  const auto ternary = t.estimate(model(sim::WeightFormat::kTernary, 8, 0), 4, 8);
  ASSERT_TRUE(ternary);
  EXPECT_EQ(ternary->pe, "ternary");
  EXPECT_EQ(ternary->dsp48, 0);  // no multiplier
  const auto int3 = t.estimate(model(sim::WeightFormat::kInt, 3, 0), 4, 8);
  ASSERT_TRUE(int3);
  EXPECT_EQ(int3->pe, "int4");  // the smallest synthesized width that holds 3 bits
  const auto mixed = t.estimate(model(sim::WeightFormat::kTernary, 8, 8), 4, 8);
  ASSERT_TRUE(mixed);
  EXPECT_EQ(mixed->pe, "int8");  // int8 first/last layers need int8 PEs
  EXPECT_EQ(mixed->dsp48, 32);   // one DSP48 per PE, 4 x 8 PEs
  EXPECT_EQ(mixed->luts % 32, 0);
  EXPECT_GT(t.estimate(model(sim::WeightFormat::kInt, 16, 0), 4, 8)->generic_cells, int3->generic_cells);
}

}  // namespace
}  // namespace deepchip::sim
