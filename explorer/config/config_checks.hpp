// The checks of a config shared by a design point (config.cpp) and a sweep (sweep_config.cpp): the
// Validator that collects every error with its key path, the sections filled with their defaults, and the
// checks of networks, datasets, noise, decoding and the ARM+FPGA system against each other. Internal to
// explorer/config/.
#pragma once
#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "explorer/config/config_keys.hpp"
#include "sim/ir/network.hpp"
#include "sim/util/suggest.hpp"

namespace deepchip::explorer::checks {

using nlohmann::json;

class Validator {
 public:
  std::vector<std::string> errors;
  std::vector<std::string> warnings;  // what runs but deserves a look (dse prints "dse: warning: ...")
  void error(const std::string& path, const std::string& what) { errors.push_back(path + ": " + what); }
  void warning(const std::string& path, const std::string& what) { warnings.push_back(path + ": " + what); }

  // "unknown key", with the nearest allowed name, or else where a key of that name lives ("array_rows" at
  // the top level: hardware.array_rows), or the allowed name a dotted key ends in
  // (axes."hardware.array_rows").
  void unknown_key(const std::string& path, const std::string& key, const std::vector<std::string>& allowed) {
    const std::string at = path.empty() ? key : path + "." + key;
    auto s = sim::suggest(key, allowed);
    const auto dot = key.rfind('.');
    if (!s && dot != std::string::npos &&
        std::find(allowed.begin(), allowed.end(), key.substr(dot + 1)) != allowed.end())
      s = key.substr(dot + 1);
    if (!s) s = misplaced_key(at, key);
    error(at, "unknown key" + (s ? " (did you mean '" + *s + "'?)" : std::string()));
  }
  // The declared keys named `key` at another path than `at`, as "a.key" or "a.key' or 'b.key".
  static std::optional<std::string> misplaced_key(const std::string& at, const std::string& key) {
    std::string paths;
    for (const auto& d : key_decls())
      if (d.name == key && d.path() != at) paths += (paths.empty() ? "" : "' or '") + d.path();
    return paths.empty() ? std::nullopt : std::optional<std::string>(paths);
  }

  // Per-layer overrides: {layer: {key: value}}, each value checked against the key's declaration.
  json layer_map(const json& map, const std::string& path) {
    json out = json::object();
    for (const auto& [layer, settings] : map.items()) {
      const std::string where = path + "." + layer;
      out[layer] = settings;  // kept even when invalid, so that the layer name is checked too
      if (!settings.is_object() || settings.empty()) {
        error(where, "must be a non-empty object of settings (" + join(layer_override_keys()) + ")");
        continue;
      }
      for (const auto& [key, value] : settings.items()) {
        const auto& allowed = layer_override_keys();
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
          unknown_key(where, key, allowed);
          continue;
        }
        const std::string why = find_key("quantization", key)->check(value);
        if (!why.empty()) error(where + "." + key, why);
      }
      out[layer] = settings;
    }
    return out;
  }
  static std::string join(const std::vector<std::string>& items) {
    std::string s;
    for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
    return s;
  }

  // Checks a hardware/quantization section and returns it with defaults filled in.
  json section(const json& cfg, const std::string& name) {
    json filled = json::object();
    std::vector<std::string> names;
    for (const auto& d : key_decls())
      if (d.section == name) {
        names.push_back(d.name);
        filled[d.name] = d.default_value;
      }
    if (!cfg.contains(name)) return filled;
    const json& s = cfg[name];
    if (!s.is_object()) {
      error(name, "must be an object");
      return filled;
    }
    for (const auto& [key, value] : s.items()) {
      const KeyDecl* d = find_key(name, key);
      if (!d) {
        unknown_key(name, key, names);
        continue;
      }
      const std::string why = d->check(value);
      if (!why.empty())
        error(d->path(), why);
      else if (d->type == KeyType::kLayerMap)
        filled[key] = layer_map(value, d->path());
      else
        filled[key] = value;
    }
    return filled;
  }
};

// A path relative to the config file (then to the repository), as written when it is absolute.
std::string resolve_path(const std::string& ref, const std::string& config_path);
// Zoo names stay as they are; anything that looks like a network file is resolved like other paths.
std::string resolve_network(const std::string& ref, const std::string& config_path);
// Loads the network now so that a bad network file is reported before anything runs.
std::optional<sim::Network> check_network(Validator& v, const json& value, const std::string& path,
                                          const std::string& config_path);
void check_override_layers(Validator& v, const json& quantization, const std::vector<sim::Network>& networks);
void check_dataset(Validator& v, const json& accuracy, const std::string& network, const sim::Network& net);
void check_noise(Validator& v, const json& e, const std::vector<std::string>& network_names,
                 const std::vector<sim::Network>& networks);
void check_sequence(Validator& v, const json& e, const std::vector<std::string>& network_names);
void check_soc(Validator& v, const json& e, const std::vector<sim::Network>& networks);
// A buffer size (`path`: hardware.*_buffer_kib or an axis value of it) against the energy table's SRAM
// points: beyond its largest SRAM area an error (with the reading as bytes when that fits), outside the
// points of its access energy or area a warning (extrapolated along the end segment).
void check_sram_size(Validator& v, const std::string& table, const std::string& path, const json& kib);
// Every buffer size of the hardware section `e["hardware"]` by check_sram_size.
void check_sram_sizes(Validator& v, const json& e);
// The top-level keys every point has (seed, energy_table) and the sections, with defaults filled in.
json top_level(Validator& v, const json& cfg, const std::string& config_path);
void check_grid_size(Validator& v, size_t networks, const std::vector<std::pair<const KeyDecl*, json>>& axes);
// A sweep-only top-level key, checked against its declaration (its default when absent or invalid).
json sweep_key(Validator& v, const json& cfg, const char* key);
void check_keys(Validator& v, const json& cfg, const std::vector<std::string>& allowed);

}  // namespace deepchip::explorer::checks
