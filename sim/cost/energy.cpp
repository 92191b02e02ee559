#include "sim/cost/energy.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "sim/cost/table_keys.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/json_input.hpp"

namespace deepchip::sim {

double EnergyTable::mac_pj(int wb, int ab, int acc) const {
  return mult_8x8_pj * (static_cast<double>(wb) * ab / 64.0) + add_32_pj * (acc / 32.0);
}

double EnergyTable::sram_word_pj(int64_t size_bytes, int word_bits) const {
  const double kib = static_cast<double>(size_bytes) / 1024.0;
  double pj64 = sram.front().pj_per_64bit_access;
  if (kib >= sram.back().size_kib) {
    // Extrapolate along the last segment's slope.
    const auto& a = sram[sram.size() - 2];
    const auto& b = sram.back();
    const double slope =
        std::log(b.pj_per_64bit_access / a.pj_per_64bit_access) / std::log(b.size_kib / a.size_kib);
    pj64 = b.pj_per_64bit_access * std::pow(kib / b.size_kib, slope);
  } else if (kib > sram.front().size_kib) {
    for (size_t i = 1; i < sram.size(); ++i) {
      if (kib <= sram[i].size_kib) {
        const auto& a = sram[i - 1];
        const auto& b = sram[i];
        const double t = std::log(kib / a.size_kib) / std::log(b.size_kib / a.size_kib);
        pj64 = std::exp(std::log(a.pj_per_64bit_access) * (1 - t) + std::log(b.pj_per_64bit_access) * t);
        break;
      }
    }
  }
  return pj64 * word_bits / 64.0;
}

namespace {

// Every number of an energy table is positive and at most this (pJ per operation, access or bit; watts;
// KiB; the noise law's factor and exponent), so that no energy total can become inf or NaN: a count of
// 2^63 operations at 1e6 pJ is ~1e25 pJ, far inside a double.
constexpr double kMaxTableValue = 1e6;
bool table_value(const nlohmann::json& v) {
  return v.is_number() && v.get<double>() > 0 && v.get<double>() <= kMaxTableValue;
}
const std::string kTableRange = "a number in (0, 1e6]";

// {"name": positive number, ...} into `out`.
void positive_map(const nlohmann::json& j, const std::string& where, std::map<std::string, double>& out,
                  std::vector<std::string>& errors) {
  if (!j.is_object() || j.empty()) {
    errors.push_back(where + ": required object of positive numbers");
    return;
  }
  for (const auto& [k, v] : j.items()) {
    if (!table_value(v))
      errors.push_back(where + "." + k + ": must be " + kTableRange);
    else
      out[k] = v.get<double>();
  }
}

EnergyTable::Soc parse_soc(const nlohmann::json& j, const std::string& path,
                           std::vector<std::string>& errors) {
  EnergyTable::Soc soc;
  const std::string at = path + ": soc";
  if (!j.is_object()) {
    errors.push_back(at + ": must be an object");
    return soc;
  }
  unknown_keys(j, at + ".",
               {"source", "arm_pj_per_mac", "arm_pj_per_vector_op", "ps_static_w", "pl_static_w"}, errors);
  soc.source = source_of(j, at + ".", errors);
  if (!j.contains("arm_pj_per_mac") || !j["arm_pj_per_mac"].is_object())
    errors.push_back(at + ".arm_pj_per_mac: required {cluster: {fp32, int16, int8, lowbit}}");
  else
    for (const auto& [cluster, table] : j["arm_pj_per_mac"].items()) {
      positive_map(table, at + ".arm_pj_per_mac." + cluster, soc.arm_pj_per_mac[cluster], errors);
      for (const char* p : {"fp32", "int16", "int8", "lowbit"})
        if (!soc.arm_pj_per_mac[cluster].count(p))
          errors.push_back(at + ".arm_pj_per_mac." + cluster + "." + p + ": required, " + kTableRange);
    }
  auto member = [&](const char* key) { return j.contains(key) ? j[key] : nlohmann::json(); };
  positive_map(member("arm_pj_per_vector_op"), at + ".arm_pj_per_vector_op", soc.arm_pj_per_vector_op,
               errors);
  positive_map(member("ps_static_w"), at + ".ps_static_w", soc.ps_static_w, errors);
  positive_map(member("pl_static_w"), at + ".pl_static_w", soc.pl_static_w, errors);
  return soc;
}

EnergyTable::NoisyMac parse_noisy_mac(const nlohmann::json& j, const std::string& path,
                                      std::vector<std::string>& errors) {
  const std::string at = path + ": noisy_mac";
  EnergyTable::NoisyMac n;
  if (!j.is_object()) {
    errors.push_back(at + ": must be an object");
    return n;
  }
  unknown_keys(j, at + ".", {"source", "reference_noise", "factor_at_reference", "exponent"}, errors);
  n.source = source_of(j, at + ".", errors);
  auto positive = [&](const char* key, double& out) {
    if (!j.contains(key) || !table_value(j[key]))
      errors.push_back(at + "." + key + ": required, " + kTableRange);
    else
      out = j[key].get<double>();
  };
  positive("reference_noise", n.reference_noise);
  positive("factor_at_reference", n.factor_at_reference);
  positive("exponent", n.exponent);
  return n;
}

EnergyTable::PeRegister parse_pe_register(const nlohmann::json& j, const std::string& path,
                                          std::vector<std::string>& errors) {
  const std::string at = path + ": pe_register";
  EnergyTable::PeRegister r;
  if (!j.is_object()) {
    errors.push_back(at + ": must be an object {source, pj_per_bit}");
    return r;
  }
  unknown_keys(j, at + ".", {"source", "pj_per_bit"}, errors);
  r.source = source_of(j, at + ".", errors);
  if (!j.contains("pj_per_bit") || !table_value(j["pj_per_bit"]))
    errors.push_back(at + ".pj_per_bit: required, " + kTableRange);
  else
    r.pj_per_bit = j["pj_per_bit"].get<double>();
  return r;
}

}  // namespace

EnergyTable load_energy_table(const std::string& path) {
  nlohmann::json j;
  try {
    j = parse_json(read_input_file(path, "energy table", kMaxJsonBytes), path);
  } catch (const InputError& e) {
    throw ConfigError(e.what());
  }
  if (!j.is_object()) throw ConfigError(path + ": the energy table must be a JSON object");
  std::vector<std::string> errors;
  unknown_keys(j, path + ": ",
               {"source", "int_mult_8bit_pj", "int_add_32bit_pj", "sram_64bit_access_pj", "dram_pj_per_bit",
                "soc", "noisy_mac", "silicon", "pe_register"},
               errors);
  auto number = [&](const char* key) {
    if (!j.contains(key) || !table_value(j[key])) {
      errors.push_back(path + ": " + key + ": required, " + kTableRange);
      return 1.0;
    }
    return j[key].get<double>();
  };
  EnergyTable t;
  t.source = source_of(j, path + ": ", errors);
  t.mult_8x8_pj = number("int_mult_8bit_pj");
  t.add_32_pj = number("int_add_32bit_pj");
  t.dram_pj_per_bit = number("dram_pj_per_bit");
  if (!j.contains("sram_64bit_access_pj") || !j["sram_64bit_access_pj"].is_array() ||
      j["sram_64bit_access_pj"].size() < 2) {
    errors.push_back(path + ": sram_64bit_access_pj: required list of at least two {size_kib, pj}");
  } else {
    for (size_t i = 0; i < j["sram_64bit_access_pj"].size(); ++i) {
      const auto& p = j["sram_64bit_access_pj"][i];
      if (!p.is_object() || !p.contains("size_kib") || !p.contains("pj") || !table_value(p["size_kib"]) ||
          !table_value(p["pj"])) {
        errors.push_back(path + ": sram_64bit_access_pj[" + std::to_string(i) +
                         "]: needs size_kib and pj, each " + kTableRange);
        continue;
      }
      t.sram.push_back({p["size_kib"].get<double>(), p["pj"].get<double>()});
    }
    std::sort(t.sram.begin(), t.sram.end(), [](auto& a, auto& b) { return a.size_kib < b.size_kib; });
    for (size_t i = 1; i < t.sram.size(); ++i)
      if (t.sram[i].size_kib == t.sram[i - 1].size_kib)
        errors.push_back(path + ": sram_64bit_access_pj: two points of " +
                         nlohmann::json(t.sram[i].size_kib).dump() +
                         " KiB (sizes must differ to interpolate)");
  }
  if (j.contains("soc")) t.soc = parse_soc(j["soc"], path, errors);
  if (j.contains("noisy_mac")) t.noisy_mac = parse_noisy_mac(j["noisy_mac"], path, errors);
  if (j.contains("silicon")) t.silicon = parse_silicon(j["silicon"], path, errors);
  if (j.contains("pe_register")) t.pe_register = parse_pe_register(j["pe_register"], path, errors);
  if (!errors.empty()) throw ConfigError(errors);
  return t;
}

double EnergyTable::noisy_mac_factor(double s) const {
  if (!noisy_mac || !(s > 0)) return 1.0;
  const NoisyMac& n = *noisy_mac;
  return std::min(1.0, n.factor_at_reference * std::pow(n.reference_noise / s, n.exponent));
}

PeBits pe_register_bits(const LayerStats& s, const HardwareConfig& hw, int weight_bits, int activation_bits) {
  PeBits b;
  const double macs = static_cast<double>(s.macs);
  const int acc = hw.accumulator_bits;
  const double chain = (hw.stationary_load_cycles() + 1) / 2.0;  // registers a loaded bit passes, on average
  auto load = [&](int64_t words, int word_bits) {
    const double bits = static_cast<double>(words) * word_bits;
    b.forwarded += bits * chain;
    b.local += bits;  // shadow to active
  };
  switch (hw.dataflow) {
    case Dataflow::kWs:
      b.forwarded = macs * (activation_bits + acc);
      load(s.sram_weight_reads, hw.weight_buffer.word_bits);
      break;
    case Dataflow::kOs:
      b.forwarded = macs * (activation_bits + weight_bits) + static_cast<double>(s.sram_output_writes) *
                                                                 hw.output_buffer.word_bits *
                                                                 ((hw.array_rows + 1) / 2.0);
      b.local = macs * acc;
      break;
    case Dataflow::kIs:
      b.forwarded = macs * (weight_bits + acc);
      load(s.sram_input_reads, hw.input_buffer.word_bits);
      break;
  }
  return b;
}

PeBits layer_pe_bits(const QuantModel& model, const Layer& l, const HardwareConfig& hw, const LayerStats& s) {
  if (!l.on_array()) return {};
  const int weight_bits = l.is_gemm() ? model.layers.at(l.params()).stored_weight_bits
                                      : model.config.activation_bits;  // a matmul's second operand
  return pe_register_bits(s, hw, weight_bits, model.config.activation_bits);
}

void apply_energy(LayerStats& s, const EnergyTable& t, const HardwareConfig& hw, double mac_pj,
                  double vector_op_pj, PeBits pe, double static_w) {
  const int64_t charged = hw.zero_handling == ZeroHandling::kNone ? s.macs : s.macs - s.zero_macs;
  s.energy_mac_pj = static_cast<double>(charged) * mac_pj;
  auto sram = [&](const BufferConfig& b, int64_t accesses) {
    return static_cast<double>(accesses) * t.sram_word_pj(b.size_bytes, b.word_bits);
  };
  s.energy_sram_input_pj = sram(hw.input_buffer, s.sram_input_reads + s.sram_input_writes);
  s.energy_sram_weight_pj = sram(hw.weight_buffer, s.sram_weight_reads + s.sram_weight_writes);
  s.energy_sram_output_pj = sram(hw.output_buffer, s.sram_output_reads + s.sram_output_writes);
  const int64_t dram_bytes = s.dram_input_read_bytes + s.dram_weight_read_bytes + s.dram_operand_read_bytes +
                             s.dram_kv_read_bytes + s.dram_kv_write_bytes + s.dram_psum_read_bytes +
                             s.dram_psum_write_bytes + s.dram_output_write_bytes;
  s.energy_dram_pj = static_cast<double>(dram_bytes) * 8.0 * t.dram_pj_per_bit;
  s.energy_dram_kv_pj =
      static_cast<double>(s.dram_kv_read_bytes + s.dram_kv_write_bytes) * 8.0 * t.dram_pj_per_bit;
  s.energy_vector_pj = static_cast<double>(s.vector_ops) * vector_op_pj;
  const double register_pj = t.pe_register ? t.pe_register->pj_per_bit : 0.0;
  s.energy_pe_forward_pj = pe.forwarded * register_pj;
  s.energy_pe_register_pj = pe.local * register_pj;
  s.energy_static_pj = static_w * static_cast<double>(s.cycles) / hw.clock_hz * 1e12;
  s.energy_total_pj = s.energy_mac_pj + s.energy_pe_forward_pj + s.energy_pe_register_pj +
                      s.energy_sram_input_pj + s.energy_sram_weight_pj + s.energy_sram_output_pj +
                      s.energy_dram_pj + s.energy_vector_pj + s.energy_static_pj;
}

double layer_vector_op_pj(const QuantModel& model, const Layer& l, const EnergyTable& energy) {
  if (l.on_array() || l.is_reshape()) return 0.0;
  const int bits = model.config.activation_bits;
  switch (l.kind) {
    case LayerKind::kLookup:  // one read of the layer's table per element
      return energy.sram_word_pj(lookup_table_bytes(model, l), bits);
    case LayerKind::kMul:  // one multiply per element (mul: of two activations; affine: by its scale)
    case LayerKind::kAffine:
    case LayerKind::kSoftmax:    // per op a multiply-class step: exp table read and scale, sum, divide
    case LayerKind::kLayerNorm:  // per op a multiply-class step: deviation, square, scale
      return energy.mult_8x8_pj * (static_cast<double>(bits) * bits / 64.0);
    default:  // a compare, add or copy of activation width per operation
      return energy.add_pj(bits);
  }
}

int64_t lookup_table_bytes(const QuantModel& model, const Layer& l) {
  const int bits = model.config.activation_bits;
  if (l.kind == LayerKind::kSoftmax)  // the exponential table: 16-bit entries
    return packed_bytes(static_cast<int64_t>(model.layers.at(l.params()).table.size()), 16);
  if (l.kind != LayerKind::kLookup) return 0;
  return packed_bytes(int64_t{1} << bits, bits);
}

double layer_mac_pj(const QuantModel& model, const Layer& l, const HardwareConfig& hw,
                    const EnergyTable& energy) {
  if (!l.on_array()) return 0.0;
  const QuantLayer& q = model.layers.at(l.params());
  const bool noisy = hw.mac_noise > 0 && (hw.mac_noise_layers.empty() ||
                                          std::find(hw.mac_noise_layers.begin(), hw.mac_noise_layers.end(),
                                                    l.name) != hw.mac_noise_layers.end());
  const double factor = noisy ? energy.noisy_mac_factor(hw.mac_noise) : 1.0;
  if (q.format != WeightFormat::kInt) return factor * energy.add_pj(hw.accumulator_bits);  // no multiplier
  return factor * energy.mac_pj(q.stored_weight_bits, model.config.activation_bits, hw.accumulator_bits);
}

}  // namespace deepchip::sim
