#include "explorer/scalesim/scalesim_mode.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <utility>

#include "deepchip/source_dir.hpp"
#include "explorer/report/html/report_page.hpp"
#include "models/system/evaluate.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/cost/energy.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/json_input.hpp"
#include "sim/io/network_io.hpp"
#include "sim/io/output_file.hpp"
#include "sim/ir/synthetic.hpp"
#include "sim/util/enum_names.hpp"

namespace deepchip::explorer {

namespace fs = std::filesystem;

std::string python_float(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  // The shortest digits that round-trip, then Python's layout of them (repr: fixed from 1e-4 to 1e16).
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  const std::string sci(buf, r.ptr);
  const bool negative = sci[0] == '-';
  const auto e = sci.find('e');
  std::string digits;
  for (size_t i = negative ? 1 : 0; i < e; ++i)
    if (sci[i] != '.') digits += sci[i];
  const int exponent = std::stoi(sci.substr(e + 1));
  std::string out = negative ? "-" : "";
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    } else if (static_cast<int>(digits.size()) <= exponent + 1) {
      out += digits + std::string(static_cast<size_t>(exponent + 1) - digits.size(), '0') + ".0";
    } else {
      out += digits.substr(0, static_cast<size_t>(exponent + 1)) + "." +
             digits.substr(static_cast<size_t>(exponent + 1));
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) out += "." + digits.substr(1);
  const int a = std::abs(exponent);
  out += std::string("e") + (exponent < 0 ? "-" : "+") + (a < 10 ? "0" : "") + std::to_string(a);
  return out;
}

namespace {

// First and last cycle (1-based, from the layer's start) of what `track` did in the layer; 0 if nothing.
void first_last(const sim::LayerSummary& layer, sim::Track track, int64_t& first, int64_t& last) {
  const sim::TrackSummary& t = layer.tracks[static_cast<int>(track)];
  first = t.first_cycle < 0 ? 0 : t.first_cycle - layer.start_cycle + 1;
  last = t.last_cycle < 0 ? 0 : t.last_cycle - layer.start_cycle + 1;
}

}  // namespace

namespace {

// Whether SCALE-Sim's IFMAP operand matrix holds an address for output pixel m and window index k (filter
// row, column, channel): windows reaching past the IFMAP (the last ones of a ceil-sized output) hold -1.
bool ifmap_address_valid(const sim::Layer& l, int64_t m, int64_t k) {
  const int64_t channels = l.in_shape.channels;
  const int64_t r = k / (l.kernel_w * channels), c = (k / channels) % l.kernel_w;
  const int64_t oy = m / l.out_shape.width, ox = m % l.out_shape.width;
  return oy * l.stride_h + r <= l.in_shape.height - 1 && ox * l.stride_w + c <= l.in_shape.width - 1;
}

// The parts every dataflow shares: cycles, stalls, overall utilization and the DRAM columns.
ScaleSimLayerReport common_report(const sim::LayerStats& stats, int64_t pes,
                                  const sim::LayerSummary& timeline) {
  ScaleSimLayerReport r;
  // SCALE-Sim's Total Cycles is the index of the last cycle: one less than the cycles of its demand
  // matrices (per fold ws 2R + C + M - 2, is 2R + C + N - 2, os K + R + C - 2), which the array takes here.
  r.total_cycles = stats.cycles - 1;
  r.stall_cycles = stats.stall_cycles;
  r.overall_util_pct = static_cast<double>(stats.macs * 100) / static_cast<double>(r.total_cycles * pes);
  // DRAM: this project's memory model (README).
  r.dram_ifmap_reads = stats.dram_input_read_bytes;
  r.dram_filter_reads = stats.dram_weight_read_bytes;
  r.dram_ofmap_writes = stats.dram_output_write_bytes + stats.dram_psum_write_bytes;
  first_last(timeline, sim::Track::kDmaInputs, r.dram_ifmap_start, r.dram_ifmap_stop);
  first_last(timeline, sim::Track::kDmaWeights, r.dram_filter_start, r.dram_filter_stop);
  first_last(timeline, sim::Track::kOutputStage, r.dram_ofmap_start, r.dram_ofmap_stop);
  return r;
}

// Per-fold averages, summed in fold order as SCALE-Sim sums its lists (Python's sum, 3.11).
struct FoldAverages {
  double mapping = 0, compute = 0;
  void add(int64_t used_pes, int64_t streamed, int64_t pes, int64_t fold_cycles) {
    mapping += static_cast<double>(used_pes) / static_cast<double>(pes);
    compute += static_cast<double>(used_pes * streamed) / static_cast<double>(pes * fold_cycles);
  }
  void store(ScaleSimLayerReport& r, size_t folds) const {
    r.mapping_efficiency_pct = mapping / static_cast<double>(folds) * 100;
    r.compute_util_pct = compute / static_cast<double>(folds) * 100;
  }
};

// What ws and is count alike over the folds: SRAM reads and writes, the averaged utilizations, and each
// fold's start (2R + C + T - 2 cycles apart); `shape(fold)` gives its stationary PEs and its T streamed
// vectors. Returns the last fold's start.
template <typename FoldShape>
int64_t count_stationary_folds(ScaleSimLayerReport& r, const sim::LayerSchedule& s, int64_t R, int64_t C,
                               FoldShape shape) {
  FoldAverages avg;
  int64_t offset = 0, last_fold_start = 0;
  for (const auto& f : s.folds) {
    const auto [stationary, t] = shape(f);
    avg.add(stationary, t, R * C, 2 * R + 2 * C + t - 3);
    r.sram_ifmap_reads += f.m * f.kt;
    r.sram_filter_reads += f.kt * f.nt;
    r.sram_ofmap_writes += f.m * f.nt;
    last_fold_start = offset;
    offset += 2 * R + C + t - 2;
  }
  avg.store(r, s.folds.size());
  return last_fold_start;
}

// Weight stationary (T = M vectors): SCALE-Sim's demand matrices per fold are R rows of weight loads (the
// fold's rows flipped, unused rows first), the skewed input vectors after them, the outputs from row 2R - 1
// on, skewed over the columns; reads are served one cycle after their row, writes in it.
void ws_columns(ScaleSimLayerReport& r, const sim::Layer& layer, const sim::LayerSchedule& s, int64_t R,
                int64_t C) {
  const int64_t last_fold_start = count_stationary_folds(r, s, R, C, [](const sim::Fold& f) {
    return std::pair{f.kt * f.nt, f.m};
  });
  const sim::Fold& first = s.folds.front();
  const sim::Fold& last = s.folds.back();
  // The last IFMAP request: pixel m enters row k - k0 at m + (k - k0), where its address is valid.
  int64_t last_request = -1;
  for (int64_t k = last.k0; k < last.k0 + last.kt; ++k)
    for (int64_t m = last.m - 1; m >= 0; --m)
      if (ifmap_address_valid(layer, m, k)) {
        last_request = std::max(last_request, m + (k - last.k0));
        break;
      }
  r.sram_filter_start = R - first.kt + 1;
  r.sram_filter_stop = last_fold_start + R;
  r.sram_ifmap_start = R + 1;
  r.sram_ifmap_stop = last_fold_start + R + last_request + 1;
  r.sram_ofmap_start = 2 * R - 1;
  r.sram_ofmap_stop = r.total_cycles - (C - last.nt);
}

// Input stationary (T = N filters): per fold R rows of input loads (the fold's K rows flipped, unused rows
// first, not skewed), then the filters from row R skewed over the rows, the outputs from row 2R - 1 skewed
// over the columns (the fold's M range).
void is_columns(ScaleSimLayerReport& r, const sim::Layer& layer, const sim::LayerSchedule& s, int64_t R,
                int64_t C) {
  const int64_t last_fold_start = count_stationary_folds(r, s, R, C, [](const sim::Fold& f) {
    return std::pair{f.kt * f.m, f.nt};
  });
  const sim::Fold& first = s.folds.front();
  const sim::Fold& last = s.folds.back();
  // The last IFMAP load row holds the fold's first K row that has a valid address in its M range.
  int64_t first_valid_row = last.kt;
  for (int64_t k = 0; k < last.kt && first_valid_row == last.kt; ++k)
    for (int64_t c = 0; c < last.m; ++c)
      if (ifmap_address_valid(layer, last.m0 + c, last.k0 + k)) {
        first_valid_row = k;
        break;
      }
  r.sram_ifmap_start = R - first.kt + 1;
  r.sram_ifmap_stop = last_fold_start + R - 1 - first_valid_row + 1;
  r.sram_filter_start = R + 1;
  r.sram_filter_stop = last_fold_start + R + last.nt + last.kt - 1;
  r.sram_ofmap_start = 2 * R - 1;
  r.sram_ofmap_stop = r.total_cycles - (C - last.m);
}

// Output stationary (T = K steps): per fold the input columns skewed over the rows and the weight rows
// skewed over the columns from row 0, the outputs from row T - 1 (the fold's rows flipped, unused rows
// first) skewed over the columns. SCALE-Sim's OFMAP write count adds R + C per fold to the outputs.
void os_columns(ScaleSimLayerReport& r, const sim::Layer& layer, const sim::LayerSchedule& s, int64_t R,
                int64_t C) {
  FoldAverages avg;
  int64_t offset = 0, last_fold_start = 0;
  for (const auto& f : s.folds) {
    avg.add(f.m * f.nt, f.kt, R * C, f.kt + R + C - 2);
    r.sram_ifmap_reads += f.kt * f.m;
    r.sram_filter_reads += f.kt * f.nt;
    r.sram_ofmap_writes += f.m * f.nt + R + C;
    last_fold_start = offset;
    offset += f.kt + R + C - 2;
  }
  avg.store(r, s.folds.size());
  const sim::Fold& first = s.folds.front();
  const sim::Fold& last = s.folds.back();
  // The last IFMAP request: step k enters row r (pixel m0 + r) at k + r, where its address is valid.
  int64_t last_request = -1;
  for (int64_t row = 0; row < last.m; ++row)
    for (int64_t k = last.kt - 1; k >= 0; --k)
      if (ifmap_address_valid(layer, last.m0 + row, k)) {
        last_request = std::max(last_request, k + row);
        break;
      }
  r.sram_ifmap_start = 1;
  r.sram_ifmap_stop = last_fold_start + last_request + 1;
  r.sram_filter_start = 1;
  r.sram_filter_stop = last_fold_start + last.kt + last.nt - 1;
  r.sram_ofmap_start = first.kt - 1 + R - first.m;
  r.sram_ofmap_stop = r.total_cycles - (C - last.nt);
}

}  // namespace

ScaleSimLayerReport scalesim_layer_report(const sim::Layer& layer, const sim::LayerSchedule& schedule,
                                          const sim::LayerStats& stats, int rows, int cols,
                                          const sim::LayerSummary& timeline) {
  ScaleSimLayerReport r = common_report(stats, int64_t{rows} * cols, timeline);
  switch (schedule.dataflow) {
    case sim::Dataflow::kWs:
      ws_columns(r, layer, schedule, rows, cols);
      break;
    case sim::Dataflow::kIs:
      is_columns(r, layer, schedule, rows, cols);
      break;
    case sim::Dataflow::kOs:
      os_columns(r, layer, schedule, rows, cols);
      break;
  }
  return r;
}

namespace {

sim::HardwareConfig scalesim_hardware(const ScaleSimConfig& c) {
  sim::HardwareConfig hw;
  hw.array_rows = c.array_rows;
  hw.array_cols = c.array_cols;
  hw.impl = sim::ArrayImpl::kTile;  // executes the numerics (golden-checked), SCALE-Sim's cycles
  hw.dataflow = c.dataflow;
  // SCALE-Sim's fold order: ws group, N-fold, K-fold with all M streamed (nkm); os and is have theirs only.
  hw.loop_order = c.dataflow == sim::Dataflow::kWs ? sim::LoopOrder::kNkm : sim::LoopOrder::kAuto;
  hw.weight_buffering = sim::WeightBuffering::kSingle;  // SCALE-Sim's per-fold count
  // Wide enough that 8-bit operands never overflow; the OFMAP SRAM holds one sum per word, as SCALE-Sim
  // counts one OFMAP element per write.
  hw.accumulator_bits = 48;
  hw.input_buffer = {c.ifmap_sram_kib * 1024, 8, true};
  hw.weight_buffer = {c.filter_sram_kib * 1024, 8, true};
  hw.output_buffer = {c.ofmap_sram_kib * 1024, hw.accumulator_bits, true};
  if (c.user_bandwidth) {
    hw.memory = sim::MemoryModel::kDram;
    hw.dram_bandwidth_bytes_per_cycle = c.bandwidths.front();
    hw.dram_latency_cycles = 0;
  } else {
    hw.memory = sim::MemoryModel::kIdeal;
  }
  return hw;
}

std::string join_row(const std::vector<std::string>& cells) {
  std::string line;
  for (const auto& c : cells) line += c + ", ";
  line.pop_back();  // SCALE-Sim's rows end with ",": "a, b, c,"
  line.back() = ',';
  return line + "\n";
}

std::string cycle_cell(int64_t v) { return python_float(static_cast<double>(v)); }

void write_reports(const fs::path& dir, const std::vector<ScaleSimLayerReport>& rows, sim::OutputSet& files) {
  std::string compute =
      "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,\n";
  std::string bandwidth =
      "LayerID, Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg OFMAP SRAM BW, Avg IFMAP DRAM BW, Avg FILTER DRAM "
      "BW, "
      "Avg OFMAP DRAM BW,\n";
  std::string detail =
      "LayerID, SRAM IFMAP Start Cycle, SRAM IFMAP Stop Cycle, SRAM IFMAP Reads, SRAM Filter Start Cycle, "
      "SRAM "
      "Filter Stop Cycle, SRAM Filter Reads, SRAM OFMAP Start Cycle, SRAM OFMAP Stop Cycle, SRAM OFMAP "
      "Writes, "
      "DRAM IFMAP Start Cycle, DRAM IFMAP Stop Cycle, DRAM IFMAP Reads, DRAM Filter Start Cycle, DRAM Filter "
      "Stop Cycle, DRAM Filter Reads, DRAM OFMAP Start Cycle, DRAM OFMAP Stop Cycle, DRAM OFMAP Writes,\n";
  auto per = [](int64_t words, int64_t cycles) {
    return python_float(cycles > 0 ? static_cast<double>(words) / static_cast<double>(cycles) : 0.0);
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    const ScaleSimLayerReport& r = rows[i];
    const std::string id = std::to_string(i);
    compute += join_row({id, std::to_string(r.total_cycles), std::to_string(r.stall_cycles),
                         python_float(r.overall_util_pct), python_float(r.mapping_efficiency_pct),
                         python_float(r.compute_util_pct)});
    bandwidth += join_row({id, per(r.sram_ifmap_reads, r.total_cycles),
                           per(r.sram_filter_reads, r.total_cycles), per(r.sram_ofmap_writes, r.total_cycles),
                           per(r.dram_ifmap_reads, r.dram_ifmap_stop - r.dram_ifmap_start + 1),
                           per(r.dram_filter_reads, r.dram_filter_stop - r.dram_filter_start + 1),
                           per(r.dram_ofmap_writes, r.dram_ofmap_stop - r.dram_ofmap_start + 1)});
    detail += join_row(
        {id, cycle_cell(r.sram_ifmap_start), cycle_cell(r.sram_ifmap_stop),
         std::to_string(r.sram_ifmap_reads), cycle_cell(r.sram_filter_start), cycle_cell(r.sram_filter_stop),
         std::to_string(r.sram_filter_reads), cycle_cell(r.sram_ofmap_start), cycle_cell(r.sram_ofmap_stop),
         std::to_string(r.sram_ofmap_writes), cycle_cell(r.dram_ifmap_start), cycle_cell(r.dram_ifmap_stop),
         std::to_string(r.dram_ifmap_reads), cycle_cell(r.dram_filter_start), cycle_cell(r.dram_filter_stop),
         std::to_string(r.dram_filter_reads), cycle_cell(r.dram_ofmap_start), cycle_cell(r.dram_ofmap_stop),
         std::to_string(r.dram_ofmap_writes)});
  }
  files.add(dir / "COMPUTE_REPORT.csv", compute);
  files.add(dir / "BANDWIDTH_REPORT.csv", bandwidth);
  files.add(dir / "DETAILED_ACCESS_REPORT.csv", detail);
}

// This project's stats per layer, beside SCALE-Sim's reports.
void write_results(const fs::path& dir, const sim::PointResult& r, sim::OutputSet& files) {
  std::string csv = "LayerID,layer,golden_match";
  for (const auto& d : sim::layer_stat_docs()) csv += "," + d.name;
  csv += "\n";
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const auto j = sim::to_json(r.layers[i]);
    csv += std::to_string(i) + "," + r.layers[i].name + "," + (r.layers[i].golden_match ? "1" : "0");
    for (const auto& d : sim::layer_stat_docs()) csv += "," + sim::dump_json(j.at(d.name));
    csv += "\n";
  }
  files.add(dir / "results.csv", csv);
}

}  // namespace

int run_scalesim(const ScaleSimArgs& args, std::string& summary) {
  const ScaleSimConfig cfg = load_scalesim_config(args.config);
  const std::string topology = !args.topology.empty() ? args.topology : cfg.topology.value_or("");
  if (topology.empty())
    throw sim::ConfigError(
        "-t: give the topology file (or TopologyCsvLoc in the config's [network_presets])");
  const sim::Network net = args.gemm ? sim::load_scalesim_gemm_csv(topology)
                                     : sim::load_scalesim_csv(topology, sim::ScaleSimDepthwise::kSplit);
  const fs::path dir = fs::path(args.out_dir) / cfg.run_name;
  sim::check_output_dir(dir, "-p");

  sim::Timeline timeline;  // its per-layer summary gives the DRAM columns; report.html draws its slices
  timeline.set_max_slices(200000);
  const sim::HardwareConfig hw = scalesim_hardware(cfg);
  const sim::QuantModel model = sim::quantize(sim::make_synthetic_model(net, 1), sim::QuantConfig{});
  const sim::EnergyTable energy =
      sim::load_energy_table(std::string(DEEPCHIP_SOURCE_DIR) + "/configs/tech/45nm.json");
  const sim::PointResult result =
      models::evaluate({hw, std::nullopt, std::nullopt}, {model, energy, nullptr, std::nullopt},
                       sim::Observers::timeline_only(&timeline));
  sim::make_output_dir(dir, "-p");
  sim::OutputSet files;  // the report set stands or falls together
  auto result_json = sim::to_json(result);
  result_json["scalesim_config"] = fs::absolute(args.config).string();
  result_json["topology"] = fs::absolute(topology).string();
  files.add(dir / "result.json", sim::dump_json(result_json, 2) + "\n");
  nlohmann::json effective = {{"network", fs::absolute(topology).string()},
                              {"hardware",
                               {{"array_rows", hw.array_rows},
                                {"array_cols", hw.array_cols},
                                {"dataflow", sim::name_of(hw.dataflow)},
                                {"loop_order", sim::name_of(hw.loop_order)},
                                {"weight_buffering", "single"},
                                {"dram_bandwidth_bytes_per_cycle", hw.dram_bandwidth_bytes_per_cycle}}}};
  files.add(dir / "report.html", report_page_html(point_report_data(effective, result_json, &timeline,
                                                                    hw.clock_hz, cfg.run_name)));
  if (!result.ok) {
    files.commit();
    summary = "the point cannot run: " + result.reason;
    return 1;
  }
  const auto schedules = sim::map_network(model, hw);
  std::vector<ScaleSimLayerReport> rows;
  for (size_t i = 0; i < result.layers.size(); ++i) {
    const sim::LayerStats& st = result.layers[i];
    rows.push_back(scalesim_layer_report(net.layer(st.name), schedules.at(st.name), st, hw.array_rows,
                                         hw.array_cols, timeline.layers().at(i)));
  }
  write_reports(dir, rows, files);
  write_results(dir, result, files);
  files.commit();
  std::ostringstream os;
  os << net.layers.size() << " layers on " << cfg.array_rows << "x" << cfg.array_cols << " ("
     << sim::name_of(hw.dataflow) << "), "
     << (result.golden_match ? "outputs bit-exact with golden" : "outputs DIFFER from golden")
     << "; reports in " << dir.string();
  summary = os.str();
  return result.golden_match ? 0 : 1;
}

}  // namespace deepchip::explorer
