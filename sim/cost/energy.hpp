// Energy model v1: per-action energies from a JSON table (configs/tech/*.json) that cites its source.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/cost/silicon.hpp"
#include "sim/cost/stats.hpp"
#include "sim/ir/model.hpp"
#include "sim/map/hardware.hpp"

namespace deepchip::sim {

struct EnergyTable {
  std::string source;
  double mult_8x8_pj = 0.2;  // int multiplier energy scales with the product of operand widths
  double add_32_pj = 0.1;    // int adder energy scales linearly with width
  struct SramPoint {
    double size_kib;
    double pj_per_64bit_access;
  };
  std::vector<SramPoint> sram;  // sorted by size, interpolated log-log
  double dram_pj_per_bit = 20.3;
  // ARM+FPGA systems (optional "soc" object): ARM dynamic energy per operation by cluster and precision,
  // static power of the PS (by cluster) and of the PL (by device).
  struct Soc {
    std::string source;
    std::map<std::string, std::map<std::string, double>> arm_pj_per_mac;  // cluster -> precision -> pJ
    std::map<std::string, double> arm_pj_per_vector_op, ps_static_w, pl_static_w;
  };
  std::optional<Soc> soc;
  // Noisy (analog) MACs (optional "noisy_mac" object): a MAC whose result carries additive noise of
  // standard deviation s (relative to the layer's output range, as in the noise section) costs
  //   min(1, factor_at_reference * (reference_noise / s)^exponent)
  // of the digital MAC; s = 0 is the digital MAC. Exponent 2 is the thermal-noise limit (energy ~ SNR).
  struct NoisyMac {
    std::string source;
    double reference_noise = 0.01, factor_at_reference = 1, exponent = 2;
  };
  std::optional<NoisyMac> noisy_mac;
  // PE register energy (optional "pe_register" object): each bit written into a PE's register, local or a
  // neighbour's (PE-to-PE forwarding). Absent: PE-level movement is not charged.
  struct PeRegister {
    std::string source;
    double pj_per_bit = 0;
  };
  std::optional<PeRegister> pe_register;
  // Area and leakage of a standalone accelerator (optional "silicon" object, sim/cost/silicon.hpp).
  std::optional<SiliconTable> silicon;
  double noisy_mac_factor(double additive_noise) const;

  double mac_pj(int weight_bits, int activation_bits, int accumulator_bits) const;
  double add_pj(int bits) const { return add_32_pj * (bits / 32.0); }
  double sram_word_pj(int64_t size_bytes, int word_bits) const;
};

// The bits a layer writes into PE registers (configs/README.md "Area and power"), by the dataflow's movement:
//   per MAC, the two moving operands into the next PE: ws activation + partial sum, os activation + weight,
//   is weight + partial sum; os also writes its accumulator (local);
//   per stationary bit loaded (ws: weight buffer reads, is: input buffer reads, in buffer words), its trip
//   down the load chain: (stationary_load_cycles + 1) / 2 registers on average, and one local shadow-to-
//   active copy; os drains every output word it writes to the output buffer through (rows + 1) / 2 PEs.
struct PeBits {
  double forwarded = 0, local = 0;
};
PeBits pe_register_bits(const LayerStats& s, const HardwareConfig& hw, int weight_bits, int activation_bits);

// Throws ConfigError naming the file and key.
EnergyTable load_energy_table(const std::string& path);

// Fills the energy_* fields of a layer from its counters. `mac_pj` is the energy of one MAC of the layer
// (a multiplier and an adder; an adder alone for ternary/binary PEs); with zero gating (or skipping) the
// zero_macs cost nothing.
// `pe`: the layer's PE register bits (layer_pe_bits); `static_w`: the leakage over the layer's cycles
// (energy_static_pj; 0 where the caller charges static energy itself, as a system does).
void apply_energy(LayerStats& s, const EnergyTable& t, const HardwareConfig& hw, double mac_pj,
                  double vector_op_pj, PeBits pe, double static_w = 0);
// pe_register_bits of a conv/fc/matmul layer from its counters (none for other layers).
PeBits layer_pe_bits(const QuantModel& model, const Layer& layer, const HardwareConfig& hw,
                     const LayerStats& s);
// The energy of one vector-unit operation of a (non-GEMM) layer: a compare, add or copy of activation width;
// a multiply of activation width (mul, affine); one read of the layer's lookup table (lookup). Requantization
// multiplies and table building are not charged.
double layer_vector_op_pj(const QuantModel& model, const Layer& layer, const EnergyTable& energy);
// The SRAM bytes of a lookup layer's table: 2^activation_bits codes of activation_bits bits (else 0).
int64_t lookup_table_bytes(const QuantModel& model, const Layer& layer);

// Energy of one MAC of a conv/fc layer on the array (0 for other layers): a multiply-add of the layer's
// operand widths, or an add alone for ternary/binary layers (no multiplier).
double layer_mac_pj(const QuantModel& model, const Layer& layer, const HardwareConfig& hw,
                    const EnergyTable& energy);

}  // namespace deepchip::sim
