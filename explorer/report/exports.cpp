#include "explorer/report/exports.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "explorer/config/config_keys.hpp"
#include "sim/cost/decoding_stats.hpp"
#include "sim/io/json_input.hpp"
#include "sim/io/output_file.hpp"
#include "sim/zoo/decoder.hpp"

namespace deepchip::explorer {

using nlohmann::json;
namespace fs = std::filesystem;

std::string csv_cell(const json& v) {
  // Integers as JSON prints them, without its serializer (most cells of layers.csv are integer counters).
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  std::string s = v.is_string() ? v.get<std::string>() : sim::dump_json(v);
  if (s.find_first_of(",\"\n") != std::string::npos) {
    std::string q = "\"";
    for (char c : s) q += (c == '"') ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  return s;
}

namespace {

std::string join(const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) line += (i ? "," : "") + cells[i];
  return line + "\n";
}

std::vector<std::string> stat_header() {
  std::vector<std::string> h;
  sim::LayerStats{}.visit_fields(
      [&](const char* name, auto, const char*, const char*) { h.push_back(name); });
  return h;
}

std::vector<std::string> stat_cells(const sim::LayerStats& s) {
  std::vector<std::string> c;
  s.visit_fields(
      [&](const char*, auto value, const char*, const char*) { c.push_back(csv_cell(json(value))); });
  return c;
}

}  // namespace

namespace {

// DeepChip's accuracy budgets: no loss (within half a point) and at most two points.
constexpr double kAccuracyBudgets[] = {0.005, 0.02};

std::string golden_cell(bool verified, bool match) { return verified ? (match ? "1" : "0") : ""; }

// The ARM+FPGA columns of results.csv (empty for the accelerator alone). The system's ARM cycles and
// transfer bytes are the totals' columns of those names.
std::vector<std::string> soc_header() {
  std::vector<std::string> h = {"placed_on_arm", "fpga_cycles", "predicted_seconds"};
  sim::ResourceCounts().visit([&](const char* name, int64_t) {
    h.push_back(std::string(name) + "_used");
    h.push_back(std::string(name) + "_available");
  });
  return h;
}

// The decoding columns of results.csv (empty without a sequence section).
std::vector<std::string> decoding_cells(const std::optional<sim::DecodingSummary>& d) {
  std::vector<std::string> c;
  if (!d) return std::vector<std::string>(sim::decoding_docs().size(), "");
  d->visit_fields(
      [&](const char*, auto value, const char*, const char*) { c.push_back(csv_cell(json(value))); });
  return c;
}

// The silicon columns (empty for a system or a table without silicon) and the derived metrics (empty where
// a point has none).
std::vector<std::string> silicon_header() {
  std::vector<std::string> h;
  for (const auto& d : sim::silicon_docs()) h.push_back(d.name);
#define DEEPCHIP_DERIVED_NAME(name, unit, doc) h.push_back(#name);
  DEEPCHIP_DERIVED_METRICS(DEEPCHIP_DERIVED_NAME)
#undef DEEPCHIP_DERIVED_NAME
  return h;
}

std::vector<std::string> silicon_cells(const PointOutcome& p) {
  std::vector<std::string> c;
  for (const auto& name : silicon_header()) {
    const std::optional<double> v = point_metric(p.result, p.accuracy, name);
    c.push_back(v ? csv_cell(json(*v)) : "");
  }
  return c;
}

std::vector<std::string> soc_cells(const std::optional<sim::SocSummary>& soc) {
  if (!soc) return std::vector<std::string>(soc_header().size(), "");
  std::string arm_layers;
  for (const auto& l : soc->arm_layers) arm_layers += (arm_layers.empty() ? "" : ";") + l;
  std::vector<std::string> c = {csv_cell(arm_layers), std::to_string(soc->fpga_cycles),
                                csv_cell(json(soc->predicted_seconds))};
  std::vector<int64_t> used, available;
  soc->used.visit([&](const char*, int64_t v) { used.push_back(v); });
  soc->available.visit([&](const char*, int64_t v) { available.push_back(v); });
  for (size_t i = 0; i < used.size(); ++i) {
    c.push_back(std::to_string(used[i]));
    c.push_back(std::to_string(available[i]));
  }
  return c;
}

}  // namespace

std::string network_label(const std::string& network) { return fs::path(network).filename().string(); }

std::vector<bool> pareto_front(const std::vector<PointOutcome>& o,
                               const std::vector<std::string>& objectives) {
  std::vector<bool> front(o.size(), false);
  std::vector<std::vector<double>> values;
  for (const auto& p : o) values.push_back(objective_values(p, objectives));
  for (size_t i = 0; i < o.size(); ++i) {
    if (!eligible(o[i])) continue;
    bool dominated = false;
    for (size_t j = 0; j < o.size() && !dominated; ++j)
      dominated = j != i && eligible(o[j]) && o[j].point.network == o[i].point.network &&
                  dominates(values[j], values[i]);
    front[i] = !dominated;
  }
  return front;
}

namespace {

bool is_int8_dense(const sim::QuantConfig& q) {
  return q.weight_format == sim::WeightFormat::kInt && q.weight_bits == 8 && q.sparsity == 0 &&
         q.huffman == sim::HuffmanMode::kOff && q.overrides.empty() &&
         (q.first_last_weight_bits == 0 || q.first_last_weight_bits == 8);
}

// The hardware a speed-up compares on: everything but what only matters for compressed weights.
std::string comparison_key(const PointOutcome& p) {
  json h = p.point.effective["hardware"];
  h.erase("zero_handling");
  h.erase("huffman_decoder_symbols_per_cycle");
  return p.point.network + "|" + h.dump() + "|" + p.point.effective["quantization"]["activation_bits"].dump();
}

}  // namespace

std::vector<double> speedup_vs_int8_dense(const std::vector<PointOutcome>& o) {
  std::map<std::string, int64_t> baseline;
  for (const auto& p : o)
    if (p.result.ok && is_int8_dense(p.point.quant))
      baseline.emplace(comparison_key(p), p.result.total.cycles);
  std::vector<double> speedup(o.size(), 0.0);
  for (size_t i = 0; i < o.size(); ++i) {
    const auto it = baseline.find(comparison_key(o[i]));
    if (o[i].result.ok && it != baseline.end() && o[i].result.total.cycles > 0)
      speedup[i] = static_cast<double>(it->second) / static_cast<double>(o[i].result.total.cycles);
  }
  return speedup;
}

namespace {

double reference_of(const std::vector<PointOutcome>& o, const std::string& network) {
  for (const auto& p : o)
    if (p.point.network == network && p.accuracy) return p.accuracy->reference_top1;
  return 0;
}

struct BestWithin {
  std::string network;
  double budget = 0;
  std::optional<size_t> smallest, fastest;
};

// Per network with accuracy and per budget: the most compressed and the fastest point whose accuracy drop
// stays within the budget (DeepChip's table form).
std::vector<BestWithin> best_within(const std::vector<PointOutcome>& o, const std::vector<double>& speedup) {
  std::vector<BestWithin> table;
  std::vector<std::string> networks;
  for (const auto& p : o)
    if (p.accuracy && std::find(networks.begin(), networks.end(), p.point.network) == networks.end())
      networks.push_back(p.point.network);
  for (const auto& net : networks)
    for (double budget : kAccuracyBudgets) {
      BestWithin b{net, budget, std::nullopt, std::nullopt};
      for (size_t i = 0; i < o.size(); ++i) {
        const auto& p = o[i];
        if (p.point.network != net || !p.accuracy || !golden_ok(p.result) ||
            p.accuracy->drop() > budget + 1e-12)
          continue;
        if (!b.smallest ||
            p.result.total.compression_vs_fp32 > o[*b.smallest].result.total.compression_vs_fp32)
          b.smallest = i;
        if (speedup[i] > 0 && (!b.fastest || speedup[i] > speedup[*b.fastest])) b.fastest = i;
      }
      table.push_back(b);
    }
  return table;
}

}  // namespace

json best_within_accuracy_drop(const std::vector<PointOutcome>& o, const std::vector<double>& speedup) {
  json table = json::array();
  for (const BestWithin& b : best_within(o, speedup)) {
    auto describe = [&](std::optional<size_t> i) -> json {
      if (!i) return nullptr;
      return {{"point_id", o[*i].point.id},
              {"compression_vs_fp32", o[*i].result.total.compression_vs_fp32},
              {"speedup_vs_int8_dense", speedup[*i]},
              {"top1", o[*i].accuracy->top1},
              {"accuracy_drop", o[*i].accuracy->drop()},
              {"quantization", o[*i].point.effective["quantization"]}};
    };
    table.push_back({{"network", network_label(b.network)},
                     {"max_accuracy_drop", b.budget},
                     {"reference_top1", reference_of(o, b.network)},
                     {"most_compressed", describe(b.smallest)},
                     {"fastest", describe(b.fastest)}});
  }
  return table;
}

std::vector<size_t> verification_targets(const std::vector<PointOutcome>& o, const SweepSpec& spec) {
  const auto front = pareto_front(o, spec.objectives);
  std::set<size_t> targets;
  for (size_t i = 0; i < o.size(); ++i)
    if (front[i]) targets.insert(i);
  for (const BestWithin& b : best_within(o, speedup_vs_int8_dense(o))) {
    if (b.smallest) targets.insert(*b.smallest);
    if (b.fastest) targets.insert(*b.fastest);
  }
  return {targets.begin(), targets.end()};
}

void write_reports(const std::vector<PointOutcome>& o, const SweepSpec& spec, const std::string& out_dir,
                   const std::string& rev, size_t compressions, const json& search, sim::OutputSet& files) {
  const auto front = pareto_front(o, spec.objectives);
  const auto speedup = speedup_vs_int8_dense(o);
  std::vector<std::string> header = {"point_id", "network"};
  for (const auto& d : key_decls())
    if (is_point_section(d.section)) header.push_back(d.name);
  for (const char* h : {"seed", "ok", "reason", "golden_match", "pareto", "seconds", "speedup_vs_int8_dense",
                        "accuracy_images", "float_top1", "top1", "accuracy_reference_top1", "accuracy_drop",
                        "noise_repeats", "top1_std", "constraints_ok"})
    header.push_back(h);
  for (const char* h :
       {"synthesized_pe", "array_generic_cells", "array_luts", "array_ffs", "array_dsp48", "array_carry4"})
    header.push_back(h);
  for (const auto& h : soc_header()) header.push_back(h);
  for (const auto& h : silicon_header()) header.push_back(h);
  for (const auto& d : sim::decoding_docs()) header.push_back(d.name);
  for (const auto& h : stat_header()) header.push_back(h);
  std::string results = join(header);
  for (size_t i = 0; i < o.size(); ++i) {
    const auto& p = o[i].point;
    const auto& r = o[i].result;
    std::vector<std::string> row = {p.id, csv_cell(network_label(p.network))};
    for (const auto& d : key_decls())
      if (is_point_section(d.section)) row.push_back(csv_cell(p.effective[d.section][d.name]));
    row.push_back(std::to_string(p.seed));
    row.push_back(r.ok ? "1" : "0");
    row.push_back(csv_cell(r.reason));
    row.push_back(golden_cell(r.verified, r.golden_match));
    row.push_back(front[i] ? "1" : "0");
    row.push_back(csv_cell(json(r.seconds)));
    row.push_back(speedup[i] > 0 ? csv_cell(json(speedup[i])) : "");
    const auto& acc = o[i].accuracy;
    row.push_back(acc ? std::to_string(acc->images) : "");
    for (double v : {acc ? acc->float_top1 : 0.0, acc ? acc->top1 : 0.0, acc ? acc->reference_top1 : 0.0,
                     acc ? acc->drop() : 0.0})
      row.push_back(acc ? csv_cell(json(v)) : "");
    row.push_back(acc ? std::to_string(acc->noise_repeats) : "");
    row.push_back(acc ? csv_cell(json(acc->top1_std)) : "");
    row.push_back(o[i].constraints_ok() ? "1" : "0");
    const auto& a = o[i].area;
    row.push_back(a ? a->pe : "");
    for (int64_t v :
         {a ? a->generic_cells : 0, a ? a->luts : 0, a ? a->ffs : 0, a ? a->dsp48 : 0, a ? a->carry4 : 0})
      row.push_back(a ? std::to_string(v) : "");
    for (const auto& c : soc_cells(r.soc)) row.push_back(c);
    for (const auto& c : silicon_cells(o[i])) row.push_back(c);
    for (const auto& c : decoding_cells(r.decoding)) row.push_back(c);
    for (const auto& c : stat_cells(r.total)) row.push_back(c);
    results += join(row);
  }
  std::vector<std::string> lheader = {"point_id", "network", "layer", "kind", "golden_match"};
  for (const auto& h : stat_header()) lheader.push_back(h);
  std::string layers = join(lheader);
  for (const auto& out : o)
    for (const auto& l : out.result.layers) {
      std::vector<std::string> row = {out.point.id, csv_cell(network_label(out.point.network)),
                                      csv_cell(l.name), l.kind,
                                      golden_cell(out.result.verified, l.golden_match)};
      for (const auto& c : stat_cells(l)) row.push_back(c);
      layers += join(row);
    }
  json summary;
  summary["git_revision"] = rev;
  summary["axes"] = spec.axis_names;
  summary["objectives"] = spec.objectives;
  summary["points"] = o.size();
  summary["compression_settings_computed"] = compressions;
  summary["ok_points"] = std::count_if(o.begin(), o.end(), [](const PointOutcome& x) { return x.result.ok; });
  summary["verify"] = sim::name_of(spec.verify);
  summary["search"] = search;
  summary["verified_points"] =
      std::count_if(o.begin(), o.end(), [](const PointOutcome& x) { return x.result.verified; });
  summary["columns"] = json::array();
  for (const auto& d : metric_docs())
    if (d.name != "top1") summary["columns"].push_back({{"name", d.name}, {"unit", d.unit}, {"doc", d.doc}});
  if (!spec.constraints.empty()) {
    summary["constraints"] = json::object();
    for (const auto& c : spec.constraints) {
      json& bounds = summary["constraints"][c.metric];
      if (c.min) bounds["min"] = *c.min;
      if (c.max) bounds["max"] = *c.max;
    }
  }
  summary["pareto"] = json::array();
  summary["failed"] = json::array();
  summary["constraint_violations"] = json::array();
  for (size_t i = 0; i < o.size(); ++i) {
    const auto& acc = o[i].accuracy;
    if (front[i]) {
      json entry = {{"point_id", o[i].point.id},
                    {"network", network_label(o[i].point.network)},
                    {"cycles", o[i].result.total.cycles},
                    {"energy_total_pj", o[i].result.total.energy_total_pj},
                    {"weight_bits_stored", o[i].result.total.weight_bits_stored},
                    {"config", o[i].point.effective}};
      if (acc) entry["top1"] = acc->top1, entry["float_top1"] = acc->float_top1;
      for (const auto& name : spec.objectives)  // every objective's metric (cycles, energy, ... area_mm2)
        if (auto v = point_metric(o[i].result, acc, objective_decl(name).column))
          entry[objective_decl(name).column] = *v;
      summary["pareto"].push_back(entry);
    }
    if (!o[i].result.ok)
      summary["failed"].push_back({{"point_id", o[i].point.id}, {"reason", o[i].result.reason}});
    if (!o[i].constraints_ok()) {
      std::string reason;
      for (const auto& p : o[i].constraint_problems()) reason += (reason.empty() ? "" : "; ") + p;
      summary["constraint_violations"].push_back({{"point_id", o[i].point.id}, {"reason", reason}});
    }
  }
  summary["best_within_accuracy_drop"] = best_within_accuracy_drop(o, speedup);
  files.add(fs::path(out_dir) / "results.csv", results);
  files.add(fs::path(out_dir) / "layers.csv", layers);
  files.add(fs::path(out_dir) / "summary.json", sim::dump_json(summary, 2) + "\n");
}

}  // namespace deepchip::explorer
