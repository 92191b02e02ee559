// Checks shared by the technology table's sections (sim/cost/energy.cpp, sim/cost/silicon.cpp): each problem
// is appended to `errors` as "<prefix><key>: ...", where `prefix` leads the key's path ("table.json: " or
// "table.json: soc.").
#pragma once
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace deepchip::sim {

// The "source" citation of a table or section: required, a non-empty string.
inline std::string source_of(const nlohmann::json& j, const std::string& prefix,
                             std::vector<std::string>& errors) {
  if (!j.contains("source") || !j["source"].is_string() || j["source"].get<std::string>().empty()) {
    errors.push_back(prefix + "source: required (cite where the numbers come from)");
    return "";
  }
  return j["source"].get<std::string>();
}

inline void unknown_keys(const nlohmann::json& j, const std::string& prefix,
                         const std::set<std::string>& allowed, std::vector<std::string>& errors) {
  for (const auto& [key, value] : j.items()) {
    (void)value;
    if (!allowed.count(key)) errors.push_back(prefix + key + ": unknown key");
  }
}

}  // namespace deepchip::sim
