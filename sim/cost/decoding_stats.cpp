#include "sim/cost/decoding_stats.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "sim/zoo/decoder.hpp"

namespace deepchip::sim {

namespace {

// The KV cache's bytes after each decode step: keys and values of every token so far, every layer.
std::vector<int64_t> cache_bytes_after_steps(const QuantModel& model, int steps) {
  std::vector<int64_t> bytes(static_cast<size_t>(steps), 0);
  for (const auto& l : model.net.layers) {
    const int step = l.cache_append ? decoding_phase(l.name) : -1;
    if (step >= 0 && step < steps)
      bytes[static_cast<size_t>(step)] += packed_bytes(l.out_shape.elements(), model.config.activation_bits);
  }
  return bytes;
}

// What the weight DMA must read of every layer: its codes or Huffman stream (scales and code tables stay
// with the controller).
int64_t weight_stream_bytes(const QuantModel& model) {
  int64_t bits = 0;
  for (const auto& [name, storage] : model.storage)
    bits += storage.stored_bits - storage.scale_bits - storage.table_bits;
  return (bits + 7) / 8;
}

void finish_phase(LayerStats& s, const HardwareConfig& hw) {
  const double pe_cycles = static_cast<double>(hw.array_rows) * hw.array_cols * static_cast<double>(s.cycles);
  s.utilization = pe_cycles > 0 ? static_cast<double>(s.macs) / pe_cycles : 0.0;
}

DecodingSummary::Step step_of(const LayerStats& s, int64_t bound_cycles) {
  DecodingSummary::Step st;
  st.cycles = s.cycles;
  st.macs = s.macs;
  st.utilization = s.utilization;
  st.stall_cycles = s.stall_cycles;
  st.dram_weight_read_bytes = s.dram_weight_read_bytes;
  st.dram_kv_read_bytes = s.dram_kv_read_bytes;
  st.dram_kv_write_bytes = s.dram_kv_write_bytes;
  st.dram_other_bytes = s.dram_input_read_bytes + s.dram_operand_read_bytes + s.dram_psum_read_bytes +
                        s.dram_psum_write_bytes + s.dram_output_write_bytes;
  st.memory_bound_cycles = bound_cycles;
  st.energy_pj = static_cast<int64_t>(std::llround(s.energy_total_pj));
  st.golden_match = s.golden_match ? 1 : 0;
  return st;
}

}  // namespace

std::optional<DecodingSummary> summarize_decoding(const std::vector<LayerStats>& layers,
                                                  const QuantModel& model, const HardwareConfig& hw) {
  if (model.net.inputs.empty() || model.net.inputs[0].name != "prefill/input") return std::nullopt;
  DecodingSummary d;
  d.batch = model.net.inputs[0].shape.height;
  d.prompt_tokens = model.net.inputs[0].shape.width;
  d.decode_tokens = static_cast<int>(model.net.inputs.size()) - 1;
  std::vector<LayerStats> steps(static_cast<size_t>(d.decode_tokens));
  for (auto& st : steps) st.golden_match = true;
  d.prefill.golden_match = true;
  for (const auto& l : layers) {
    const int phase = decoding_phase(l.name);
    if (phase == -1) {
      d.prefill.add(l);
      d.prefill.golden_match = d.prefill.golden_match && l.golden_match;
    }
    if (phase >= 0) {
      LayerStats& st = steps[static_cast<size_t>(phase)];
      st.add(l);
      st.golden_match = st.golden_match && l.golden_match;
    }
  }
  finish_phase(d.prefill, hw);
  const int64_t weights = weight_stream_bytes(model);
  const std::vector<int64_t> cache_bytes = cache_bytes_after_steps(model, d.decode_tokens);
  d.decode_bound_ratio_min = 0;
  for (int s = 0; s < d.decode_tokens; ++s) {
    LayerStats& st = steps[static_cast<size_t>(s)];
    finish_phase(st, hw);
    d.decode.add(st);
    const auto bound =
        static_cast<int64_t>(std::ceil(static_cast<double>(weights + cache_bytes[static_cast<size_t>(s)]) /
                                       hw.dram_bandwidth_bytes_per_cycle));
    d.steps.push_back(step_of(st, bound));
    const double ratio = static_cast<double>(st.cycles) / static_cast<double>(std::max<int64_t>(bound, 1));
    d.decode_bound_ratio_min = s == 0 ? ratio : std::min(d.decode_bound_ratio_min, ratio);
  }
  finish_phase(d.decode, hw);
  d.prefill_cycles = d.prefill.cycles;
  d.time_to_first_token_s = static_cast<double>(d.prefill_cycles) / hw.clock_hz;
  d.decode_cycles = d.decode.cycles;
  d.decode_utilization = d.decode.utilization;
  if (d.decode_tokens > 0) {
    const double tokens = static_cast<double>(d.batch) * d.decode_tokens;
    d.decode_cycles_per_step = static_cast<double>(d.decode_cycles) / d.decode_tokens;
    d.decode_tokens_per_s =
        d.decode_cycles > 0 ? tokens * hw.clock_hz / static_cast<double>(d.decode_cycles) : 0;
    d.decode_energy_per_token_pj = d.decode.energy_total_pj / tokens;
  }
  return d;
}

std::vector<LayerStats> sum_decode_steps(const std::vector<LayerStats>& layers, const HardwareConfig& hw) {
  std::vector<LayerStats> out;
  std::map<std::string, size_t> decode_row;  // by the layer's name in the model
  for (const auto& l : layers) {
    if (decoding_phase(l.name) < 0) {
      out.push_back(l);
      continue;
    }
    const std::string name = "decode/" + l.name.substr(l.name.find('/') + 1);
    const auto [it, first] = decode_row.emplace(name, out.size());
    if (first) {
      out.push_back(l);
      out.back().name = name;
      continue;
    }
    LayerStats& sum = out[it->second];
    sum.add(l);
    sum.golden_match = sum.golden_match && l.golden_match;
  }
  for (const auto& [name, row] : decode_row) finish_phase(out[row], hw);
  return out;
}

nlohmann::json to_json(const DecodingSummary& s) {
  nlohmann::json j;
  j["prompt_tokens"] = s.prompt_tokens;
  j["decode_tokens"] = s.decode_tokens;
  j["batch"] = s.batch;
  s.visit_fields([&](const char* name, auto value, const char*, const char*) { j[name] = value; });
  j["prefill"] = to_json(s.prefill);
  j["decode"] = to_json(s.decode);
  nlohmann::json& steps = j["steps"];  // one array per series
#define DEEPCHIP_STEP_SERIES(type, name, unit, doc) \
  steps[#name] = nlohmann::json::array();           \
  for (const auto& st : s.steps) steps[#name].push_back(st.name);
  DEEPCHIP_DECODING_STEP_FIELDS(DEEPCHIP_STEP_SERIES)
#undef DEEPCHIP_STEP_SERIES
  return j;
}

DecodingSummary decoding_from_json(const nlohmann::json& j) {
  DecodingSummary s;
  s.prompt_tokens = j.value("prompt_tokens", 0);
  s.decode_tokens = j.value("decode_tokens", 0);
  s.batch = j.value("batch", 1);
#define DEEPCHIP_READ_DECODING(type, name, unit, doc) s.name = j.value(#name, type{});
  DEEPCHIP_DECODING_FIELDS(DEEPCHIP_READ_DECODING)
#undef DEEPCHIP_READ_DECODING
  if (j.contains("prefill")) s.prefill = layer_stats_from_json(j["prefill"]);
  if (j.contains("decode")) s.decode = layer_stats_from_json(j["decode"]);
  const nlohmann::json steps = j.value("steps", nlohmann::json::object());
  const size_t n = steps.contains("cycles") ? steps["cycles"].size() : 0;
  s.steps.resize(n);
#define DEEPCHIP_READ_STEP(type, name, unit, doc)                                    \
  for (size_t i = 0; i < n && steps.contains(#name) && i < steps[#name].size(); ++i) \
    s.steps[i].name = steps[#name][i].get<type>();
  DEEPCHIP_DECODING_STEP_FIELDS(DEEPCHIP_READ_STEP)
#undef DEEPCHIP_READ_STEP
  return s;
}

std::vector<FieldDoc> decoding_docs() {
  std::vector<FieldDoc> docs;
  DecodingSummary{}.visit_fields([&](const char* name, auto, const char* unit, const char* doc) {
    docs.push_back({name, unit, doc});
  });
  return docs;
}

}  // namespace deepchip::sim
