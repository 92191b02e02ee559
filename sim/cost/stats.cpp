#include "sim/cost/stats.hpp"

namespace deepchip::sim {

void LayerStats::add(const LayerStats& o) {
#define DEEPCHIP_ADD_FIELD(type, field, unit, doc) field += o.field;
  DEEPCHIP_LAYER_STAT_FIELDS(DEEPCHIP_ADD_FIELD)
#undef DEEPCHIP_ADD_FIELD
}

std::vector<FieldDoc> layer_stat_docs() {
  std::vector<FieldDoc> docs;
  LayerStats{}.visit_fields([&](const char* name, auto, const char* unit, const char* doc) {
    docs.push_back({name, unit, doc});
  });
  return docs;
}

std::vector<FieldDoc> silicon_docs() {
  std::vector<FieldDoc> docs;
  SiliconSummary{}.visit_fields([&](const char* name, double, const char* unit, const char* doc) {
    docs.push_back({name, unit, doc});
  });
  return docs;
}

nlohmann::json to_json(const LayerStats& s) {
  nlohmann::json j;
  j["name"] = s.name;
  j["kind"] = s.kind;
  j["golden_match"] = s.golden_match;
  s.visit_fields([&](const char* name, auto value, const char*, const char*) { j[name] = value; });
  return j;
}

LayerStats layer_stats_from_json(const nlohmann::json& j) {
  LayerStats s;
  s.name = j.value("name", "");
  s.kind = j.value("kind", "");
  s.golden_match = j.value("golden_match", false);
#define DEEPCHIP_READ_FIELD(type, field, unit, doc) s.field = j.value(#field, type{});
  DEEPCHIP_LAYER_STAT_FIELDS(DEEPCHIP_READ_FIELD)
#undef DEEPCHIP_READ_FIELD
  return s;
}

void fill_storage(LayerStats& st, const WeightStorage& ws) {
  st.weight_count = ws.weights;
  st.weight_bits_stored = ws.stored_bits;
  st.compression_vs_fp32 = ws.compression_vs_fp32();
  st.weight_table_bits = ws.table_bits;
  st.bits_per_weight =
      ws.weights > 0 ? static_cast<double>(ws.stored_bits) / static_cast<double>(ws.weights) : 0.0;
}

nlohmann::json to_json(const PointResult& r) {
  nlohmann::json j;
  j["ok"] = r.ok;
  j["reason"] = r.reason;
  j["golden_match"] = r.golden_match;
  j["verified"] = r.verified;
  j["seconds"] = r.seconds;
  j["total"] = to_json(r.total);
  j["layers"] = nlohmann::json::array();
  for (const auto& l : r.layers) j["layers"].push_back(to_json(l));
  if (r.soc) {
    nlohmann::json& soc = j["soc"];
    r.soc->visit_fields([&](const char* name, const auto& value) { soc[name] = value; });
    r.soc->used.visit([&](const char* name, int64_t v) { soc["used"][name] = v; });
    r.soc->available.visit([&](const char* name, int64_t v) { soc["available"][name] = v; });
  }
  if (r.silicon) {
    nlohmann::json& si = j["silicon"];
    r.silicon->visit_fields(
        [&](const char* name, double value, const char*, const char*) { si[name] = value; });
  }
  if (r.decoding) j["decoding"] = to_json(*r.decoding);
  return j;
}

PointResult point_result_from_json(const nlohmann::json& j) {
  PointResult r;
  r.ok = j.value("ok", false);
  r.reason = j.value("reason", "");
  r.golden_match = j.value("golden_match", false);
  r.verified = j.value("verified", false);
  r.seconds = j.value("seconds", 0.0);
  if (j.contains("total")) r.total = layer_stats_from_json(j["total"]);
  if (j.contains("layers"))
    for (const auto& l : j["layers"]) r.layers.push_back(layer_stats_from_json(l));
  if (j.contains("soc")) {
    const auto& js = j["soc"];
    SocSummary s;
    s.visit_fields([&](const char* name, auto& value) {
      value = js.value(name, std::remove_reference_t<decltype(value)>{});
    });
    const auto& used = js.contains("used") ? js["used"] : nlohmann::json::object();
    const auto& available = js.contains("available") ? js["available"] : nlohmann::json::object();
    s.used.visit([&](const char* name, int64_t& v) { v = used.value(name, int64_t{0}); });
    s.available.visit([&](const char* name, int64_t& v) { v = available.value(name, int64_t{0}); });
    r.soc = s;
  }
  if (j.contains("silicon")) {
    SiliconSummary s;
    s.visit_fields([&](const char* name, double& value, const char*, const char*) {
      value = j["silicon"].value(name, 0.0);
    });
    r.silicon = s;
  }
  if (j.contains("decoding")) r.decoding = decoding_from_json(j["decoding"]);
  return r;
}

}  // namespace deepchip::sim
