#include "explorer/config/config.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "explorer/config/config_keys.hpp"
#include "sim/cost/energy.hpp"
#include "sim/cost/fpga.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/json_input.hpp"
#include "sim/io/network_io.hpp"
#include "sim/onnx/import.hpp"
#include "sim/util/enum_names.hpp"

#ifndef DEEPCHIP_SOURCE_DIR
#define DEEPCHIP_SOURCE_DIR "."
#endif

namespace deepchip::explorer {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

class Validator {
 public:
  std::vector<std::string> errors;
  void error(const std::string& path, const std::string& what) { errors.push_back(path + ": " + what); }

  void unknown_key(const std::string& path, const std::string& key, const std::vector<std::string>& allowed) {
    auto s = suggest(key, allowed);
    error(path.empty() ? key : path + "." + key,
          "unknown key" + (s ? " (did you mean '" + *s + "'?)" : std::string()));
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

std::string resolve_path(const std::string& ref, const std::string& config_path) {
  if (ref.empty() || fs::path(ref).is_absolute()) return ref;
  const fs::path beside = fs::path(config_path).parent_path() / ref;
  if (fs::exists(beside)) return beside.lexically_normal().string();
  const fs::path in_repo = fs::path(DEEPCHIP_SOURCE_DIR) / ref;
  if (fs::exists(in_repo)) return in_repo.lexically_normal().string();
  return beside.lexically_normal().string();
}

// Zoo names stay as they are; anything that looks like a network file is resolved like other paths.
std::string resolve_network(const std::string& ref, const std::string& config_path) {
  const std::string ext = fs::path(ref).extension().string();
  if (sim::is_zoo_name(ref) || (ext != ".json" && ext != ".csv" && ext != ".onnx")) return ref;
  return resolve_path(ref, config_path);
}

// Loads the network now so that a bad network file is reported before anything runs.
std::optional<sim::Network> check_network(Validator& v, const json& value, const std::string& path,
                                          const std::string& config_path) {
  if (!value.is_string() || value.get<std::string>().empty()) {
    v.error(path, "must be a zoo name or a network file path, got " + value.dump());
    return std::nullopt;
  }
  try {
    const std::string ref = resolve_network(value.get<std::string>(), config_path);
    if (fs::path(ref).extension() == ".onnx") return sim::load_onnx(ref).model.net;
    return sim::load_network(ref);
  } catch (const sim::InputError& e) {
    v.error(path, e.what());
  }
  return std::nullopt;
}

// Every overridden layer must be a conv/fc layer of every network the config names.
void check_override_layers(Validator& v, const json& quantization,
                           const std::vector<sim::Network>& networks) {
  for (const auto& item : quantization["layer_overrides"].items()) {
    const std::string layer = item.key();
    for (const auto& net : networks) {
      const auto it = std::find_if(net.layers.begin(), net.layers.end(),
                                   [&](const sim::Layer& l) { return l.name == layer; });
      if (it == net.layers.end() || !it->is_gemm())
        v.error("quantization.layer_overrides." + layer,
                "no conv/fc layer '" + layer + "' in network " + net.name);
    }
  }
}

// A network measured on a dataset must take its images and give one score per class; the dataset must be
// installed. Checked per network so that a sweep fails before anything runs.
void check_dataset(Validator& v, const json& accuracy, const std::string& network, const sim::Network& net) {
  const std::string dataset = resolve_dataset(network, accuracy["dataset"].get<std::string>());
  if (dataset.empty()) return;
  if (dataset != "fashion_mnist") {
    v.error("accuracy.dataset",
            network + ": its record names dataset '" + dataset + "', which is not supported");
    return;
  }
  const std::string dir = accuracy["dataset_dir"].get<std::string>();
  for (const char* file : {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                           "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"})
    if (!fs::exists(fs::path(dir) / file)) {
      v.error("accuracy.dataset_dir", dir + "/" + file +
                                          ": Fashion-MNIST not found (install the Debian package "
                                          "dataset-fashion-mnist, or set accuracy.dataset to none)");
      return;
    }
  if (net.inputs.size() != 1 || net.inputs[0].shape.height != 28 || net.inputs[0].shape.width != 28 ||
      net.inputs[0].shape.channels != 1) {
    v.error("accuracy.dataset", network + ": fashion_mnist images are 28x28x1; the network's inputs differ");
    return;
  }
  const auto outputs = net.output_names();
  if (outputs.size() != 1 || net.tensor_shape(outputs[0]).elements() != 10)
    v.error("accuracy.dataset", network + ": fashion_mnist needs one output of 10 class scores");
}

// Noise needs a dataset to measure accuracy on; its layers must be conv/fc layers of every network; the
// walk's ladder must go up.
void check_noise(Validator& v, const json& e, const std::vector<std::string>& network_names,
                 const std::vector<sim::Network>& networks) {
  const json& n = e["noise"];
  if (!n.is_object()) return;
  const bool noisy = n["additive_noise"].get<double>() > 0 || n["multiplicative_noise"].get<double>() > 0;
  for (const auto& name : network_names)
    if (noisy && resolve_dataset(name, e["accuracy"]["dataset"].get<std::string>()).empty())
      v.error(n["additive_noise"].get<double>() > 0 ? "noise.additive_noise" : "noise.multiplicative_noise",
              name + ": noise applies to the accuracy path, which needs a dataset (accuracy.dataset)");
  for (const auto& layer : n["noise_layers"])
    for (const auto& net : networks)
      if (std::none_of(net.layers.begin(), net.layers.end(),
                       [&](const sim::Layer& l) { return l.name == layer && l.is_gemm(); }))
        v.error("noise.noise_layers",
                "no conv/fc layer '" + layer.get<std::string>() + "' in network " + net.name);
  if (n["walk_min_level"].get<double>() >= n["walk_max_level"].get<double>())
    v.error("noise.walk_min_level", "must be below noise.walk_max_level");
}

// Decoding (sequence.prompt_tokens > 0) needs a decoder of the zoo whose full pass over the sequence fits the
// tensor limits, the accelerator alone and no dataset; decode steps and a batch need a prompt.
void check_sequence(Validator& v, const json& e, const std::vector<std::string>& network_names) {
  const json& s = e["sequence"];
  if (!s.is_object()) return;
  const int prompt = s["prompt_tokens"].get<int>(), decode = s["decode_tokens"].get<int>();
  const int batch = s["batch"].get<int>();
  if (prompt == 0) {
    if (decode > 0) v.error("sequence.decode_tokens", "needs sequence.prompt_tokens > 0 (a prefill first)");
    if (batch > 1) v.error("sequence.batch", "needs sequence.prompt_tokens > 0");
    return;
  }
  if (e["soc"]["device"] != "none")
    v.error("sequence.prompt_tokens", "decoding runs on the accelerator alone (soc.device \"none\")");
  for (const auto& name : network_names) {
    if (!sim::is_decoder_name(name)) {
      v.error("sequence.prompt_tokens", name + ": generative decoding needs a decoder (the zoo's " +
                                            v.join(sim::decoder_zoo_names()) + ")");
      continue;
    }
    if (!resolve_dataset(name, e["accuracy"]["dataset"].get<std::string>()).empty())
      v.error("accuracy.dataset", name + ": a decoding has no dataset (accuracy.dataset \"none\")");
    try {
      sim::decoder_network(name, batch, prompt + decode);
    } catch (const sim::InputError& err) {
      v.error("sequence.prompt_tokens", std::string("the full pass over the sequence: ") + err.what());
      continue;
    }
    const int64_t cache = sim::unrolled_cache_elements(name, {prompt, decode, batch});
    if (cache > sim::kMaxUnrolledCacheElements)
      v.error("sequence.decode_tokens",
              name + ": the KV caches of the decoding's passes hold " + std::to_string(cache) +
                  " elements, more than 2^31 (each pass keeps its own cache tensor)");
  }
}

// The soc section against the networks and the energy table: fixed placements name real layers, and the
// table has the ARM and device entries.
void check_soc(Validator& v, const json& e, const std::vector<sim::Network>& networks) {
  const json& soc = e["soc"];
  if (soc["partition"] != "fixed" && !soc["arm_layers"].empty())
    v.error("soc.arm_layers", "only with soc.partition \"fixed\"");
  for (const auto& layer : soc["arm_layers"])
    for (const auto& net : networks)
      if (std::none_of(net.layers.begin(), net.layers.end(),
                       [&](const sim::Layer& l) { return l.name == layer; }))
        v.error("soc.arm_layers", "no layer '" + layer.get<std::string>() + "' in network " + net.name);
  if (soc["device"] == "none" || !e["energy_table"].is_string() || !v.errors.empty()) return;
  const std::string device = soc["device"].get<std::string>();
  const std::string arm = soc["arm"] == "auto" ? sim::fpga_device(device).arm : soc["arm"].get<std::string>();
  try {
    const sim::EnergyTable t = sim::load_energy_table(e["energy_table"].get<std::string>());
    if (!t.soc || !t.soc->arm_pj_per_mac.count(arm) || !t.soc->arm_pj_per_vector_op.count(arm) ||
        !t.soc->ps_static_w.count(arm) || !t.soc->pl_static_w.count(device))
      v.error("energy_table", e["energy_table"].get<std::string>() + ": its soc section needs entries for " +
                                  arm + " and " + device);
  } catch (const sim::ConfigError& err) {
    for (const auto& m : err.messages()) v.error("energy_table", m);
  }
}

json top_level(Validator& v, const json& cfg, const std::string& config_path) {
  json e = json::object();
  for (const char* key : {"seed", "energy_table"}) {
    const KeyDecl* d = find_key("", key);
    e[key] = d->default_value;
    if (cfg.contains(key)) {
      const std::string why = d->check(cfg[key]);
      if (!why.empty())
        v.error(key, why);
      else
        e[key] = cfg[key];
    }
  }
  if (e["energy_table"].is_string()) {
    e["energy_table"] = resolve_path(e["energy_table"].get<std::string>(), config_path);
    const std::string table = e["energy_table"].get<std::string>();
    if (!fs::exists(table)) {
      v.error("energy_table", "file not found: " + table);
    } else {
      try {  // the whole table is checked now, not when the first point needs it
        sim::load_energy_table(table);
      } catch (const sim::ConfigError& err) {
        for (const auto& m : err.messages()) v.error("energy_table", m);
      }
    }
  }
  return e;
}

// The grid is enumerated up front: its size is checked (without overflow) before anything is allocated.
void check_grid_size(Validator& v, size_t networks,
                     const std::vector<std::pair<const KeyDecl*, json>>& axes) {
  long double points = static_cast<long double>(networks);
  for (const auto& axis : axes) points *= static_cast<long double>(axis.second.size());
  if (points <= static_cast<long double>(kMaxGridPoints)) return;
  std::ostringstream count;  // exact up to 2^64 (a long double has a 64-bit mantissa)
  count << std::fixed << std::setprecision(0) << points;
  v.error("axes", "the grid has " + count.str() + " design points (" + std::to_string(networks) +
                      " network(s) x " + std::to_string(axes.size()) + " axes), more than the limit of " +
                      std::to_string(kMaxGridPoints) + " for a grid sweep");
}

// A sweep-only top-level key, checked against its declaration (its default when absent or invalid).
json sweep_key(Validator& v, const json& cfg, const char* key) {
  const KeyDecl* d = find_key("", key);
  if (!cfg.contains(key)) return d->default_value;
  const std::string why = d->check(cfg[key]);
  if (why.empty()) return cfg[key];
  v.error(key, why);
  return d->default_value;
}

void check_keys(Validator& v, const json& cfg, const std::vector<std::string>& allowed) {
  const std::vector<std::string>& sweep_only = sweep_only_keys();
  for (const auto& [key, value] : cfg.items()) {
    (void)value;
    const bool known = std::find(allowed.begin(), allowed.end(), key) != allowed.end();
    const bool reported = std::find(sweep_only.begin(), sweep_only.end(), key) != sweep_only.end() &&
                          std::find(allowed.begin(), allowed.end(), "networks") == allowed.end();
    if (!known && !reported) v.unknown_key("", key, allowed);
  }
}

}  // namespace

nlohmann::ordered_json load_json_file(const std::string& path) {
  try {
    return sim::parse_json_ordered(sim::read_input_file(path, "config file", sim::kMaxJsonBytes), path);
  } catch (const sim::InputError& e) {
    throw sim::ConfigError(e.what());
  }
}

std::string resolve_dataset(const std::string& network, const std::string& setting) {
  if (setting == "none") return "";
  if (setting != "auto") return setting;
  if (fs::path(network).extension() != ".onnx") return "";
  const std::string path = fs::path(network).replace_extension(".json").string();
  if (!fs::exists(path)) return "";  // a model without a record has no dataset
  json record;
  try {
    record = sim::parse_json(sim::read_input_file(path, "model record", sim::kMaxJsonBytes), path);
  } catch (const sim::InputError& e) {
    throw sim::ConfigError(std::string("accuracy.dataset: ") + e.what());
  }
  if (!record.is_object() || (record.contains("dataset") && !record["dataset"].is_string()))
    throw sim::ConfigError("accuracy.dataset: " + path + ": the model record's \"dataset\" must be a string");
  return record.contains("dataset") ? record["dataset"].get<std::string>() : "";
}

PointConfig parse_point(const nlohmann::ordered_json& ordered, const std::string& config_path) {
  const json cfg = json::parse(ordered.dump());
  Validator v;
  if (!cfg.is_object()) throw sim::ConfigError(config_path + ": the config must be a JSON object");
  std::vector<std::string> allowed = {"network", "seed", "energy_table"};
  allowed.insert(allowed.end(), section_names().begin(), section_names().end());
  for (const std::string& key : sweep_only_keys())
    if (cfg.contains(key))
      v.error(key,
              "only in a sweep config (dse --config); a point config (dse run) has a single network and no "
              "axes");
  check_keys(v, cfg, allowed);
  json e = top_level(v, cfg, config_path);
  std::vector<sim::Network> networks;
  if (!cfg.contains("network"))
    v.error("network", "required: a zoo name or a network file");
  else if (auto net = check_network(v, cfg["network"], "network", config_path))
    networks.push_back(*net);
  for (const auto& name : section_names()) e[name] = v.section(cfg, name);
  check_override_layers(v, e["quantization"], networks);
  check_soc(v, e, networks);
  if (cfg.contains("network") && cfg["network"].is_string())
    check_sequence(v, e, {resolve_network(cfg["network"].get<std::string>(), config_path)});
  if (v.errors.empty() && !networks.empty())
    check_noise(v, e, {resolve_network(cfg["network"].get<std::string>(), config_path)}, networks);
  if (!networks.empty() && v.errors.empty())
    check_dataset(v, e["accuracy"], resolve_network(cfg["network"].get<std::string>(), config_path),
                  networks[0]);
  if (!v.errors.empty()) throw sim::ConfigError(v.errors);
  e["network"] = resolve_network(cfg["network"].get<std::string>(), config_path);
  return point_from_effective(e);
}

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
  spec.time_limit_s = sweep_key(v, cfg, "time_limit_s").get<double>();
  spec.worker_memory_limit_mib = sweep_key(v, cfg, "worker_memory_limit_mib").get<int64_t>();
  spec.verify = sweep_key(v, cfg, "verify") == "all" ? VerifyPolicy::kAll : VerifyPolicy::kPareto;
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
  if (!v.errors.empty()) throw sim::ConfigError(v.errors);

  spec.identity = ordered.dump();
  for (const auto& net : networks) spec.identity += "\n" + net;
  std::vector<Axis> space_axes;
  for (const auto& [decl, values] : axes)
    space_axes.push_back({decl->section, decl->name, values.get<std::vector<json>>(), ""});
  for (const auto& a : layer_axes) {
    space_axes.push_back(a);
    spec.axis_names.push_back(a.label());
  }
  spec.space = DesignSpace(base, networks, std::move(space_axes));
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
}  // namespace deepchip::sim
