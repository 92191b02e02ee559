// The silicon model (sim/cost/silicon.hpp) and PE-level energy (sim/cost/energy.hpp) against figures worked
// out by hand from configs/tech/45nm.json.
#include "sim/cost/silicon.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "deepchip/source_dir.hpp"
#include "sim/cost/energy.hpp"
#include "sim/cost/rtl_area.hpp"
#include "sim/io/errors.hpp"

namespace deepchip::sim {
namespace {

const std::string kTable = std::string(DEEPCHIP_SOURCE_DIR) + "/configs/tech/45nm.json";

// A network of one int8 (or ternary) conv layer and a ReLU, 8-bit activations.
QuantModel one_conv(WeightFormat format, int weight_bits) {
  QuantModel m;
  m.config.activation_bits = 8;
  Layer conv, relu;
  conv.name = "conv", conv.kind = LayerKind::kConv;
  relu.name = "relu", relu.kind = LayerKind::kRelu;
  m.net.layers = {conv, relu};
  m.layers["relu"];  // no parameters, as a quantized ReLU
  m.layers["conv"].format = format;
  m.layers["conv"].stored_weight_bits = weight_bits;
  m.storage["conv"].weights = 16;
  return m;
}

TEST(Silicon, LogicAreasFollowHorowitzAndTheirPowerLaws) {
  const SiliconTable t = *load_energy_table(kTable).silicon;
  EXPECT_NEAR(t.mult_um2(8, 8), 282, 1e-9);
  EXPECT_NEAR(t.mult_um2(32, 32), 3495, 1e-9);
  // 282 * 2^k with 16^k = 3495 / 282 (k = 0.90788): a 16 x 8 multiplier.
  EXPECT_NEAR(t.mult_um2(16, 8), 529.113, 1e-3);
  EXPECT_NEAR(t.add_um2(8), 36, 1e-9);
  EXPECT_NEAR(t.add_um2(32), 137, 1e-9);
  EXPECT_NEAR(t.add_um2(16), 70.228, 1e-3);  // 36 * 2^k with 4^k = 137 / 36
}

TEST(Silicon, SramAreaAndLeakageInterpolateCactiLogLog) {
  const SiliconTable t = *load_energy_table(kTable).silicon;
  EXPECT_NEAR(t.sram_area_mm2(16 * 1024), 0.05076, 1e-12);
  EXPECT_NEAR(t.sram_area_mm2(256 * 1024), 0.87225, 1e-12);
  EXPECT_NEAR(t.sram_area_mm2(32 * 1024), std::sqrt(0.05076 * 0.20908), 1e-9);  // geometric mean
  EXPECT_NEAR(t.sram_leakage_w(32 * 1024), 1e-3 * std::sqrt(0.2574 * 0.9346), 1e-12);
}

TEST(Silicon, APeHoldsItsMultiplierAdderAndTheRegistersOfItsDataflow) {
  const SiliconTable t = *load_energy_table(kTable).silicon;
  HardwareConfig hw;  // 32-bit accumulator, double-buffered weights
  const QuantModel int8 = one_conv(WeightFormat::kInt, 8);
  // ws_pe.sv: 8x8 multiplier 282 + 32-bit adder 137 + registers: activation 9 (signed), switch 1, partial
  // sum 32, weight 8, shadow 8 (58 bits).
  EXPECT_NEAR(pe_area_um2(int8, hw, t), 282 + 137 + 58 * 4.522, 1e-9);
  hw.dataflow = Dataflow::kOs;  // accumulator, passing activation and weight, switch bit: 50 bits
  EXPECT_NEAR(pe_area_um2(int8, hw, t), 282 + 137 + 50 * 4.522, 1e-9);
  hw.dataflow = Dataflow::kWs;
  hw.weight_buffering = WeightBuffering::kSingle;  // no shadow weight
  EXPECT_NEAR(pe_area_um2(int8, hw, t), 282 + 137 + 50 * 4.522, 1e-9);
  // ws_pe_ternary.sv: two 32-bit adders, registers a 9, switch 1, two partial sums 64, two 2-bit codes.
  EXPECT_NEAR(pe_area_um2(one_conv(WeightFormat::kTernary, 2), HardwareConfig{}, t), 2 * 137 + 78 * 4.522,
              1e-9);
}

// The second, checkable source: yosys's synthesis of hw/rtl (configs/rtl_area.csv, scripts/synth; 8-bit
// activations, 32-bit sums) maps the int8 PE to 58 flip-flops and the ternary PE to 78, the register bits the
// model gives them.
TEST(Silicon, ThePesRegistersAreTheFlipFlopsYosysSynthesizes) {
  const SiliconTable t = *load_energy_table(kTable).silicon;
  const AreaTable synthesized = AreaTable::load(std::string(DEEPCHIP_SOURCE_DIR) + "/configs/rtl_area.csv");
  for (const auto& [format, bits] : {std::pair{WeightFormat::kInt, 8}, {WeightFormat::kTernary, 2}}) {
    const QuantModel m = one_conv(format, bits);
    const std::optional<AreaEstimate> fpga = synthesized.estimate(m, 1, 1);
    ASSERT_TRUE(fpga);
    const double arithmetic =
        format == WeightFormat::kInt ? t.mult_um2(8, 8) + t.add_um2(32) : 2 * t.add_um2(32);
    EXPECT_NEAR((pe_area_um2(m, HardwareConfig{}, t) - arithmetic) / t.register_bit_um2,
                static_cast<double>(fpga->ffs), 1e-9)
        << fpga->pe;
  }
}

TEST(Silicon, APointsAreaAndLeakageAreTheSumOfItsComponents) {
  const SiliconTable t = *load_energy_table(kTable).silicon;
  HardwareConfig hw;  // 32 x 32, three 256 KiB buffers
  const SiliconSummary s = estimate_silicon(one_conv(WeightFormat::kInt, 8), hw, t);
  EXPECT_NEAR(s.pe_um2, 681.276, 1e-9);  // 282 + 137 + 58 x 4.522
  EXPECT_NEAR(s.area_pe_array_mm2, 1024 * 681.276e-6, 1e-12);
  EXPECT_NEAR(s.area_sram_input_mm2, 0.87225, 1e-12);
  EXPECT_NEAR(s.area_vector_unit_mm2, 32 * (282 + 36 + 16 * 4.522) * 1e-6, 1e-12);  // 32 lanes
  EXPECT_EQ(s.area_huffman_decoder_mm2, 0);                                         // no Huffman-coded layer
  // 16 B/cycle at 200 MHz = 3.2 GB/s of DRAM controller and PHY at 0.491272 mm2 per GB/s.
  EXPECT_NEAR(s.area_dram_interface_mm2, 3.2 * 0.491272, 1e-12);
  EXPECT_NEAR(s.area_mm2, 3.326867888 + 3.2 * 0.491272, 1e-8);
  // Logic 0.70549 mm2 at 12 nW/um2 = 8.466 mW, plus three 256 KiB SRAMs at 3.738 mW.
  EXPECT_NEAR(s.power_static_w, 0.019735414656, 1e-12);
  QuantModel coded = one_conv(WeightFormat::kInt, 8);
  coded.storage["conv"].huffman_bits = 100;
  hw.decoder_symbols_per_cycle = 2.5;  // three lanes
  // A lane: 16 comparators of 16 bits, a 32-bit window through a 5-stage shifter, 32 + 256 x 8 register bits.
  const double lane = 16 * t.add_um2(16) + 32 * 5 * 1.862 + (32 + 2048) * 4.522;
  EXPECT_NEAR(estimate_silicon(coded, hw, t).area_huffman_decoder_mm2, 3 * lane * 1e-6, 1e-12);
}

TEST(Silicon, StaticEnergyIsLeakageTimesTheLayersTime) {
  const EnergyTable t = load_energy_table(kTable);
  HardwareConfig hw;
  hw.clock_hz = 200e6;
  LayerStats s;
  s.cycles = 2000;  // 10 us
  apply_energy(s, t, hw, 0.0, 0.0, PeBits{}, 0.02);
  EXPECT_NEAR(s.energy_static_pj, 0.02 * 10e-6 * 1e12, 1e-6);  // 200,000 pJ
  EXPECT_NEAR(s.energy_total_pj, s.energy_static_pj, 1e-6);
  SiliconSummary si;
  si.power_static_w = 0.02;
  LayerStats total = s;
  total.energy_total_pj += 1e6;  // 1 uJ dynamic over 10 us: 0.1 W
  fill_power(si, total, 10e-6);
  EXPECT_NEAR(si.power_dynamic_w, 0.1, 1e-12);
  EXPECT_NEAR(si.power_w, 0.12, 1e-12);
}

// The acceptance figure of issue 33: the same layer's counters moved as each dataflow moves them. A 4 x 4
// array, 64-bit buffer words, 8-bit weights and activations, 32-bit accumulators, one load row (the chain's
// average trip (4 + 1) / 2 = 2.5 registers).
TEST(Silicon, WsOsAndIsMoveDifferentBitsThroughThePes) {
  HardwareConfig hw;
  hw.array_rows = hw.array_cols = 4;
  LayerStats s;
  s.macs = 1000;
  s.sram_weight_reads = 10;     // ws: the weights loaded; is: the streamed weights
  s.sram_input_reads = 20;      // is: the inputs loaded; ws: the streamed inputs
  s.sram_output_writes = 5;     // os: the outputs drained
  hw.dataflow = Dataflow::kWs;  // per MAC activation 8 + partial sum 32; 640 weight bits down the chain
  PeBits ws = pe_register_bits(s, hw, 8, 8);
  EXPECT_DOUBLE_EQ(ws.forwarded, 1000 * 40 + 640 * 2.5);
  EXPECT_DOUBLE_EQ(ws.local, 640);
  hw.dataflow = Dataflow::kOs;  // per MAC activation 8 + weight 8, accumulator 32 local; 320 bits drained
  PeBits os = pe_register_bits(s, hw, 8, 8);
  EXPECT_DOUBLE_EQ(os.forwarded, 1000 * 16 + 320 * 2.5);
  EXPECT_DOUBLE_EQ(os.local, 1000 * 32);
  hw.dataflow = Dataflow::kIs;  // per MAC weight 8 + partial sum 32; 1280 input bits down the chain
  PeBits is = pe_register_bits(s, hw, 8, 8);
  EXPECT_DOUBLE_EQ(is.forwarded, 1000 * 40 + 1280 * 2.5);
  EXPECT_DOUBLE_EQ(is.local, 1280);
  const EnergyTable t = load_energy_table(kTable);
  apply_energy(s, t, hw, 0.0, 0.0, os);
  EXPECT_NEAR(s.energy_pe_forward_pj, 16800 * 0.009, 1e-9);
  EXPECT_NEAR(s.energy_pe_register_pj, 32000 * 0.009, 1e-9);
  EXPECT_NEAR(s.energy_total_pj,
              s.energy_pe_forward_pj + s.energy_pe_register_pj + s.energy_sram_input_pj +
                  s.energy_sram_weight_pj + s.energy_sram_output_pj,
              1e-9);
}

// configs/tech/28nm.json is 45nm.json by the rules its source states: s = 28/45, area x s^2, dynamic energy x
// s, logic leakage density x 1/s^2, SRAM bank leakage and DRAM energy unchanged (six significant digits).
TEST(TechNodes, TheSecondNodeIsTheFirstScaledByItsRules) {
  const EnergyTable a = load_energy_table(kTable);
  const EnergyTable b = load_energy_table(std::string(DEEPCHIP_SOURCE_DIR) + "/configs/tech/28nm.json");
  const double s = 28.0 / 45.0;
  auto near = [](double scaled, double expected) { EXPECT_NEAR(scaled, expected, 1e-5 * expected); };
  near(b.mult_8x8_pj, a.mult_8x8_pj * s);
  near(b.add_32_pj, a.add_32_pj * s);
  ASSERT_EQ(b.sram.size(), a.sram.size());
  for (size_t i = 0; i < a.sram.size(); ++i)
    near(b.sram[i].pj_per_64bit_access, a.sram[i].pj_per_64bit_access * s);
  EXPECT_EQ(b.dram_pj_per_bit, a.dram_pj_per_bit);
  near(b.pe_register->pj_per_bit, a.pe_register->pj_per_bit * s);
  const SiliconTable& x = *a.silicon;
  const SiliconTable& y = *b.silicon;
  for (auto [scaled, original] : {std::pair{y.mult_8_um2, x.mult_8_um2},
                                  {y.mult_32_um2, x.mult_32_um2},
                                  {y.add_8_um2, x.add_8_um2},
                                  {y.add_32_um2, x.add_32_um2},
                                  {y.register_bit_um2, x.register_bit_um2},
                                  {y.mux_bit_um2, x.mux_bit_um2}})
    near(scaled, original * s * s);
  near(y.logic_leakage_nw_per_um2, x.logic_leakage_nw_per_um2 / (s * s));
  near(y.dram_interface_mm2_per_gbps, x.dram_interface_mm2_per_gbps * s * s);
  ASSERT_EQ(y.sram.size(), x.sram.size());
  for (size_t i = 0; i < x.sram.size(); ++i) {
    EXPECT_EQ(y.sram[i].size_kib, x.sram[i].size_kib);
    near(y.sram[i].area_mm2, x.sram[i].area_mm2 * s * s);
    EXPECT_EQ(y.sram[i].leakage_mw, x.sram[i].leakage_mw);
  }
  EXPECT_EQ(b.soc->ps_static_w, a.soc->ps_static_w);  // the ARM+FPGA figures are per device already
}

TEST(Silicon, TableErrorsNameTheFileAndKey) {
  nlohmann::json bad = {{"logic",
                         {{"source", "x"},
                          {"int_mult_8bit_um2", -1},
                          {"int_mult_32bit_um2", 1},
                          {"int_add_8bit_um2", 1},
                          {"int_add_32bit_um2", 1},
                          {"register_bit_um2", 1},
                          {"mux_bit_um2", 1},
                          {"leakage_nw_per_um2", 1},
                          {"gates", 3}}},
                        {"sram", {{"points", {{{"size_kib", 4}, {"area_mm2", 1}, {"leakage_mw", 1}}}}}}};
  std::vector<std::string> errors;
  parse_silicon(bad, "t.json", errors);
  EXPECT_EQ(errors, (std::vector<std::string>{
                        "t.json: silicon.logic.gates: unknown key",
                        "t.json: silicon.logic.int_mult_8bit_um2: required, a number in (0, 1e9]",
                        "t.json: silicon.sram.source: required (cite where the numbers come from)",
                        "t.json: silicon.sram.points: required list of at least two {size_kib, area_mm2, "
                        "leakage_mw}",
                        "t.json: silicon.dram_interface: required object {source, area_mm2_per_gbps}"}));
}

}  // namespace
}  // namespace deepchip::sim
