// Golden tensors computed once per compressed model and shared: a point compares with the tensors it is
// given, and the result equals computing them itself.
#include <gtest/gtest.h>

#include "deepchip/source_dir.hpp"
#include "models/system/evaluate.hpp"
#include "sim/cost/energy.hpp"
#include "sim/ir/model.hpp"
#include "tests/models/harness.hpp"

namespace deepchip::models {
namespace {

TEST(GoldenOnce, GivenTensorsAreWhatThePointIsComparedWith) {
  const sim::QuantModel model = testing::model_of_json(R"({"inputs": [{"name": "x", "shape": [6, 6, 3]}],
      "layers": [{"name": "c", "type": "conv", "filters": 5, "kernel": 3, "padding": 1, "relu": true},
                 {"name": "p", "type": "maxpool", "kernel": 2, "stride": 2},
                 {"name": "f", "type": "fc", "units": 4}]})");
  sim::HardwareConfig hw;
  hw.array_rows = hw.array_cols = 4;
  const auto energy = sim::load_energy_table(std::string(DEEPCHIP_SOURCE_DIR) + "/configs/tech/45nm.json");
  // A wrong reference tensor is noticed: the point compares with the tensors it is given, not its own
  // (which would match). One simulation per process, so the matching case is the rest of the suite's.
  sim::GoldenReference golden = sim::golden_reference(model, hw.accumulator_bits);
  golden.tensors.at("p").data[0] += 1;
  const sim::PointResult r =
      evaluate({hw, std::nullopt, std::nullopt}, {model, energy, &golden, std::nullopt});
  ASSERT_TRUE(r.ok) << r.reason;
  EXPECT_FALSE(r.golden_match);
  EXPECT_TRUE(r.layers[0].golden_match);
  EXPECT_FALSE(r.layers[1].golden_match);
  EXPECT_EQ(r.reason, "SystemC outputs differ from the golden executor");
}

}  // namespace
}  // namespace deepchip::models
