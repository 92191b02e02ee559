// One config key: section, name, type, unit, default (or required), range, doc, and the field of the typed
// point it fills (explorer/README.md "The sweep file"). Declared with named builders, e.g.
//   KeyDecl::integer("hardware", "array_rows", 1,
//   512).unit("PE").def(32).doc("...").fills(hw(&HW::array_rows))
// Validation, `dse --list-keys`, the JSON schema and filling the typed point all read these declarations.
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "sim/util/enum_names.hpp"

namespace deepchip::explorer {

struct PointConfig;

// kNetworkList: a sweep's networks (each as for `network`); kAxes: the sweep's axes, an object of
// {key of a section: [values]} whose value schemas are the keys' own; kLayerAxes: per-layer axes, an object
// of {layer override key: [values]} and an optional "layers": [names]; kConstraints: {metric: {"min": a,
// "max": b}} (explorer/config/objectives.hpp).
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
  kLayerAxes,
  kConstraints
};

// Sets the typed point's field(s) from the key's validated value.
using Fill = std::function<void(const nlohmann::json& value, PointConfig& point)>;

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
  Fill fill;  // null for the keys of a sweep, and for the soc and sequence sections (resolved as a whole)

  static KeyDecl of(std::string section, std::string name, KeyType type);
  static KeyDecl integer(std::string section, std::string name, double lo, double hi);
  static KeyDecl number(std::string section, std::string name, double lo, double hi);
  static KeyDecl choice(std::string section, std::string name, std::vector<std::string> choices);
  static KeyDecl choice_list(std::string section, std::string name, std::vector<std::string> choices);
  KeyDecl&& unit_is(std::string u) && { return unit = std::move(u), std::move(*this); }
  KeyDecl&& def(nlohmann::json v) && { return default_value = std::move(v), std::move(*this); }
  KeyDecl&& doc_is(std::string d) && { return doc = std::move(d), std::move(*this); }
  KeyDecl&& except(std::vector<double> values) && { return excluded = std::move(values), std::move(*this); }
  KeyDecl&& sweep_key() && { return sweep_only = true, std::move(*this); }
  KeyDecl&& fills(Fill f) && { return fill = std::move(f), std::move(*this); }

  std::string path() const { return section.empty() ? name : section + "." + name; }
  // Empty if `value` is valid, else the problem ("must be an integer in 1..512, got -4").
  std::string check(const nlohmann::json& value) const;
};

// A validated value into a field: enums through their name tables (sim/util/enum_names.hpp).
template <typename T>
void assign(T& field, const nlohmann::json& value) {
  if constexpr (std::is_enum_v<T>) {
    const auto e = sim::enum_from_name<T>(value.get<std::string>());
    if (!e) throw std::logic_error("unvalidated choice " + value.dump());
    field = *e;
  } else {
    field = value.get<T>();
  }
}

template <typename E>
E enum_value(const nlohmann::json& value) {
  E e{};
  assign(e, value);
  return e;
}

// Fills of one member of the point, or of one of its parts.
template <auto Member>
Fill to_point() {
  return [](const nlohmann::json& v, PointConfig& p) { assign(p.*Member, v); };
}
template <auto Part, auto Member>
Fill to_part() {
  return [](const nlohmann::json& v, PointConfig& p) { assign(p.*Part.*Member, v); };
}

}  // namespace deepchip::explorer
