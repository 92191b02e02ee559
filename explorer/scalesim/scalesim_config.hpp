// SCALE-Sim v2's config file (.cfg), read as SCALE-Sim reads it (Python's configparser): sections in
// brackets, `key = value` or `key: value`, keys case-insensitive, values stripped, full-line comments with #
// or ;, indented lines continue the value above, duplicate sections and keys are errors. Every key of
// SCALE-Sim v2 is accepted; anything else (a v3 [layout] or [sparsity] section, an unknown key) is an error
// naming file:line. Throws sim::ConfigError with every problem found, one per line.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/map/hardware.hpp"

namespace deepchip::explorer {

struct ScaleSimConfig {
  std::string run_name;                // [general] run_name: the reports go to OUTDIR/<run_name>/
  bool user_bandwidth = false;         // [run_presets] InterfaceBandwidth: USER (else CALC)
  int array_rows = 0, array_cols = 0;  // ArrayHeight, ArrayWidth
  int64_t ifmap_sram_kib = 0, filter_sram_kib = 0, ofmap_sram_kib = 0;  // *SramSzkB
  int64_t ifmap_offset = 0, filter_offset = 0, ofmap_offset = 0;        // trace addresses (no effect here)
  sim::Dataflow dataflow = sim::Dataflow::kWs;                          // Dataflow: ws, os or is
  std::vector<double> bandwidths;       // Bandwidth: DRAM words (bytes) per cycle, USER mode
  int memory_banks = 1;                 // MemoryBanks (SCALE-Sim v2 reads it nowhere; 1 only)
  std::optional<std::string> topology;  // [network_presets] TopologyCsvLoc
};

ScaleSimConfig parse_scalesim_config(const std::string& text, const std::string& origin);
ScaleSimConfig load_scalesim_config(const std::string& path);

}  // namespace deepchip::explorer
