#include "explorer/config/config_keys.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>

#include "explorer/config/config.hpp"
#include "sim/util/enum_names.hpp"

namespace deepchip::explorer {

using nlohmann::json;

namespace {

std::string format_number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

const std::vector<std::string>& section_names() {
  static const std::vector<std::string> names = {"hardware", "quantization", "accuracy",
                                                 "noise",    "soc",          "sequence"};
  return names;
}

const std::vector<std::string>& sweep_section_names() {
  static const std::vector<std::string> names = {"search"};
  return names;
}

bool is_sweep_section(const std::string& section) {
  const auto& names = sweep_section_names();
  return std::find(names.begin(), names.end(), section) != names.end();
}

bool is_point_section(const std::string& section) {
  const auto& names = section_names();
  return std::find(names.begin(), names.end(), section) != names.end();
}

const KeyDecl* find_key(const std::string& section, const std::string& name) {
  for (const auto& d : key_decls())
    if (d.section == section && d.name == name) return &d;
  return nullptr;
}

const KeyDecl* find_axis_key(const std::string& name) {
  for (const auto& d : key_decls())
    if (!d.section.empty() && !is_sweep_section(d.section) && d.name == name &&
        d.type != KeyType::kLayerMap && d.type != KeyType::kStringList)
      return &d;
  return nullptr;
}

const std::vector<std::string>& sweep_only_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const auto& d : key_decls())
      if (d.sweep_only) k.push_back(d.name);
    for (const auto& name : sweep_section_names()) k.push_back(name);
    return k;
  }();
  return keys;
}

const std::vector<std::string>& layer_override_keys() {
  static const std::vector<std::string> keys = {"weight_format", "weight_bits", "sparsity"};
  return keys;
}

std::string KeyDecl::check(const json& v) const {
  switch (type) {
    case KeyType::kInteger: {
      // A JSON integer: 8.0 or 1e3 is a float however it looks (one spelling per value, as in network files).
      const bool is_int = v.is_number_integer();
      const bool excluded_value =
          is_int && std::find(excluded.begin(), excluded.end(), v.get<double>()) != excluded.end();
      if (!is_int || v.get<double>() < min || v.get<double>() > max || excluded_value) {
        std::string range = "must be an integer in " + format_number(min) + ".." + format_number(max);
        for (double x : excluded) range += " except " + format_number(x);
        return range + ", got " + v.dump();
      }
      return "";
    }
    case KeyType::kNumber:
      if (!v.is_number() || v.get<double>() < min || v.get<double>() > max)
        return "must be a number in " + format_number(min) + ".." + format_number(max) + ", got " + v.dump();
      return "";
    case KeyType::kBoolean:
      return v.is_boolean() ? "" : "must be true or false, got " + v.dump();
    case KeyType::kString:
      return v.is_string() && !v.get<std::string>().empty() ? ""
                                                            : "must be a non-empty string, got " + v.dump();
    case KeyType::kChoice: {
      std::string list;
      for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
      if (!v.is_string() || std::find(choices.begin(), choices.end(), v.get<std::string>()) == choices.end())
        return "must be one of " + list + ", got " + v.dump();
      return "";
    }
    case KeyType::kLayerMap:
      return v.is_object() ? "" : "must be an object {layer name: {setting: value}}, got " + v.dump();
    case KeyType::kAxes:
      return v.is_object() ? "" : "must be an object of key: [values]";
    case KeyType::kLayerAxes:
      return v.is_object() ? "" : "must be an object of layer setting: [values] (and \"layers\": [names])";
    case KeyType::kConstraints:  // each entry is then checked (explorer/config/sweep_config.cpp)
      return v.is_object() ? "" : "must be an object {metric: {\"min\": number, \"max\": number}}";
    case KeyType::kNetworkList:  // each entry is then checked as a network (explorer/config/config.cpp)
      return v.is_array() && !v.empty() ? "" : "required: a non-empty list of zoo names or network files";
    case KeyType::kStringList: {
      bool valid = v.is_array();
      for (size_t i = 0; valid && i < v.size(); ++i)
        valid = v[i].is_string() && !v[i].get<std::string>().empty();
      return valid ? "" : "must be a list of layer names, got " + v.dump();
    }
    case KeyType::kChoiceList: {
      std::string list;
      for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
      bool valid = v.is_array() && !v.empty();
      for (size_t i = 0; valid && i < v.size(); ++i)
        valid = v[i].is_string() &&
                std::find(choices.begin(), choices.end(), v[i].get<std::string>()) != choices.end() &&
                std::find(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v[i]) ==
                    v.begin() + static_cast<std::ptrdiff_t>(i);
      return valid ? "" : "must be a non-empty list of distinct values from " + list + ", got " + v.dump();
    }
  }
  return "";
}

std::string list_keys_text() {
  std::ostringstream os;
  for (const auto& d : key_decls()) {
    os << d.path();
    if (!d.unit.empty()) os << " [" << d.unit << "]";
    os << "  default: " << (d.default_value.is_null() ? "(required)" : d.default_value.dump());
    if (d.type == KeyType::kInteger || d.type == KeyType::kNumber)
      os << "  range: " << format_number(d.min) << ".." << format_number(d.max);
    if (d.type == KeyType::kChoice || d.type == KeyType::kChoiceList) {
      os << "  one of:";
      for (const auto& c : d.choices) os << " " << c;
    }
    for (double x : d.excluded) os << " except " << format_number(x);
    os << "\n    " << d.doc << "\n";
  }
  return os.str();
}

json schema_json() {
  std::function<json(const KeyDecl&)> key_schema = [&](const KeyDecl& d) {
    json s;
    switch (d.type) {
      case KeyType::kInteger:
        s = {{"type", "integer"}, {"minimum", d.min}, {"maximum", d.max}};
        break;
      case KeyType::kNumber:
        s = {{"type", "number"}, {"minimum", d.min}, {"maximum", d.max}};
        break;
      case KeyType::kBoolean:
        s = {{"type", "boolean"}};
        break;
      case KeyType::kString:
        s = {{"type", "string"}, {"minLength", 1}};
        break;
      case KeyType::kChoice:
        s = {{"enum", d.choices}};
        break;
      case KeyType::kStringList:
        s = {{"type", "array"}, {"items", {{"type", "string"}, {"minLength", 1}}}};
        break;
      case KeyType::kChoiceList:
        s = {{"type", "array"}, {"minItems", 1}, {"uniqueItems", true}, {"items", {{"enum", d.choices}}}};
        break;
      case KeyType::kNetworkList:
        s = {{"type", "array"}, {"minItems", 1}, {"items", {{"type", "string"}, {"minLength", 1}}}};
        break;
      case KeyType::kAxes:  // filled below from the sections' keys
        s = {{"type", "object"}, {"additionalProperties", false}};
        break;
      case KeyType::kConstraints: {
        std::vector<std::string> metrics;
        for (const auto& m : metric_docs()) metrics.push_back(m.name);
        const json bound = {{"type", "object"},
                            {"additionalProperties", false},
                            {"minProperties", 1},
                            {"properties", {{"min", {{"type", "number"}}}, {"max", {{"type", "number"}}}}}};
        s = {{"type", "object"}, {"propertyNames", {{"enum", metrics}}}, {"additionalProperties", bound}};
        break;
      }
      case KeyType::kLayerAxes: {
        json props = {{"layers", {{"type", "array"}, {"items", {{"type", "string"}, {"minLength", 1}}}}}};
        for (const auto& k : layer_override_keys())
          props[k] = {
              {"type", "array"}, {"minItems", 1}, {"items", key_schema(*find_key("quantization", k))}};
        s = {{"type", "object"}, {"additionalProperties", false}, {"properties", props}};
        break;
      }
      case KeyType::kLayerMap: {
        json entry = {{"type", "object"}, {"additionalProperties", false}, {"properties", json::object()}};
        for (const auto& k : layer_override_keys())
          entry["properties"][k] = key_schema(*find_key("quantization", k));
        s = {{"type", "object"}, {"additionalProperties", entry}};
        break;
      }
    }
    s["description"] = d.doc + (d.unit.empty() ? "" : " [" + d.unit + "]");
    if (!d.default_value.is_null()) s["default"] = d.default_value;
    return s;
  };
  json sections = json::object();
  for (const auto& name : section_names())
    sections[name] = {{"type", "object"}, {"additionalProperties", false}, {"properties", json::object()}};
  for (const auto& name : sweep_section_names())
    sections[name] = {{"type", "object"}, {"additionalProperties", false}, {"properties", json::object()}};
  json top = json::object();
  json axes = json::object();
  for (const auto& d : key_decls()) {
    if (d.section.empty()) {
      top[d.name] = key_schema(d);
    } else {
      sections[d.section]["properties"][d.name] = key_schema(d);
      if (d.type != KeyType::kLayerMap && d.type != KeyType::kStringList && !is_sweep_section(d.section))
        axes[d.name] = {{"type", "array"}, {"minItems", 1}, {"items", key_schema(d)}};
    }
  }
  json props = top;
  for (const auto& name : section_names()) props[name] = sections[name];
  for (const auto& name : sweep_section_names()) props[name] = sections[name];
  props["axes"]["properties"] = axes;
  return {{"$schema", "http://json-schema.org/draft-07/schema#"},
          {"title", "DeepChip DSE sweep or design point"},
          {"type", "object"},
          {"additionalProperties", false},
          {"properties", props}};
}

}  // namespace deepchip::explorer
