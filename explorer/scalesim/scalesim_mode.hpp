// `dse scalesim`: SCALE-Sim v2's command line and files, run on this project's simulator. The topology's
// layers run as one network of independent layers (SCALE-Sim simulates each layer alone) on an array of
// the config's dataflow with SCALE-Sim's per-fold timing: each fold starts in an idle array (single
// buffering), ws 2R + C + M - 2, is 2R + C + N - 2, os K + R + C - 2 cycles per fold. CALC bandwidth
// (SCALE-Sim's default) is ideal memory: no stall. Word size 1 byte: 8-bit weights and activations. The
// reports have SCALE-Sim's column names and semantics (explorer/README.md "SCALE-Sim mode", column by
// column); results.csv beside them has this project's stats per layer (energy, DRAM traffic, the golden check
// of the executed numerics).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "explorer/scalesim/scalesim_config.hpp"
#include "sim/cost/stats.hpp"
#include "sim/cost/timeline.hpp"
#include "sim/ir/network.hpp"
#include "sim/map/mapper.hpp"

namespace deepchip::explorer {

struct ScaleSimArgs {
  std::string config;    // -c
  std::string topology;  // -t (else the config's TopologyCsvLoc)
  bool gemm = false;     // -i gemm: an M, N, K topology
  std::string out_dir;   // -p (SCALE-Sim's default: ../test_runs)
};

// One layer's row of SCALE-Sim's three reports.
struct ScaleSimLayerReport {
  int64_t total_cycles = 0, stall_cycles = 0;
  double overall_util_pct = 0, mapping_efficiency_pct = 0, compute_util_pct = 0;
  int64_t sram_ifmap_reads = 0, sram_filter_reads = 0, sram_ofmap_writes = 0;
  int64_t sram_ifmap_start = 0, sram_ifmap_stop = 0, sram_filter_start = 0, sram_filter_stop = 0;
  int64_t sram_ofmap_start = 0, sram_ofmap_stop = 0;
  int64_t dram_ifmap_reads = 0, dram_filter_reads = 0, dram_ofmap_writes = 0;
  int64_t dram_ifmap_start = 0, dram_ifmap_stop = 0, dram_filter_start = 0, dram_filter_stop = 0;
  int64_t dram_ofmap_start = 0, dram_ofmap_stop = 0;
};

// The SCALE-Sim columns of a layer (of the schedule's dataflow) from its schedule, its simulated stats and
// what the timeline saw of it.
ScaleSimLayerReport scalesim_layer_report(const sim::Layer& layer, const sim::LayerSchedule& schedule,
                                          const sim::LayerStats& stats, int rows, int cols,
                                          const sim::LayerSummary& timeline);

// Python's str() of a float (shortest round trip, exponent form below 1e-4 and from 1e16), as SCALE-Sim's
// reports print numbers.
std::string python_float(double v);

// Runs `dse scalesim`; returns the exit code (0, or 1 when the point cannot run or differs from golden).
// Throws sim::ConfigError / sim::InputError on bad input, before anything is written.
int run_scalesim(const ScaleSimArgs& args, std::string& summary);

}  // namespace deepchip::explorer
