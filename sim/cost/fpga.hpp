// FPGA resource model: what an R x C weight-stationary array with its SRAM buffers needs in DSP slices,
// LUTs, flip-flops and block RAM (BRAM36 / URAM), and whether it fits a device (models/README.md "ARM+FPGA
// systems").
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/map/hardware.hpp"

namespace deepchip::sim {

enum class DspKind { kDsp48E1, kDsp48E2 };

// A device's programmable-logic resources (Xilinx data sheets DS190 for Zynq-7000, DS891 for Zynq
// UltraScale+) and the processing system it carries.
struct FpgaDevice {
  std::string name;
  int64_t luts = 0, ffs = 0, bram36 = 0, uram = 0, dsps = 0;
  DspKind dsp = DspKind::kDsp48E1;
  std::string arm;        // the PS cores: "cortex_a9" or "cortex_a53"
  int pl_port_bits = 64;  // data width of the PL's high-performance DDR ports (S_AXI_HP)
};
// Presets: xc7z020, xczu3eg, xczu7ev, xczu9eg. Throws ConfigError for an unknown name.
const FpgaDevice& fpga_device(const std::string& name);
std::vector<std::string> fpga_device_names();

// What one PE of the array is built from (from configs/rtl_area.csv where it has the PE, see
// sim/cost/rtl_area.hpp).
struct PeResources {
  bool multiplier_free = false;  // ternary/binary PE: adders in LUTs, no DSP
  int weight_bits = 8;           // int PE: the widest weights it holds
  int activation_bits = 8;
  int64_t luts = 0, ffs = 0;  // per PE (synthesized; the DSP's multiplier is not in these)
};

struct FpgaResources {
  int64_t luts = 0, ffs = 0, bram36 = 0, uram = 0, dsps = 0;
};

// The DSP slices of an R x C array: a multiplier-free PE needs none; an int PE needs one DSP, except that
// on DSP48E2 two PEs of a row share one when weights and activations are at most 8 bits (the two products
// share the activation operand: Xilinx WP486 INT8 packing); operands wider than the DSP multiplier
// (25x18 on DSP48E1, 27x18 on DSP48E2, one operand signed 18 bits) take ceil over 18-bit pieces.
int64_t array_dsps(int rows, int cols, const PeResources& pe, DspKind dsp);

// Block RAM of one buffer: BRAM36 in 512 x 72 mode (64 data bits per row, 4 KiB per block): ceil(word / 64)
// blocks side by side, deep enough for the capacity. A device with URAM (4K x 72, 32 KiB of data) holds
// buffers of 32 KiB and more in URAM instead.
struct BufferBlocks {
  int64_t bram36 = 0, uram = 0;
};
BufferBlocks buffer_blocks(const BufferConfig& buffer, const FpgaDevice& device);

// The whole accelerator: the array (PE LUTs/FFs and DSPs), the three buffers, and a fixed shell for the
// DMA engines, AXI interconnect and controller (kShell*, an estimate documented in the README).
FpgaResources accelerator_resources(const HardwareConfig& hw, const PeResources& pe,
                                    const FpgaDevice& device);

// "" if it fits, else which resources are over and by how much: "DSP: needs 1024, xc7z020 has 220 (804
// over)"; several joined by "; ".
std::string fit_problem(const FpgaResources& need, const FpgaDevice& device);

constexpr int64_t kShellLuts = 6000, kShellFfs = 9000, kShellBram36 = 4;

}  // namespace deepchip::sim
