// A sweep config: its networks and axes (per-layer axes too) as a design space, its search and its
// sweep-only keys, every error at once (explorer/README.md "The sweep file").
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "explorer/config/config.hpp"
#include "explorer/config/config_checks.hpp"
#include "explorer/config/config_keys.hpp"
#include "explorer/config/identity.hpp"
#include "sim/cost/energy.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/network_io.hpp"
#include "sim/util/enum_names.hpp"

namespace deepchip::explorer {

using nlohmann::json;
using namespace checks;

namespace {

SearchSpec parse_search(Validator& v, const json& cfg) {
  const json section = v.section(cfg, "search");
  SearchSpec s;
  if (auto strategy = sim::enum_from_name<SearchStrategy>(section["strategy"].get<std::string>()))
    s.strategy = *strategy;
  s.budget = section["budget"].get<int64_t>();
  s.population = section["population"].get<int64_t>();
  s.seed = section["seed"].get<uint64_t>();
  s.sensitivity = section["sensitivity"].get<bool>();
  const std::string name = sim::name_of(s.strategy);
  if (s.strategy == SearchStrategy::kGrid && s.budget != 0)
    v.error("search.budget",
            "not used by strategy grid, which evaluates every point; choose strategy random, "
            "lhs or nsga2 to evaluate a budget of points");
  if (s.strategy != SearchStrategy::kGrid && s.budget == 0)
    v.error("search.budget", "required with strategy " + name + ": the number of points to evaluate");
  if (s.sensitivity && s.strategy != SearchStrategy::kNsga2)
    v.error("search.sensitivity", "seeds strategy nsga2 only, not " + name);
  if (s.strategy == SearchStrategy::kNsga2 && s.budget > 0 && s.population > s.budget)
    v.error("search.population", "larger than search.budget (" + std::to_string(s.budget) +
                                     "): nsga2 evaluates at least one population");
  return s;
}

}  // namespace

std::vector<PointConfig> grid_points(const SweepSpec& spec) {
  std::vector<PointConfig> points;
  const auto count = static_cast<uint64_t>(spec.space.size());
  for (uint64_t i = 0; i < count; ++i) points.push_back(spec.space.point(spec.space.grid_coords(i)));
  return points;
}

// layer_axes: one axis per (conv/fc layer, listed override key), layers in network order, keys as written.
// Its keys may be neither uniform axes nor set in quantization.layer_overrides for the same layer.
std::vector<Axis> parse_layer_axes(Validator& v, const nlohmann::ordered_json& layer_axes, const json& base,
                                   const std::vector<sim::Network>& loaded,
                                   const std::vector<std::pair<const KeyDecl*, json>>& axes) {
  std::vector<Axis> out;
  if (layer_axes.is_null()) return out;
  if (const std::string why = find_key("", "layer_axes")->check(json::parse(layer_axes.dump()));
      !why.empty()) {
    v.error("layer_axes", why);
    return out;
  }
  if (loaded.size() != 1) {
    v.error("layer_axes", "per-layer axes need exactly one network (layer names differ between networks)");
    return out;
  }
  const sim::Network& net = loaded[0];
  std::vector<std::string> layers;
  auto is_gemm_layer = [&](const std::string& name) {
    return std::any_of(net.layers.begin(), net.layers.end(),
                       [&](const sim::Layer& l) { return l.name == name && l.is_gemm(); });
  };
  if (layer_axes.contains("layers")) {
    const json named = json::parse(layer_axes["layers"].dump());
    if (!named.is_array() || named.empty())
      v.error("layer_axes.layers", "must be a non-empty list of layer names");
    for (const auto& l : named.is_array() ? named : json::array())
      if (!l.is_string() || !is_gemm_layer(l.get<std::string>()))
        v.error("layer_axes.layers", "no conv/fc layer " + l.dump() + " in network " + net.name);
  }
  for (const auto& l : net.layers)  // network order, whatever order "layers" lists them in
    if (l.is_gemm() && (!layer_axes.contains("layers") ||
                        std::count(layer_axes["layers"].begin(), layer_axes["layers"].end(), l.name) > 0))
      layers.push_back(l.name);
  std::vector<std::pair<std::string, std::vector<json>>> settings;
  std::vector<std::string> names = layer_override_keys();
  names.push_back("layers");
  for (const auto& [key, values] : layer_axes.items()) {
    if (key == "layers") continue;
    const auto& keys = layer_override_keys();
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      v.unknown_key("layer_axes", key, names);
      continue;
    }
    if (!values.is_array() || values.empty()) {
      v.error("layer_axes." + key, "must be a non-empty list of values");
      continue;
    }
    for (size_t i = 0; i < values.size(); ++i)
      if (const std::string why = find_key("quantization", key)->check(json::parse(values[i].dump()));
          !why.empty())
        v.error("layer_axes." + key + "[" + std::to_string(i) + "]", why);
    for (const auto& axis : axes)
      if (axis.first->name == key)
        v.error("layer_axes." + key, "also an axis (axes." + key + "); give it in one place");
    for (const auto& layer : layers)
      if (base["quantization"]["layer_overrides"].contains(layer) &&
          base["quantization"]["layer_overrides"][layer].contains(key))
        v.error("layer_axes." + key,
                "quantization.layer_overrides." + layer + " sets it too; give it in one place");
    settings.emplace_back(key, json::parse(values.dump()).get<std::vector<json>>());
  }
  for (const auto& layer : layers)
    for (const auto& [key, values] : settings) out.push_back({"quantization", key, values, layer});
  return out;
}

size_t sensitivity_probe_count(const DesignSpace& space) {
  std::map<std::string, size_t> combinations;
  for (size_t a = 0; a < space.axes().size(); ++a)
    if (const std::string& layer = space.axes()[a].layer; !layer.empty())
      combinations.emplace(layer, 1).first->second *= space.values(a + 1);
  size_t probes = 1;
  for (const auto& [layer, count] : combinations) probes += count - 1;
  return probes;
}

// The sensitivity stage needs per-layer axes and a budget for its probes and one generation after them.
static void check_sensitivity(const SweepSpec& spec, size_t layer_axes) {
  if (layer_axes == 0)
    throw sim::ConfigError("search.sensitivity: needs layer_axes (it probes each layer's settings alone)");
  const size_t probes = sensitivity_probe_count(spec.space);
  const auto needed = static_cast<int64_t>(probes) + spec.search.population;
  if (spec.search.budget < needed)
    throw sim::ConfigError("search.budget: " + std::to_string(spec.search.budget) +
                           " is less than the sensitivity stage's " + std::to_string(probes) +
                           " probes plus one population (" + std::to_string(needed) + ")");
}

namespace {

// Every combination of the sequence axes' values (prompt, decode steps and batch are checked together: a
// decode axis needs the prompt another axis gives), each as if it were set in the section.
void check_sequence_axes(Validator& v, const json& base,
                         const std::vector<std::pair<const KeyDecl*, json>>& axes,
                         const std::vector<std::string>& networks) {
  std::vector<std::pair<std::string, json>> sequence_axes;
  for (const auto& [decl, values] : axes)
    if (decl->section == "sequence") sequence_axes.emplace_back(decl->name, values);
  std::vector<size_t> pick(sequence_axes.size(), 0);
  for (;;) {
    json with_values = base;
    for (size_t a = 0; a < sequence_axes.size(); ++a)
      with_values["sequence"][sequence_axes[a].first] = sequence_axes[a].second[pick[a]];
    check_sequence(v, with_values, networks);
    if (!v.errors.empty()) return;
    size_t a = 0;  // the next combination, the last axis fastest
    while (a < pick.size() && ++pick[pick.size() - 1 - a] == sequence_axes[pick.size() - 1 - a].second.size())
      pick[pick.size() - 1 - a++] = 0;
    if (a == pick.size()) return;
  }
}

// The "constraints" key: {metric: {"min": a, "max": b}}, each metric known, each bound a number, min <= max.
std::vector<MetricConstraint> parse_constraints(Validator& v, const json& cfg) {
  std::vector<MetricConstraint> constraints;
  if (!cfg.contains("constraints")) return constraints;
  const json& c = cfg["constraints"];
  if (const std::string why = find_key("", "constraints")->check(c); !why.empty()) {
    v.error("constraints", why);
    return constraints;
  }
  std::vector<std::string> metrics;
  for (const auto& m : metric_docs()) metrics.push_back(m.name);
  for (const auto& [metric, bounds] : c.items()) {
    const std::string at = "constraints." + metric;
    if (!is_metric(metric)) {
      v.unknown_key("constraints", metric, metrics);
      continue;
    }
    if (!bounds.is_object() || bounds.empty()) {
      v.error(at, "must be an object with \"min\" and/or \"max\", got " + bounds.dump());
      continue;
    }
    MetricConstraint mc{metric, std::nullopt, std::nullopt};
    for (const auto& [bound, value] : bounds.items()) {
      if (bound != "min" && bound != "max") {
        v.unknown_key(at, bound, {"min", "max"});
      } else if (!value.is_number() || !std::isfinite(value.get<double>())) {
        v.error(at + "." + bound, "must be a finite number, got " + value.dump());
      } else {
        (bound == "min" ? mc.min : mc.max) = value.get<double>();
      }
    }
    if (mc.min && mc.max && *mc.min > *mc.max)
      v.error(at, "min " + bounds["min"].dump() + " is above max " + bounds["max"].dump());
    constraints.push_back(mc);
  }
  return constraints;
}

// Silicon metrics (area, power, throughput per area) need the technology table's silicon section, unless
// every point is an ARM+FPGA system (whose area objective is its resource use).
void check_silicon_metrics(Validator& v, const SweepSpec& spec, const json& base) {
  if (!v.errors.empty() || base["soc"]["device"] != kNoDevice) return;
  const std::string table = base["energy_table"].get<std::string>();
  if (sim::load_energy_table(table).silicon) return;
  std::vector<std::string> silicon = {"throughput_per_s_per_mm2"};
  for (const auto& d : sim::silicon_docs()) silicon.push_back(d.name);
  auto needs_silicon = [&](const std::string& metric) {
    return std::find(silicon.begin(), silicon.end(), metric) != silicon.end();
  };
  for (const auto& o : spec.objectives)
    if (needs_silicon(objective_decl(o).column))
      v.error("objectives", o + " needs the silicon section of the technology table, which " + table +
                                " does not have (configs/tech/45nm.json has one)");
  for (const auto& c : spec.constraints)
    if (needs_silicon(c.metric))
      v.error("constraints." + c.metric, "needs the silicon section of the technology table, which " + table +
                                             " does not have (configs/tech/45nm.json has one)");
}

}  // namespace

SweepSpec parse_sweep(const nlohmann::ordered_json& ordered, const std::string& config_path) {
  const json cfg = json::parse(ordered.dump());
  Validator v;
  if (!cfg.is_object()) throw sim::ConfigError(config_path + ": the config must be a JSON object");
  std::vector<std::string> allowed = sweep_only_keys();
  allowed.insert(allowed.end(), {"seed", "energy_table"});
  allowed.insert(allowed.end(), section_names().begin(), section_names().end());
  check_keys(v, cfg, allowed);
  SweepSpec spec;
  spec.search = parse_search(v, cfg);
  json base = top_level(v, cfg, config_path);
  for (const auto& name : section_names()) base[name] = v.section(cfg, name);
  spec.objectives = sweep_key(v, cfg, "objectives").get<std::vector<std::string>>();
  spec.constraints = parse_constraints(v, cfg);
  spec.time_limit_s = sweep_key(v, cfg, "time_limit_s").get<double>();
  spec.worker_memory_limit_mib = sweep_key(v, cfg, "worker_memory_limit_mib").get<int64_t>();
  spec.verify = enum_value<VerifyPolicy>(sweep_key(v, cfg, "verify"));
  std::vector<std::string> networks;
  std::vector<sim::Network> loaded;
  const KeyDecl& networks_key = *find_key("", "networks");
  const std::string networks_problem =
      cfg.contains("networks") ? networks_key.check(cfg["networks"]) : networks_key.check(json());
  if (!networks_problem.empty()) {
    v.error("networks", networks_problem);
  } else {
    for (size_t i = 0; i < cfg["networks"].size(); ++i) {
      const std::string path = "networks[" + std::to_string(i) + "]";
      if (auto net = check_network(v, cfg["networks"][i], path, config_path)) loaded.push_back(*net);
      if (cfg["networks"][i].is_string())
        networks.push_back(resolve_network(cfg["networks"][i].get<std::string>(), config_path));
    }
  }
  check_override_layers(v, base["quantization"], loaded);
  check_soc(v, base, loaded);
  check_sequence(v, base, networks);
  if (v.errors.empty() && loaded.size() == networks.size()) check_noise(v, base, networks, loaded);
  if (v.errors.empty() && loaded.size() == networks.size())
    for (size_t i = 0; i < networks.size(); ++i) check_dataset(v, base["accuracy"], networks[i], loaded[i]);
  std::vector<std::pair<const KeyDecl*, json>> axes;
  if (cfg.contains("axes")) {
    if (const std::string why = find_key("", "axes")->check(cfg["axes"]); !why.empty())
      v.error("axes", why);
    else
      for (const auto& [name, ordered_values] : ordered["axes"].items()) {
        const json values = json::parse(ordered_values.dump());
        const KeyDecl* d = find_axis_key(name);
        const KeyDecl* listed = nullptr;
        for (const auto& section : section_names())
          if (const KeyDecl* k = find_key(section, name)) listed = k;
        if (!d && listed) {
          v.error("axes." + name, "a per-layer setting cannot be an axis; set it in " + listed->path());
          continue;
        }
        if (!d) {
          std::vector<std::string> names;
          for (const auto& k : key_decls())
            if (is_point_section(k.section)) names.push_back(k.name);
          v.unknown_key("axes", name, names);
          continue;
        }
        if (cfg.contains(d->section) && cfg[d->section].is_object() && cfg[d->section].contains(name))
          v.error("axes." + name, "also set in " + d->path() + "; give it in one place");
        if (!values.is_array() || values.empty()) {
          v.error("axes." + name, "must be a non-empty list of values");
          continue;
        }
        for (size_t i = 0; i < values.size(); ++i) {
          const std::string why = d->check(values[i]);
          if (!why.empty()) v.error("axes." + name + "[" + std::to_string(i) + "]", why);
        }
        axes.emplace_back(d, values);
        spec.axis_names.push_back(name);
      }
  }
  const std::vector<Axis> layer_axes =
      parse_layer_axes(v, ordered.contains("layer_axes") ? ordered["layer_axes"] : nlohmann::ordered_json(),
                       base, loaded, axes);
  if (spec.search.strategy == SearchStrategy::kGrid) {
    auto all_axes = axes;
    for (const auto& a : layer_axes) all_axes.emplace_back(find_key("quantization", a.name), json(a.values));
    check_grid_size(v, networks.size(), all_axes);
  }
  for (const auto& [decl, values] : axes)  // each value of a noise axis as if it were set in the section
    for (size_t i = 0; i < values.size() && decl->section == "noise" && v.errors.empty(); ++i) {
      json with_value = base;
      with_value["noise"][decl->name] = values[i];
      if (loaded.size() == networks.size()) check_noise(v, with_value, networks, loaded);
    }
  if (v.errors.empty()) check_sequence_axes(v, base, axes, networks);
  check_silicon_metrics(v, spec, base);
  if (v.errors.empty()) check_sram_sizes(v, base);
  for (const auto& [decl, values] : axes)
    for (size_t i = 0; i < values.size() && v.errors.empty(); ++i)
      if (decl->section == "hardware" && decl->name.size() > 11 &&
          decl->name.compare(decl->name.size() - 11, 11, "_buffer_kib") == 0)
        check_sram_size(v, base["energy_table"].get<std::string>(),
                        "axes." + decl->name + "[" + std::to_string(i) + "]", values[i]);
  if (!v.errors.empty()) throw sim::ConfigError(v.errors);

  std::vector<Axis> space_axes;
  for (const auto& [decl, values] : axes)
    space_axes.push_back({decl->section, decl->name, values.get<std::vector<json>>(), ""});
  for (const auto& a : layer_axes) {
    space_axes.push_back(a);
    spec.axis_names.push_back(a.label());
  }
  spec.space = DesignSpace(base, networks, std::move(space_axes), spec.constraints);
  spec.identity = sweep_dimensions(spec.space).dump();
  spec.warnings = v.warnings;
  if (spec.search.sensitivity) check_sensitivity(spec, layer_axes.size());
  if (spec.search.strategy != SearchStrategy::kGrid &&
      static_cast<long double>(spec.search.budget) > spec.space.size())
    throw sim::ConfigError("search.budget: " + std::to_string(spec.search.budget) +
                           " is more than the design space's " +
                           std::to_string(static_cast<uint64_t>(spec.space.size())) + " points");
  return spec;
}

}  // namespace deepchip::explorer

namespace deepchip::sim {
template <>
const EnumNames<explorer::SearchStrategy>& enum_names() {
  static const EnumNames<explorer::SearchStrategy> names = {{explorer::SearchStrategy::kGrid, "grid"},
                                                            {explorer::SearchStrategy::kRandom, "random"},
                                                            {explorer::SearchStrategy::kLhs, "lhs"},
                                                            {explorer::SearchStrategy::kNsga2, "nsga2"}};
  return names;
}
template <>
const EnumNames<explorer::VerifyPolicy>& enum_names() {
  static const EnumNames<explorer::VerifyPolicy> names = {{explorer::VerifyPolicy::kPareto, "pareto"},
                                                          {explorer::VerifyPolicy::kAll, "all"}};
  return names;
}
}  // namespace deepchip::sim
