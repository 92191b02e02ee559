#include "sim/energy.hpp"

#include <gtest/gtest.h>

#include "sim/errors.hpp"

namespace deepchip::sim {
namespace {

const std::string kTable = std::string(DEEPCHIP_SOURCE_DIR) + "/configs/energy/horowitz45.json";

TEST(Energy, HorowitzTable) {
  const EnergyTable t = load_energy_table(kTable);
  EXPECT_NEAR(t.mac_pj(8, 8, 32), 0.2 + 0.1, 1e-12);
  EXPECT_NEAR(t.mac_pj(4, 8, 16), 0.2 * 0.5 + 0.05, 1e-12);  // multiplier ~ product of widths, adder ~ width
  EXPECT_NEAR(t.sram_word_pj(8 * 1024, 64), 10.0, 1e-9);
  EXPECT_NEAR(t.sram_word_pj(32 * 1024, 64), 20.0, 1e-9);
  EXPECT_NEAR(t.sram_word_pj(16 * 1024, 64), std::sqrt(200.0), 1e-9);  // log-log interpolation
  EXPECT_NEAR(t.sram_word_pj(8 * 1024, 32), 5.0, 1e-9);
  EXPECT_NEAR(t.dram_pj_per_bit, 20.3, 1e-12);
}

TEST(Energy, AppliedToCounters) {
  const EnergyTable t = load_energy_table(kTable);
  HardwareConfig hw;
  hw.input_buffer = {8 * 1024, 64, true};
  hw.weight_buffer = {32 * 1024, 64, true};
  hw.output_buffer = {8 * 1024, 32, true};
  LayerStats s;
  s.macs = 1000;
  s.sram_input_reads = 10;
  s.sram_weight_writes = 3;
  s.sram_output_writes = 4;
  s.dram_weight_read_bytes = 8;
  apply_energy(s, t, hw, t.mac_pj(8, 8, 32));
  EXPECT_NEAR(s.energy_mac_pj, 300.0, 1e-9);
  EXPECT_NEAR(s.energy_sram_input_pj, 100.0, 1e-9);
  EXPECT_NEAR(s.energy_sram_weight_pj, 60.0, 1e-9);
  EXPECT_NEAR(s.energy_sram_output_pj, 20.0, 1e-9);
  EXPECT_NEAR(s.energy_dram_pj, 64 * 20.3, 1e-9);
  EXPECT_NEAR(s.energy_total_pj, 300 + 100 + 60 + 20 + 64 * 20.3, 1e-9);
}

TEST(Energy, BadTableNamesFileAndKey) {
  try {
    load_energy_table("/nonexistent.json");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.messages().at(0), "/nonexistent.json: cannot open energy table");
  }
}

}  // namespace
}  // namespace deepchip::sim
