// What dse prints on the console: the Pareto-optimal points of a sweep (print_best), and the per-layer table
// of one point (dse run) with its area and power line.
#include <algorithm>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>

#include "explorer/report/exports.hpp"
#include "sim/cost/decoding_stats.hpp"

namespace deepchip::explorer {

namespace {

int64_t dram_bytes(const sim::LayerStats& s) {
  return s.dram_input_read_bytes + s.dram_weight_read_bytes + s.dram_operand_read_bytes +
         s.dram_kv_read_bytes + s.dram_kv_write_bytes + s.dram_psum_read_bytes + s.dram_psum_write_bytes +
         s.dram_output_write_bytes;
}

// A decoding's table is one row per phase (prefill, each decode step), not per layer.
void print_decoding_table(std::ostream& os, const sim::PointResult& r) {
  const sim::DecodingSummary& d = *r.decoding;
  auto golden_cell = [&](bool match) { return !r.verified ? "-" : match ? "yes" : "NO"; };
  os << std::left << std::setw(12) << "phase" << std::right << std::setw(14) << "cycles" << std::setw(12)
     << "stall" << std::setw(14) << "weights_KiB" << std::setw(10) << "KV_KiB" << std::setw(12) << "other_KiB"
     << std::setw(12) << "bound" << std::setw(12) << "energy_uJ" << std::setw(8) << "golden\n";
  auto row = [&](const std::string& name, int64_t cycles, int64_t stall, int64_t weights, int64_t kv,
                 int64_t other, const std::string& bound, double energy_pj, const char* match) {
    os << std::left << std::setw(12) << name << std::right << std::setw(14) << cycles << std::setw(12)
       << stall << std::fixed << std::setprecision(1) << std::setw(14) << weights / 1024.0 << std::setw(10)
       << kv / 1024.0 << std::setw(12) << other / 1024.0 << std::setw(12) << bound << std::setprecision(3)
       << std::setw(12) << energy_pj / 1e6 << std::setw(8) << match << "\n";
  };
  const sim::LayerStats& p = d.prefill;
  row("prefill", p.cycles, p.stall_cycles, p.dram_weight_read_bytes,
      p.dram_kv_read_bytes + p.dram_kv_write_bytes,
      dram_bytes(p) - p.dram_weight_read_bytes - p.dram_kv_read_bytes - p.dram_kv_write_bytes, "",
      p.energy_total_pj, golden_cell(p.golden_match));
  for (size_t s = 0; s < d.steps.size(); ++s) {
    const auto& st = d.steps[s];
    row("decode" + std::to_string(s), st.cycles, st.stall_cycles, st.dram_weight_read_bytes,
        st.dram_kv_read_bytes + st.dram_kv_write_bytes, st.dram_other_bytes,
        std::to_string(st.memory_bound_cycles), static_cast<double>(st.energy_pj),
        golden_cell(st.golden_match == 1));
  }
  os << std::defaultfloat << std::setprecision(4) << "decoding: prompt " << d.prompt_tokens << " x batch "
     << d.batch << ", " << d.decode_tokens << " decode steps: time to first token "
     << d.time_to_first_token_s * 1e3 << " ms, " << d.decode_cycles_per_step << " cycles per step, "
     << d.decode_tokens_per_s << " tokens/s, " << d.decode_energy_per_token_pj / 1e6
     << " uJ per token; every step at >= " << d.decode_bound_ratio_min
     << "x its memory bound (weights and KV cache read once at the DRAM bandwidth)\n";
}

}  // namespace

namespace {

// "area 1.234 mm2 (PE array 0.72, input SRAM 0.87, ...); power 45.6 mW (dynamic 40.1, static 5.5)"
void print_silicon(std::ostream& os, const sim::SiliconSummary& s) {
  os << std::fixed << std::setprecision(3) << "area " << s.area_mm2 << " mm2 (PE array "
     << s.area_pe_array_mm2 << ", input SRAM " << s.area_sram_input_mm2 << ", weight SRAM "
     << s.area_sram_weight_mm2 << ", output SRAM " << s.area_sram_output_mm2 << ", vector unit "
     << s.area_vector_unit_mm2;
  if (s.area_huffman_decoder_mm2 > 0) os << ", Huffman decoder " << s.area_huffman_decoder_mm2;
  os << ", DRAM interface " << s.area_dram_interface_mm2;
  os << "); power " << std::setprecision(2) << s.power_w * 1e3 << " mW (dynamic " << s.power_dynamic_w * 1e3
     << ", static " << s.power_static_w * 1e3 << ")\n";
}

// Everything a point's result and accuracy say, as text: equal for designs that compute the same.
std::string results_key(const PointOutcome& o) {
  std::ostringstream key;
  key << std::setprecision(17) << o.point.network << " " << o.result.ok << " " << o.result.reason;
  o.result.total.visit_fields(
      [&](const char*, auto value, const char*, const char*) { key << " " << value; });
  if (o.result.silicon)
    o.result.silicon->visit_fields(
        [&](const char*, auto value, const char*, const char*) { key << " " << value; });
  if (o.accuracy) key << " top1 " << o.accuracy->top1;
  return key.str();
}

}  // namespace

void print_layer_table(std::ostream& os, const sim::PointResult& r) {
  if (r.decoding) {
    print_decoding_table(os, r);
    if (!r.verified) os << "array_impl timing: no data computed, not golden-checked\n";
    if (!r.ok) os << "not ok: " << r.reason << "\n";
    return;
  }
  int name_width = 22;
  for (const auto& l : r.layers) name_width = std::max(name_width, static_cast<int>(l.name.size()) + 2);
  const bool soc = r.soc.has_value();
  os << std::left << std::setw(name_width) << "layer" << std::setw(8) << "kind";
  if (soc) os << std::setw(6) << "side";
  os << std::right << std::setw(14) << "MACs" << std::setw(12) << "cycles" << std::setw(12) << "stall"
     << std::setw(8) << "util" << std::setw(12) << "DRAM_KiB" << std::setw(12) << "energy_uJ" << std::setw(8)
     << "golden"
     << "\n";
  auto row = [&](const sim::LayerStats& s) {
    const double dram = static_cast<double>(dram_bytes(s)) / 1024.0;
    os << std::left << std::setw(name_width) << s.name << std::setw(8) << s.kind;
    if (soc) os << std::setw(6) << (s.name == "total" ? "" : (s.on_arm ? "arm" : "fpga"));
    os << std::right << std::setw(14) << s.macs << std::setw(12) << s.cycles << std::setw(12)
       << s.stall_cycles << std::setw(8) << std::fixed << std::setprecision(3) << s.utilization
       << std::setw(12) << std::setprecision(1) << dram << std::setw(12) << std::setprecision(3)
       << s.energy_total_pj / 1e6 << std::setw(8) << (!r.verified ? "-" : (s.golden_match ? "yes" : "NO"))
       << "\n";
  };
  for (const auto& l : r.layers) row(l);
  row(r.total);
  if (soc) {
    const auto& s = *r.soc;
    os << s.device << " (" << s.arm << "), partition " << s.strategy << " (" << s.objective
       << "): " << s.arm_layers.size() << " of " << r.layers.size() << " layers on the ARM; fabric "
       << s.fpga_cycles << " cycles, ARM " << s.arm_cycles << " cycles, " << s.transfer_bytes
       << " bytes between them; " << r.seconds * 1e3 << " ms\n";
    os << "resources used/available: LUT " << s.used.luts << "/" << s.available.luts << ", FF " << s.used.ffs
       << "/" << s.available.ffs << ", BRAM36 " << s.used.bram36 << "/" << s.available.bram36 << ", URAM "
       << s.used.uram << "/" << s.available.uram << ", DSP " << s.used.dsps << "/" << s.available.dsps
       << "\n";
  }
  if (r.silicon) print_silicon(os, *r.silicon);
  if (!r.verified) os << "array_impl timing: no data computed, not golden-checked\n";
  if (!r.ok) os << "not ok: " << r.reason << "\n";
}

void print_best(std::ostream& os, const std::vector<PointOutcome>& o, const SweepSpec& spec) {
  const auto& axis_names = spec.axis_names;
  const auto front = pareto_front(o, spec.objectives);
  const bool any_accuracy =
      std::any_of(o.begin(), o.end(), [](const PointOutcome& x) { return x.accuracy.has_value(); });
  int net_width = 9;
  for (const auto& x : o)
    net_width = std::max(net_width, static_cast<int>(network_label(x.point.network).size()) + 2);
  std::string objectives;
  for (const auto& name : spec.objectives) objectives += (objectives.empty() ? "" : ", ") + name;
  os << "Pareto-optimal points (" << objectives << ") per network:\n";
  os << std::left << std::setw(net_width) << "network" << std::setw(14) << "point";
  for (const auto& a : axis_names) os << std::setw(std::max<int>(10, static_cast<int>(a.size()) + 2)) << a;
  os << std::right << std::setw(14) << "cycles" << std::setw(10) << "util" << std::setw(14) << "energy_uJ"
     << std::setw(8) << "golden";
  if (any_accuracy) os << std::setw(8) << "top1";
  // The other objectives' metrics (area_mm2, power_w, ...), each in its own column.
  std::vector<std::string> extra;
  for (const auto& name : spec.objectives) {
    const std::string& column = objective_decl(name).column;
    if (column != "cycles" && column != "energy_total_pj" && column != "top1") extra.push_back(column);
  }
  for (const auto& column : extra) os << std::setw(static_cast<int>(column.size()) + 2) << column;
  os << "\n";
  std::vector<size_t> order;
  for (size_t i = 0; i < o.size(); ++i)
    if (front[i]) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::make_pair(o[a].point.network, o[a].result.total.cycles) <
           std::make_pair(o[b].point.network, o[b].result.total.cycles);
  });
  // Designs that differ only in a setting that changes nothing (weight_bits of a ternary point) print once.
  std::map<size_t, std::vector<size_t>> same_as;  // the first point -> the others with its results
  std::map<std::string, size_t> first_of;         // results -> the first point
  std::vector<size_t> shown;
  for (size_t i : order) {
    const auto [it, first] = first_of.emplace(results_key(o[i]), i);
    if (first)
      shown.push_back(i);
    else
      same_as[it->second].push_back(i);
  }
  for (size_t i : shown) {
    const auto& p = o[i].point;
    const auto& t = o[i].result.total;
    os << std::left << std::setw(net_width) << network_label(p.network) << std::setw(14) << p.id;
    for (const auto& a : spec.space.axes())
      os << std::setw(std::max<int>(10, static_cast<int>(a.label().size()) + 2))
         << csv_cell(a.value_in(p.effective));
    os << std::right << std::setw(14) << t.cycles << std::setw(10) << std::fixed << std::setprecision(3)
       << t.utilization << std::setw(14) << std::setprecision(2) << t.energy_total_pj / 1e6 << std::setw(8)
       << (!o[i].result.verified ? "-" : (o[i].result.golden_match ? "yes" : "NO"));
    if (any_accuracy) {
      os << std::setw(8);
      if (o[i].accuracy)
        os << std::setprecision(4) << o[i].accuracy->top1;
      else
        os << "-";
    }
    for (const auto& column : extra) {
      const std::optional<double> v = point_metric(o[i].result, o[i].accuracy, column);
      std::ostringstream cell;
      if (v)
        cell << std::setprecision(4) << std::defaultfloat << *v;
      else
        cell << "-";
      os << std::setw(static_cast<int>(column.size()) + 2) << cell.str();
    }
    os << "\n";
    if (auto same = same_as.find(i); same != same_as.end())
      for (size_t k : same->second) {  // "the same results: <id> (weight_bits 8)"
        os << std::left << std::setw(net_width) << ""
           << "the same results: " << o[k].point.id;
        std::string differs;
        for (const auto& a : spec.space.axes())
          if (a.value_in(o[k].point.effective) != a.value_in(p.effective))
            differs +=
                (differs.empty() ? "" : ", ") + a.label() + " " + csv_cell(a.value_in(o[k].point.effective));
        os << (differs.empty() ? "" : " (" + differs + ")") << "\n";
      }
  }
  const auto failed = std::count_if(o.begin(), o.end(), [](const PointOutcome& x) { return !x.result.ok; });
  const auto violating =
      std::count_if(o.begin(), o.end(), [](const PointOutcome& x) { return !x.constraints_ok(); });
  os << o.size() << " points, " << failed << " not ok (see results.csv column 'reason')";
  if (violating > 0) os << ", " << violating << " violate their constraints (constraints_ok = 0)";
  os << "\n";
}

}  // namespace deepchip::explorer
