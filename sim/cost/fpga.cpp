#include "sim/cost/fpga.hpp"

#include <algorithm>
#include <map>

#include "sim/io/errors.hpp"

namespace deepchip::sim {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

const std::map<std::string, FpgaDevice>& devices() {
  // name, LUTs, FFs, BRAM36, URAM, DSPs, DSP kind, PS cores, HP port bits
  static const std::map<std::string, FpgaDevice> d = {
      {"xc7z020", {"xc7z020", 53200, 106400, 140, 0, 220, DspKind::kDsp48E1, "cortex_a9", 64}},
      {"xczu3eg", {"xczu3eg", 70560, 141120, 216, 0, 360, DspKind::kDsp48E2, "cortex_a53", 128}},
      {"xczu7ev", {"xczu7ev", 230400, 460800, 312, 96, 1728, DspKind::kDsp48E2, "cortex_a53", 128}},
      {"xczu9eg", {"xczu9eg", 274080, 548160, 912, 0, 2520, DspKind::kDsp48E2, "cortex_a53", 128}},
  };
  return d;
}

}  // namespace

const FpgaDevice& fpga_device(const std::string& name) {
  const auto it = devices().find(name);
  if (it == devices().end()) throw ConfigError("unknown FPGA device '" + name + "'");
  return it->second;
}

std::vector<std::string> fpga_device_names() {
  std::vector<std::string> names;
  for (const auto& [name, d] : devices()) names.push_back(name);
  return names;
}

int64_t array_dsps(int rows, int cols, const PeResources& pe, DspKind dsp) {
  if (pe.multiplier_free) return 0;
  const int64_t pes = int64_t{rows} * cols;
  if (dsp == DspKind::kDsp48E2 && pe.weight_bits <= 8 && pe.activation_bits <= 8)
    return int64_t{rows} * ceil_div(cols, 2);  // two PEs of a row per DSP
  // One operand up to 18 bits signed, the other up to 25 (E1) or 27 (E2): wider operands split into
  // 18-bit pieces, one DSP per piece product.
  const int wide_limit = dsp == DspKind::kDsp48E2 ? 27 : 25;
  const int act_bits = pe.activation_bits + 1;  // unsigned activations need a sign bit in the DSP
  const int narrow = std::min(pe.weight_bits, act_bits), wide = std::max(pe.weight_bits, act_bits);
  const int64_t per_pe = wide <= wide_limit && narrow <= 18 ? 1 : ceil_div(narrow, 18) * ceil_div(wide, 18);
  return pes * per_pe;
}

BufferBlocks buffer_blocks(const BufferConfig& buffer, const FpgaDevice& device) {
  const int64_t side_by_side = ceil_div(buffer.word_bits, 64);
  if (device.uram > 0 && buffer.size_bytes >= 32 * 1024)
    return {0, side_by_side * ceil_div(buffer.size_bytes, side_by_side * 32 * 1024)};
  return {side_by_side * ceil_div(buffer.size_bytes, side_by_side * 4096), 0};
}

FpgaResources accelerator_resources(const HardwareConfig& hw, const PeResources& pe,
                                    const FpgaDevice& device) {
  FpgaResources r;
  const int64_t pes = int64_t{hw.array_rows} * hw.array_cols;
  r.luts = pes * pe.luts + kShellLuts;
  r.ffs = pes * pe.ffs + kShellFfs;
  r.dsps = array_dsps(hw.array_rows, hw.array_cols, pe, device.dsp);
  r.bram36 = kShellBram36;
  for (const BufferConfig* b : {&hw.input_buffer, &hw.weight_buffer, &hw.output_buffer}) {
    const BufferBlocks blocks = buffer_blocks(*b, device);
    r.bram36 += blocks.bram36;
    r.uram += blocks.uram;
  }
  return r;
}

std::string fit_problem(const FpgaResources& need, const FpgaDevice& device) {
  std::string problems;
  auto check = [&](const char* what, int64_t needed, int64_t available) {
    if (needed <= available) return;
    problems += (problems.empty() ? "" : "; ") + std::string(what) + ": needs " + std::to_string(needed) +
                ", " + device.name + " has " + std::to_string(available) + " (" +
                std::to_string(needed - available) + " over)";
  };
  check("DSP", need.dsps, device.dsps);
  check("LUT", need.luts, device.luts);
  check("FF", need.ffs, device.ffs);
  check("BRAM36", need.bram36, device.bram36);
  check("URAM", need.uram, device.uram);
  return problems;
}

}  // namespace deepchip::sim
