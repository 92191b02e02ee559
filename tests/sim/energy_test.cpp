#include "sim/cost/energy.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "deepchip/source_dir.hpp"
#include "sim/io/errors.hpp"

namespace deepchip::sim {
namespace {

const std::string kTable = std::string(DEEPCHIP_SOURCE_DIR) + "/configs/tech/45nm.json";

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
  apply_energy(s, t, hw, t.mac_pj(8, 8, 32), 0.0, PeBits{});
  EXPECT_NEAR(s.energy_mac_pj, 300.0, 1e-9);
  EXPECT_NEAR(s.energy_sram_input_pj, 100.0, 1e-9);
  EXPECT_NEAR(s.energy_sram_weight_pj, 60.0, 1e-9);
  EXPECT_NEAR(s.energy_sram_output_pj, 20.0, 1e-9);
  EXPECT_NEAR(s.energy_dram_pj, 64 * 20.3, 1e-9);
  EXPECT_NEAR(s.energy_total_pj, 300 + 100 + 60 + 20 + 64 * 20.3, 1e-9);
}

// min(1, 0.1 * (0.01 / s)^2): 0.1 at 1%, 0.025 at 2%, capped at the digital MAC below sqrt(0.1)%; only the
// noisy layers' MACs are charged less.
TEST(Energy, NoisyMacsCostLessByTheTablesLaw) {
  const EnergyTable t = load_energy_table(kTable);
  EXPECT_DOUBLE_EQ(t.noisy_mac_factor(0), 1.0);
  EXPECT_NEAR(t.noisy_mac_factor(0.01), 0.1, 1e-12);
  EXPECT_NEAR(t.noisy_mac_factor(0.02), 0.025, 1e-12);
  EXPECT_DOUBLE_EQ(t.noisy_mac_factor(0.001), 1.0);
  Layer a, b;
  a.name = "a", b.name = "b";
  a.kind = b.kind = LayerKind::kFullyConnected;
  QuantModel m;
  m.layers["a"].stored_weight_bits = 8, m.layers["b"].stored_weight_bits = 8;
  HardwareConfig hw;
  hw.mac_noise = 0.02;
  hw.mac_noise_layers = {"b"};
  EXPECT_NEAR(layer_mac_pj(m, a, hw, t), 0.3, 1e-12);
  EXPECT_NEAR(layer_mac_pj(m, b, hw, t), 0.3 * 0.025, 1e-12);
  hw.mac_noise_layers.clear();  // all of them
  EXPECT_NEAR(layer_mac_pj(m, a, hw, t), 0.3 * 0.025, 1e-12);
  const std::string bad = ::testing::TempDir() + "/noisy_mac_table.json";
  std::ofstream(bad) << R"({"source": "s", "int_mult_8bit_pj": 0.2, "int_add_32bit_pj": 0.1,
      "sram_64bit_access_pj": [{"size_kib": 8, "pj": 10}, {"size_kib": 32, "pj": 20}], "dram_pj_per_bit": 20,
      "noisy_mac": {"source": "s", "reference_noise": 0, "factor_at_reference": 0.1, "exponnent": 2}})";
  try {
    load_energy_table(bad);
    FAIL();
  } catch (const ConfigError& e) {
    const std::vector<std::string> expected = {
        bad + ": noisy_mac.exponnent: unknown key",
        bad + ": noisy_mac.reference_noise: required, a number in (0, 1e6]",
        bad + ": noisy_mac.exponent: required, a number in (0, 1e6]"};
    EXPECT_EQ(e.messages(), expected);
  }
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
