// dse scalesim's readers: SCALE-Sim's config file read as Python's configparser reads it, and numbers
// printed as Python's str() prints floats (SCALE-Sim's reports).
#include <gtest/gtest.h>

#include "explorer/scalesim/scalesim_config.hpp"
#include "explorer/scalesim/scalesim_mode.hpp"
#include "sim/io/errors.hpp"

namespace deepchip::explorer {
namespace {

TEST(ScaleSimFloat, PrintsAsPythonStr) {
  EXPECT_EQ(python_float(100.0), "100.0");
  EXPECT_EQ(python_float(94.53125), "94.53125");
  EXPECT_EQ(python_float(91.68309650614964), "91.68309650614964");
  EXPECT_EQ(python_float(0.1), "0.1");
  EXPECT_EQ(python_float(0.0001), "0.0001");
  EXPECT_EQ(python_float(0.00001), "1e-05");
  EXPECT_EQ(python_float(1.5e-7), "1.5e-07");
  EXPECT_EQ(python_float(1e15), "1000000000000000.0");
  EXPECT_EQ(python_float(1e16), "1e+16");
  EXPECT_EQ(python_float(1.2345678901234568e+17), "1.2345678901234568e+17");
  EXPECT_EQ(python_float(-2.5), "-2.5");
  EXPECT_EQ(python_float(0.0), "0.0");
  EXPECT_EQ(python_float(33.0), "33.0");
  EXPECT_EQ(python_float(123456.0), "123456.0");
}

constexpr const char* kScaleCfg = R"([general]
run_name = scale_example_run_32x32_os

[architecture_presets]
ArrayHeight:    32
ArrayWidth:     32
IfmapSramSzkB:   64
FilterSramSzkB:  64
OfmapSramSzkB:   64
IfmapOffset:    0
FilterOffset:   10000000
OfmapOffset:    20000000
Bandwidth : 10
Dataflow : os
MemoryBanks:   1

[run_presets]
InterfaceBandwidth: CALC
)";

TEST(ScaleSimConfig, ReadsScaleSimsExample) {
  const ScaleSimConfig c = parse_scalesim_config(kScaleCfg, "scale.cfg");
  EXPECT_EQ(c.run_name, "scale_example_run_32x32_os");
  EXPECT_EQ(c.array_rows, 32);
  EXPECT_EQ(c.array_cols, 32);
  EXPECT_EQ(c.ifmap_sram_kib, 64);
  EXPECT_EQ(c.filter_offset, 10000000);
  EXPECT_EQ(c.dataflow, sim::Dataflow::kOs);
  EXPECT_EQ(c.bandwidths, std::vector<double>{10});
  EXPECT_FALSE(c.user_bandwidth);
  EXPECT_FALSE(c.topology.has_value());
}

TEST(ScaleSimConfig, KeysAreCaseInsensitiveCommentsSkippedAndTheTopologyQuoted) {
  const std::string text =
      std::string(kScaleCfg) +
      "; a comment\n# another\n[network_presets]\nTOPOLOGYCSVLOC = \"../topologies/a.csv\"\n";
  const ScaleSimConfig c = parse_scalesim_config(text, "c.cfg");
  ASSERT_TRUE(c.topology.has_value());
  EXPECT_EQ(*c.topology, "../topologies/a.csv");
}

TEST(ScaleSimConfig, EveryProblemIsReportedAtOnceWithItsLine) {
  std::string text = kScaleCfg;
  text.replace(text.find("ArrayWidth:     32"), 18, "ArrayWidth:     0");
  text.replace(text.find("Dataflow : os"), 13, "Dataflow : xs");
  text += "  continued\n";  // a continuation of InterfaceBandwidth: no longer CALC
  try {
    parse_scalesim_config(text, "c.cfg");
    FAIL() << "expected errors";
  } catch (const sim::ConfigError& e) {
    ASSERT_EQ(e.messages().size(), 3u);
    EXPECT_EQ(e.messages()[0], "c.cfg:18: InterfaceBandwidth must be USER or CALC, got 'CALC\\ncontinued'");
    EXPECT_EQ(e.messages()[1], "c.cfg:6: arraywidth must be in 1..16384, got 0");
    EXPECT_EQ(e.messages()[2], "c.cfg:14: Dataflow must be ws, os or is, got 'xs'");
  }
}

}  // namespace
}  // namespace deepchip::explorer
