#include "explorer/run/verify.hpp"

namespace deepchip::explorer {

namespace {

using nlohmann::json;

json comparable(const json& stats) {
  json j = stats;
  j.erase("golden_match");
  return j;
}

std::string first_difference(const std::string& where, const json& a, const json& b) {
  for (const auto& [key, value] : a.items())
    if (!b.contains(key) || b[key] != value)
      return where + key + " " + value.dump() + " vs " + (b.contains(key) ? b[key].dump() : "absent");
  for (const auto& [key, value] : b.items())
    if (!a.contains(key)) return where + key + " absent vs " + value.dump();
  return "";
}

}  // namespace

std::string stats_difference(const sim::PointResult& a, const sim::PointResult& b) {
  const json ja = sim::to_json(a), jb = sim::to_json(b);
  if (ja["ok"] != jb["ok"]) return "ok " + ja["ok"].dump() + " vs " + jb["ok"].dump();
  if (ja["seconds"] != jb["seconds"])
    return "seconds " + ja["seconds"].dump() + " vs " + jb["seconds"].dump();
  if (ja["layers"].size() != jb["layers"].size()) return "number of layers";
  for (size_t i = 0; i < ja["layers"].size(); ++i) {
    const std::string d = first_difference("layer " + ja["layers"][i]["name"].get<std::string>() + ": ",
                                           comparable(ja["layers"][i]), comparable(jb["layers"][i]));
    if (!d.empty()) return d;
  }
  const std::string total = first_difference("total: ", comparable(ja["total"]), comparable(jb["total"]));
  if (!total.empty()) return total;
  if (ja.contains("soc") != jb.contains("soc")) return "soc summary present in one only";
  return ja.contains("soc") ? first_difference("soc: ", ja["soc"], jb["soc"]) : "";
}

sim::PointResult verified_result(const sim::PointResult& timing, const sim::PointResult& executed) {
  if (!executed.ok) {
    sim::PointResult r = executed;
    r.reason = "verification run failed: " + r.reason;
    return r;
  }
  const std::string difference = stats_difference(timing, executed);
  if (difference.empty()) return executed;
  sim::PointResult r = executed;
  r.ok = false;
  r.reason = "verification: the executed run and the timing run differ (timing vs executed) in " + difference;
  return r;
}

}  // namespace deepchip::explorer
