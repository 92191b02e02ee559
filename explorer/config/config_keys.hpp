// Every config key, declared once (explorer/config/key_table.cpp, in the form of key_decl.hpp): the lookups,
// validation, `dse --list-keys`, configs/keys.md and configs/schema.json all read that table.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "explorer/config/key_decl.hpp"

namespace deepchip::explorer {

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

std::string list_keys_text();
std::string list_keys_markdown();  // configs/keys.md (key_reference.cpp)
nlohmann::json schema_json();

}  // namespace deepchip::explorer
