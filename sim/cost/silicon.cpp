#include "sim/cost/silicon.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "sim/cost/table_keys.hpp"

namespace deepchip::sim {

namespace {

// y at x on the log-log line through (x0, y0) and (x1, y1): a power law, exact at both points.
double power_law(double x, double x0, double y0, double x1, double y1) {
  const double k = std::log(y1 / y0) / std::log(x1 / x0);
  return y0 * std::pow(x / x0, k);
}

// A value of the SRAM table at `kib`: log-log between the neighbouring points, along the end segment
// beyond the table (as the energy table's SRAM energies).
template <typename Field>
double sram_interpolate(const std::vector<SiliconTable::SramPoint>& t, double kib, Field field) {
  size_t hi = 1;
  while (hi + 1 < t.size() && kib > t[hi].size_kib) ++hi;
  const auto& a = t[hi - 1];
  const auto& b = t[hi];
  return power_law(kib, a.size_kib, field(a), b.size_kib, field(b));
}

constexpr double kUm2PerMm2 = 1e6;

// The canonical Huffman decoder's code lengths (sim/compress/huffman.hpp stores 16-bit counts per length;
// the hardware compares the next 16 bits against the first code of every length).
constexpr int kMaxCodeBits = 16;

bool uses_huffman(const QuantModel& model) {
  return std::any_of(model.storage.begin(), model.storage.end(),
                     [](const auto& entry) { return entry.second.huffman_bits > 0; });
}

// The widest stored weight of the array layers and whether any of them is int (needs a multiplier).
struct PeOperands {
  int weight_bits = 0;
  bool multiplier = false;
};
PeOperands pe_operands(const QuantModel& model) {
  PeOperands o;
  for (const auto& l : model.net.layers) {
    if (!l.on_array()) continue;
    const QuantLayer& q = model.layers.at(l.params());
    o.weight_bits = std::max(o.weight_bits, q.stored_weight_bits);
    o.multiplier = o.multiplier || q.format == WeightFormat::kInt;
  }
  return o;
}

// One Huffman decoder lane: kMaxCodeBits comparators of kMaxCodeBits bits (as adders), a 2 x kMaxCodeBits
// bit window shifted by a log2-stage barrel shifter, the window's registers, and the symbol table of
// 2^weight_bits symbols in registers.
double huffman_lane_um2(int weight_bits, const SiliconTable& t) {
  const int window = 2 * kMaxCodeBits;
  const double comparators = kMaxCodeBits * t.add_um2(kMaxCodeBits);
  const double shifter = window * std::ceil(std::log2(window)) * t.mux_bit_um2;
  const double registers = (window + std::ldexp(1.0, weight_bits) * weight_bits) * t.register_bit_um2;
  return comparators + shifter + registers;
}

}  // namespace

double SiliconTable::mult_um2(int a_bits, int b_bits) const {
  return power_law(static_cast<double>(a_bits) * b_bits, 64.0, mult_8_um2, 1024.0, mult_32_um2);
}

double SiliconTable::add_um2(int bits) const { return power_law(bits, 8.0, add_8_um2, 32.0, add_32_um2); }

double SiliconTable::sram_area_mm2(int64_t size_bytes) const {
  return sram_interpolate(sram, static_cast<double>(size_bytes) / 1024.0,
                          [](const SramPoint& p) { return p.area_mm2; });
}

double SiliconTable::sram_leakage_w(int64_t size_bytes) const {
  return 1e-3 * sram_interpolate(sram, static_cast<double>(size_bytes) / 1024.0,
                                 [](const SramPoint& p) { return p.leakage_mw; });
}

double pe_area_um2(const QuantModel& model, const HardwareConfig& hw, const SiliconTable& t) {
  const PeOperands o = pe_operands(model);
  const int a = model.config.activation_bits;
  // The PEs hold activations signed: an unsigned a-bit code in a + 1 bits (the RTL's A_BITS).
  const int a_reg = a + 1;
  const int acc = hw.accumulator_bits;
  if (!o.multiplier)  // ws_pe_ternary.sv: a positive and a negative partial-sum chain, 2-bit weight codes
    return 2 * t.add_um2(acc) + (a_reg + 1 + 2 * acc + 2 * 2) * t.register_bit_um2;
  const int w = o.weight_bits;
  const int shadow = hw.weight_buffering == WeightBuffering::kDouble ? 1 : 0;
  // The registers of ws_pe.sv (activation, switch bit, partial sum, active and shadow weight); os keeps an
  // accumulator where ws passes a partial sum, and passes weights (no shadow); is holds the input (and its
  // shadow) where ws holds the weight.
  int register_bits = 0;
  switch (hw.dataflow) {
    case Dataflow::kWs:
      register_bits = a_reg + 1 + acc + w * (1 + shadow);
      break;
    case Dataflow::kOs:
      register_bits = a_reg + 1 + acc + w;
      break;
    case Dataflow::kIs:
      register_bits = w + 1 + acc + a_reg * (1 + shadow);
      break;
  }
  return t.mult_um2(w, a) + t.add_um2(acc) + register_bits * t.register_bit_um2;
}

SiliconSummary estimate_silicon(const QuantModel& model, const HardwareConfig& hw, const SiliconTable& t) {
  SiliconSummary s;
  s.pe_um2 = pe_area_um2(model, hw, t);
  const double pes = static_cast<double>(hw.array_rows) * hw.array_cols;
  s.area_pe_array_mm2 = pes * s.pe_um2 / kUm2PerMm2;
  s.area_sram_input_mm2 = t.sram_area_mm2(hw.input_buffer.size_bytes);
  s.area_sram_weight_mm2 = t.sram_area_mm2(hw.weight_buffer.size_bytes);
  s.area_sram_output_mm2 = t.sram_area_mm2(hw.output_buffer.size_bytes);
  if (uses_huffman(model)) {
    const double lanes = std::ceil(hw.decoder_symbols_per_cycle);
    s.area_huffman_decoder_mm2 = lanes * huffman_lane_um2(pe_operands(model).weight_bits, t) / kUm2PerMm2;
  }
  const int a = model.config.activation_bits;
  const double lane_um2 = t.mult_um2(a, a) + t.add_um2(a) + 2 * a * t.register_bit_um2;
  s.area_vector_unit_mm2 = hw.array_cols * lane_um2 / kUm2PerMm2;
  const double dram_gbps = hw.dram_bandwidth_bytes_per_cycle * hw.clock_hz / 1e9;
  s.area_dram_interface_mm2 = dram_gbps * t.dram_interface_mm2_per_gbps;
  const double logic_mm2 = s.area_pe_array_mm2 + s.area_huffman_decoder_mm2 + s.area_vector_unit_mm2;
  const double sram_mm2 = s.area_sram_input_mm2 + s.area_sram_weight_mm2 + s.area_sram_output_mm2;
  s.area_mm2 = logic_mm2 + sram_mm2 + s.area_dram_interface_mm2;
  s.power_static_w = logic_mm2 * kUm2PerMm2 * t.logic_leakage_nw_per_um2 * 1e-9 +
                     t.sram_leakage_w(hw.input_buffer.size_bytes) +
                     t.sram_leakage_w(hw.weight_buffer.size_bytes) +
                     t.sram_leakage_w(hw.output_buffer.size_bytes);
  return s;
}

void fill_power(SiliconSummary& s, const LayerStats& total, double seconds) {
  s.power_dynamic_w = seconds > 0 ? (total.energy_total_pj - total.energy_static_pj) * 1e-12 / seconds : 0;
  s.power_w = s.power_dynamic_w + s.power_static_w;
}

namespace {

// Every number of the section is positive and at most this (um^2, nW/um^2, KiB, mm^2, mW).
constexpr double kMaxSiliconValue = 1e9;

double positive(const nlohmann::json& j, const std::string& at, const char* key,
                std::vector<std::string>& errors) {
  if (!j.contains(key) || !j[key].is_number() || !(j[key].get<double>() > 0) ||
      j[key].get<double>() > kMaxSiliconValue) {
    errors.push_back(at + key + ": required, a number in (0, 1e9]");
    return 1.0;
  }
  return j[key].get<double>();
}

void parse_logic(const nlohmann::json& j, const std::string& at, SiliconTable& t,
                 std::vector<std::string>& errors) {
  if (!j.is_object()) {
    errors.push_back(at + ": required object");
    return;
  }
  const std::string in = at + ".";
  unknown_keys(j, in,
               {"source", "int_mult_8bit_um2", "int_mult_32bit_um2", "int_add_8bit_um2", "int_add_32bit_um2",
                "register_bit_um2", "mux_bit_um2", "leakage_nw_per_um2"},
               errors);
  t.logic_source = source_of(j, in, errors);
  t.mult_8_um2 = positive(j, in, "int_mult_8bit_um2", errors);
  t.mult_32_um2 = positive(j, in, "int_mult_32bit_um2", errors);
  t.add_8_um2 = positive(j, in, "int_add_8bit_um2", errors);
  t.add_32_um2 = positive(j, in, "int_add_32bit_um2", errors);
  t.register_bit_um2 = positive(j, in, "register_bit_um2", errors);
  t.mux_bit_um2 = positive(j, in, "mux_bit_um2", errors);
  t.logic_leakage_nw_per_um2 = positive(j, in, "leakage_nw_per_um2", errors);
}

void parse_sram(const nlohmann::json& j, const std::string& at, SiliconTable& t,
                std::vector<std::string>& errors) {
  if (!j.is_object()) {
    errors.push_back(at + ": required object");
    return;
  }
  const std::string in = at + ".";
  unknown_keys(j, in, {"source", "points"}, errors);
  t.sram_source = source_of(j, in, errors);
  if (!j.contains("points") || !j["points"].is_array() || j["points"].size() < 2) {
    errors.push_back(in + "points: required list of at least two {size_kib, area_mm2, leakage_mw}");
    return;
  }
  for (size_t i = 0; i < j["points"].size(); ++i) {
    const auto& p = j["points"][i];
    const std::string pat = in + "points[" + std::to_string(i) + "].";
    if (!p.is_object()) {
      errors.push_back(pat.substr(0, pat.size() - 1) + ": must be {size_kib, area_mm2, leakage_mw}");
      continue;
    }
    unknown_keys(p, pat, {"size_kib", "area_mm2", "leakage_mw"}, errors);
    t.sram.push_back({positive(p, pat, "size_kib", errors), positive(p, pat, "area_mm2", errors),
                      positive(p, pat, "leakage_mw", errors)});
  }
  std::sort(t.sram.begin(), t.sram.end(),
            [](const auto& a, const auto& b) { return a.size_kib < b.size_kib; });
  for (size_t i = 1; i < t.sram.size(); ++i)
    if (t.sram[i].size_kib == t.sram[i - 1].size_kib)
      errors.push_back(in + "points: two points of the same size_kib (sizes must differ to interpolate)");
}

void parse_dram_interface(const nlohmann::json& j, const std::string& at, SiliconTable& t,
                          std::vector<std::string>& errors) {
  if (!j.is_object()) {
    errors.push_back(at + ": required object {source, area_mm2_per_gbps}");
    return;
  }
  const std::string in = at + ".";
  unknown_keys(j, in, {"source", "area_mm2_per_gbps"}, errors);
  t.dram_interface_source = source_of(j, in, errors);
  t.dram_interface_mm2_per_gbps = positive(j, in, "area_mm2_per_gbps", errors);
}

}  // namespace

SiliconTable parse_silicon(const nlohmann::json& j, const std::string& path,
                           std::vector<std::string>& errors) {
  SiliconTable t;
  const std::string at = path + ": silicon";
  if (!j.is_object()) {
    errors.push_back(at + ": must be an object with logic, sram and dram_interface");
    return t;
  }
  unknown_keys(j, at + ".", {"logic", "sram", "dram_interface"}, errors);
  auto member = [&](const char* key) { return j.contains(key) ? j[key] : nlohmann::json(); };
  parse_logic(member("logic"), at + ".logic", t, errors);
  parse_sram(member("sram"), at + ".sram", t, errors);
  parse_dram_interface(member("dram_interface"), at + ".dram_interface", t, errors);
  return t;
}

}  // namespace deepchip::sim
