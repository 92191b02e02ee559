// Silicon model: the area and the leakage of a standalone accelerator's components from the technology
// table's "silicon" section (configs/tech/*.json, every number with its source). configs/README.md "Area and
// power" gives the formulas; in short:
//   PE        multiplier (operand widths) + accumulator adder + the registers its dataflow keeps, as in
//             hw/rtl/ws_pe.sv (ternary/binary networks: ws_pe_ternary.sv's two adders and no multiplier)
//   SRAM      each buffer by its capacity, interpolated log-log in the CACTI table
//   decoder   Huffman lanes (only when a layer is Huffman-coded): canonical-code comparators, a barrel
//             shifter, the symbol table in registers
//   vector    array_cols lanes of an activation-width multiplier, adder and two registers
//   DRAM      controller and PHY area per GB/s of peak DRAM bandwidth (no power: the I/O's switching is in
//             the DRAM energy per bit, its termination depends on the board)
// Leakage is the logic area times the table's leakage density plus each SRAM's CACTI leakage.
#pragma once
#include <string>
#include <vector>

#include "sim/cost/stats.hpp"
#include "sim/ir/model.hpp"
#include "sim/map/hardware.hpp"

namespace deepchip::sim {

struct SiliconTable {
  std::string logic_source, sram_source, dram_interface_source;
  // Logic areas (um^2); multipliers and adders are interpolated log-log in width between the two points.
  double mult_8_um2 = 0, mult_32_um2 = 0, add_8_um2 = 0, add_32_um2 = 0;
  double register_bit_um2 = 0, mux_bit_um2 = 0;
  double logic_leakage_nw_per_um2 = 0;
  struct SramPoint {
    double size_kib, area_mm2, leakage_mw;
  };
  std::vector<SramPoint> sram;  // sorted by size
  double dram_interface_mm2_per_gbps = 0;

  double mult_um2(int a_bits, int b_bits) const;  // an a x b integer multiplier
  double add_um2(int bits) const;
  double sram_area_mm2(int64_t size_bytes) const;
  double sram_leakage_w(int64_t size_bytes) const;
};

// Parses the "silicon" object of a technology table at `path`; appends "path: silicon.key: ..." errors.
SiliconTable parse_silicon(const nlohmann::json& j, const std::string& path,
                           std::vector<std::string>& errors);

// One PE's area in um^2 for a point running `model` (the widest int weights of its array layers; no
// multiplier when all of them are ternary or binary).
double pe_area_um2(const QuantModel& model, const HardwareConfig& hw, const SiliconTable& t);

// The point's area by component and its leakage (power_static_w); the power_dynamic_w and power_w fields
// are left 0 for fill_power once the run's energy and time are known.
SiliconSummary estimate_silicon(const QuantModel& model, const HardwareConfig& hw, const SiliconTable& t);

// Dynamic and total power from the run's totals: (energy_total_pj - energy_static_pj) / seconds.
void fill_power(SiliconSummary& s, const LayerStats& total, double seconds);

}  // namespace deepchip::sim
