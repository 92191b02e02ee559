#include "sim/stats.hpp"

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

nlohmann::json to_json(const LayerStats& s) {
  nlohmann::json j;
  j["name"] = s.name;
  j["kind"] = s.kind;
  j["golden_match"] = s.golden_match;
  s.visit_fields([&](const char* name, auto value, const char*, const char*) { j[name] = value; });
  return j;
}

namespace {
LayerStats layer_from_json(const nlohmann::json& j) {
  LayerStats s;
  s.name = j.value("name", "");
  s.kind = j.value("kind", "");
  s.golden_match = j.value("golden_match", false);
#define DEEPCHIP_READ_FIELD(type, field, unit, doc) s.field = j.value(#field, type{});
  DEEPCHIP_LAYER_STAT_FIELDS(DEEPCHIP_READ_FIELD)
#undef DEEPCHIP_READ_FIELD
  return s;
}
}  // namespace

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
    const SocSummary& s = *r.soc;
    j["soc"] = {
        {"device", s.device},
        {"arm", s.arm},
        {"strategy", s.strategy},
        {"objective", s.objective},
        {"arm_layers", s.arm_layers},
        {"fpga_cycles", s.fpga_cycles},
        {"arm_cycles", s.arm_cycles},
        {"transfer_bytes", s.transfer_bytes},
        {"predicted_seconds", s.predicted_seconds},
        {"used",
         {{"luts", s.luts}, {"ffs", s.ffs}, {"bram36", s.bram36}, {"uram", s.uram}, {"dsps", s.dsps}}},
        {"available",
         {{"luts", s.luts_available},
          {"ffs", s.ffs_available},
          {"bram36", s.bram36_available},
          {"uram", s.uram_available},
          {"dsps", s.dsps_available}}}};
  }
  return j;
}

PointResult point_result_from_json(const nlohmann::json& j) {
  PointResult r;
  r.ok = j.value("ok", false);
  r.reason = j.value("reason", "");
  r.golden_match = j.value("golden_match", false);
  r.verified = j.value("verified", false);
  r.seconds = j.value("seconds", 0.0);
  if (j.contains("total")) r.total = layer_from_json(j["total"]);
  if (j.contains("layers"))
    for (const auto& l : j["layers"]) r.layers.push_back(layer_from_json(l));
  if (j.contains("soc")) {
    const auto& js = j["soc"];
    SocSummary s;
    s.device = js.value("device", "");
    s.arm = js.value("arm", "");
    s.strategy = js.value("strategy", "");
    s.objective = js.value("objective", "");
    s.arm_layers = js.value("arm_layers", std::vector<std::string>{});
    s.fpga_cycles = js.value("fpga_cycles", int64_t{0});
    s.arm_cycles = js.value("arm_cycles", int64_t{0});
    s.transfer_bytes = js.value("transfer_bytes", int64_t{0});
    s.predicted_seconds = js.value("predicted_seconds", 0.0);
    const auto& u = js["used"];
    const auto& a = js["available"];
    s.luts = u.value("luts", int64_t{0}), s.ffs = u.value("ffs", int64_t{0});
    s.bram36 = u.value("bram36", int64_t{0}), s.uram = u.value("uram", int64_t{0});
    s.dsps = u.value("dsps", int64_t{0});
    s.luts_available = a.value("luts", int64_t{0}), s.ffs_available = a.value("ffs", int64_t{0});
    s.bram36_available = a.value("bram36", int64_t{0}), s.uram_available = a.value("uram", int64_t{0});
    s.dsps_available = a.value("dsps", int64_t{0});
    r.soc = s;
  }
  return r;
}

}  // namespace deepchip::sim
