// A sweep's report data: the points (their axis values and the metrics the page plots), the fronts, the
// per-layer stats of the points a designer selects, the placements and resources of ARM+FPGA points, the
// accuracy budgets and the search history.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "explorer/report/exports.hpp"
#include "explorer/report/html/report_page.hpp"

namespace deepchip::explorer {

using nlohmann::json;

namespace {

// The per-layer fields the page's breakdowns use (cycles, stalls, DRAM bytes per operand, energy).
const std::vector<std::string>& layer_fields() {
  static const std::vector<std::string> f = {"cycles",
                                             "ideal_array_cycles",
                                             "stall_cycles",
                                             "decoder_stall_cycles",
                                             "transfer_cycles",
                                             "on_arm",
                                             "arm_cycles",
                                             "macs",
                                             "utilization",
                                             "dram_input_read_bytes",
                                             "dram_weight_read_bytes",
                                             "dram_psum_read_bytes",
                                             "dram_psum_write_bytes",
                                             "dram_output_write_bytes",
                                             "dram_operand_read_bytes",
                                             "dram_kv_read_bytes",
                                             "dram_kv_write_bytes",
                                             "energy_total_pj",
                                             "energy_mac_pj",
                                             "energy_pe_forward_pj",
                                             "energy_pe_register_pj",
                                             "energy_sram_input_pj",
                                             "energy_sram_weight_pj",
                                             "energy_sram_output_pj",
                                             "energy_dram_pj",
                                             "energy_arm_pj",
                                             "energy_static_pj",
                                             "energy_vector_pj",
                                             "weight_bits_stored",
                                             "folds"};
  return f;
}

// A point's per-layer rows stay in the page when the sweep is small; a large sweep keeps them for the
// points a designer looks at first (fronts, verified, best within an accuracy budget).
constexpr size_t kAllLayersUpTo = 20000;

// Where each stat (in visit_fields order) goes in a layer row: 2 + its place in layer_fields(), or -1.
const std::vector<int>& layer_row_slots() {
  static const std::vector<int> slots = [] {
    std::vector<int> s;
    sim::LayerStats{}.visit_fields([&](const char* name, auto, const char*, const char*) {
      const auto& f = layer_fields();
      const auto at = std::find(f.begin(), f.end(), name);
      s.push_back(at == f.end() ? -1 : 2 + static_cast<int>(at - f.begin()));
    });
    if (static_cast<size_t>(std::count_if(s.begin(), s.end(), [](int slot) { return slot >= 0; })) !=
        layer_fields().size())
      throw std::logic_error("layer_fields() names a field LayerStats does not have");
    return s;
  }();
  return slots;
}

json layer_rows(const sim::PointResult& r) {
  json rows = json::array();
  const std::vector<int>& slots = layer_row_slots();
  for (const auto& l : r.layers) {
    json row(2 + layer_fields().size(), nullptr);
    row[0] = l.name;
    row[1] = l.kind;
    size_t field = 0;
    l.visit_fields([&](const char*, auto value, const char*, const char*) {
      if (const int slot = slots[field++]; slot >= 0) row[static_cast<size_t>(slot)] = value;
    });
    rows.push_back(std::move(row));
  }
  return rows;
}

// The metrics of a point the page can put on an axis, a heat map or a table column.
json point_metrics(const PointOutcome& o, double speedup) {
  const sim::LayerStats& t = o.result.total;
  json m = {{"cycles", t.cycles},
            {"seconds", o.result.seconds},
            {"energy_total_pj", t.energy_total_pj},
            {"utilization", t.utilization},
            {"stall_cycles", t.stall_cycles},
            {"weight_bits_stored", t.weight_bits_stored},
            {"compression_vs_fp32", t.compression_vs_fp32},
            {"dram_bytes", t.dram_input_read_bytes + t.dram_weight_read_bytes + t.dram_psum_read_bytes +
                               t.dram_psum_write_bytes + t.dram_output_write_bytes},
            {"macs", t.macs}};
  if (speedup > 0) m["speedup_vs_int8_dense"] = speedup;
  if (o.accuracy) {
    m["top1"] = o.accuracy->top1;
    m["accuracy_drop"] = o.accuracy->drop();
  }
  if (o.area && o.result.soc) m["array_luts"] = o.area->luts;  // FPGA resources: an ARM+FPGA system's
  // Silicon (standalone accelerators) and the derived metrics, where the point has them.
  for (const char* name : {"area_mm2", "power_w", "power_static_w", "latency_ms", "throughput_per_s",
                           "edp_pj_s", "throughput_per_s_per_mm2", "fpga_utilization"})
    if (auto v = point_metric(o.result, o.accuracy, name)) m[name] = *v;
  return m;
}

// A point's area by component and its power (the selected point's breakdown).
json silicon_entry(const sim::SiliconSummary& s) {
  json j;
  s.visit_fields([&](const char* name, double v, const char*, const char*) { j[name] = v; });
  return j;
}

json soc_entry(const sim::SocSummary& s) {
  json used, available;
  s.used.visit([&](const char* n, int64_t v) { used[n] = v; });
  s.available.visit([&](const char* n, int64_t v) { available[n] = v; });
  return {{"device", s.device},         {"arm", s.arm}, {"strategy", s.strategy},
          {"arm_layers", s.arm_layers}, {"used", used}, {"available", available}};
}

// Each objective's metric (results.csv column): the Pareto plot's default axes.
json objective_columns(const std::vector<std::string>& objectives) {
  json columns = json::object();
  for (const auto& name : objectives) columns[name] = objective_decl(name).column;
  return columns;
}

json summary_of(const SweepReportInput& in) {
  const auto& o = in.outcomes;
  json networks = json::array();
  for (const auto& p : o)
    if (std::find(networks.begin(), networks.end(), network_label(p.point.network)) == networks.end())
      networks.push_back(network_label(p.point.network));
  json axes = json::array();
  for (const auto& a : in.spec.space.axes())
    axes.push_back({{"name", a.label()}, {"section", a.section}, {"values", a.values}});
  auto count = [&](auto pred) { return std::count_if(o.begin(), o.end(), pred); };
  return {{"title", in.title},
          {"revision", in.revision},
          {"networks", networks},
          {"axes", axes},
          {"objectives", in.spec.objectives},
          {"objective_columns", objective_columns(in.spec.objectives)},
          {"verify", sim::name_of(in.spec.verify)},
          {"points", o.size()},
          {"ok", count([](const PointOutcome& p) { return p.result.ok; })},
          {"failed", count([](const PointOutcome& p) { return !p.result.ok; })},
          {"constraint_violating",
           count([](const PointOutcome& p) { return p.result.ok && !p.constraints_ok(); })},
          {"verified", count([](const PointOutcome& p) { return p.result.verified; })},
          {"golden_mismatch",
           count([](const PointOutcome& p) { return p.result.verified && !p.result.golden_match; })},
          {"worker_seconds", in.worker_seconds}};
}

}  // namespace

json sweep_report_data(const SweepReportInput& in) {
  const auto& o = in.outcomes;
  const auto front = pareto_front(o, in.spec.objectives);
  const auto speedup = speedup_vs_int8_dense(o);
  const auto targets = verification_targets(o, in.spec);
  const std::set<size_t> keep_layers(targets.begin(), targets.end());
  size_t layer_count = 0;
  for (const auto& p : o) layer_count += p.result.layers.size();
  const bool all_layers = layer_count <= kAllLayersUpTo;

  json points = json::array();
  json layers = json::object();
  json socs = json::object();
  json silicon = json::object();
  for (size_t i = 0; i < o.size(); ++i) {
    const PointOutcome& p = o[i];
    json axis_values = json::array();
    for (const auto& a : in.spec.space.axes()) axis_values.push_back(a.value_in(p.point.effective));
    json entry = {{"id", p.point.id},
                  {"network", network_label(p.point.network)},
                  {"axes", axis_values},
                  {"rows", p.point.hw.array_rows},
                  {"cols", p.point.hw.array_cols},
                  {"ok", p.result.ok},
                  {"reason", p.result.reason},
                  {"verified", p.result.verified},
                  {"golden_match", p.result.golden_match},
                  {"pareto", static_cast<bool>(front[i])},
                  {"constraints_ok", p.constraints_ok()},
                  {"metrics", point_metrics(p, speedup[i])},
                  {"config", p.point.effective}};
    if (p.accuracy) entry["reference_top1"] = p.accuracy->reference_top1;
    points.push_back(std::move(entry));
    if (p.result.ok && (all_layers || keep_layers.count(i))) layers[std::to_string(i)] = layer_rows(p.result);
    if (p.result.soc) socs[std::to_string(i)] = soc_entry(*p.result.soc);
    if (p.result.silicon) silicon[std::to_string(i)] = silicon_entry(*p.result.silicon);
  }
  return {{"kind", "sweep"},
          {"summary", summary_of(in)},
          {"points", points},
          {"layer_fields", layer_fields()},
          {"layers", layers},
          {"layers_for_all_points", all_layers},
          {"soc", socs},
          {"silicon", silicon},
          {"best_within_accuracy_drop", best_within_accuracy_drop(o, speedup)},
          {"search", in.search},
          {"columns", column_docs()}};
}

}  // namespace deepchip::explorer
