// Every config key, declared once: section, name, type, unit, default (or required), range, doc.
// Validation, `dse --list-keys` and configs/schema.json are generated from these declarations.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace deepchip::explorer {

// kNetworkList: a sweep's networks (each as for `network`); kAxes: the sweep's axes, an object of
// {key of a section: [values]} whose value schemas are the keys' own; kLayerAxes: per-layer axes, an object
// of {layer override key: [values]} and an optional "layers": [names].
enum class KeyType {
  kInteger,
  kNumber,
  kBoolean,
  kChoice,
  kString,
  kLayerMap,
  kChoiceList,
  kStringList,
  kNetworkList,
  kAxes,
  kLayerAxes
};

struct KeyDecl {
  std::string section;  // "" (top level) or one of section_names()
  std::string name;     // unique across sections: sweep axes are named by it
  KeyType type = KeyType::kInteger;
  std::string unit;
  nlohmann::json default_value;  // null: required
  double min = 0, max = 0;       // inclusive, for integers and numbers
  std::vector<std::string> choices;
  std::string doc;
  std::vector<double> excluded;  // integers inside the range that are still invalid
  bool sweep_only = false;       // a top-level key of a sweep config that a point config may not have

  std::string path() const { return section.empty() ? name : section + "." + name; }
  // Empty if `value` is valid, else the problem ("must be an integer in 1..512, got -4").
  std::string check(const nlohmann::json& value) const;
};

// The config sections whose keys may also be sweep axes: hardware, quantization, accuracy, soc.
const std::vector<std::string>& section_names();
// The sections only a sweep has, whose keys are never axes: search.
const std::vector<std::string>& sweep_section_names();
bool is_sweep_section(const std::string& section);
// One of section_names(): a section every point's effective config has.
bool is_point_section(const std::string& section);
const std::vector<KeyDecl>& key_decls();
const KeyDecl* find_key(const std::string& section, const std::string& name);
const KeyDecl* find_axis_key(const std::string& name);  // keys of the sections (no maps)
// Top-level keys of a sweep config (dse --config) that a point config (dse run) may not have (the
// declarations marked sweep_only, and the sweep sections).
const std::vector<std::string>& sweep_only_keys();
// The keys a quantization.layer_overrides entry may set.
const std::vector<std::string>& layer_override_keys();
// The closest declared name within edit distance 3, for "did you mean".
std::optional<std::string> suggest(const std::string& name, const std::vector<std::string>& candidates);

std::string list_keys_text();
nlohmann::json schema_json();

}  // namespace deepchip::explorer
