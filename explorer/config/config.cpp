#include "explorer/config/config.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "deepchip/source_dir.hpp"
#include "explorer/config/config_checks.hpp"
#include "explorer/config/config_keys.hpp"
#include "sim/cost/energy.hpp"
#include "sim/cost/fpga.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/idx.hpp"
#include "sim/io/json_input.hpp"
#include "sim/io/network_io.hpp"
#include "sim/onnx/import.hpp"
#include "sim/util/enum_names.hpp"

namespace deepchip::explorer {
namespace checks {

namespace fs = std::filesystem;

namespace {
std::string format_kib(double kib) {
  std::ostringstream os;
  os << kib;
  return os.str();
}
}  // namespace

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
  const sim::DatasetKind* kind = sim::find_dataset_kind(dataset);
  if (!kind) {
    v.error("accuracy.dataset",
            network + ": its record names dataset '" + dataset + "', which is not supported");
    return;
  }
  const std::string dir = accuracy["dataset_dir"].get<std::string>();
  for (const char* file : {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                           "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"})
    if (!fs::exists(fs::path(dir) / file)) {
      v.error("accuracy.dataset_dir", dir + "/" + file + ": " + kind->title +
                                          " not found (install the Debian package " + kind->debian_package +
                                          ", or set accuracy.dataset to none)");
      return;
    }
  const std::string shape =
      std::to_string(kind->height) + "x" + std::to_string(kind->width) + "x" + std::to_string(kind->channels);
  if (net.inputs.size() != 1 || net.inputs[0].shape.height != kind->height ||
      net.inputs[0].shape.width != kind->width || net.inputs[0].shape.channels != kind->channels) {
    v.error("accuracy.dataset",
            network + ": " + dataset + " images are " + shape + "; the network's inputs differ");
    return;
  }
  const auto outputs = net.output_names();
  if (outputs.size() != 1 || net.tensor_shape(outputs[0]).elements() != kind->classes)
    v.error("accuracy.dataset", network + ": " + dataset + " needs one output of " +
                                    std::to_string(kind->classes) + " class scores");
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
  if (e["soc"]["device"] != kNoDevice)
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
  if (soc["device"] == kNoDevice || !e["energy_table"].is_string() || !v.errors.empty()) return;
  const std::string device = soc["device"].get<std::string>();
  const std::string arm =
      soc["arm"] == kDevicesArm ? sim::fpga_device(device).arm : soc["arm"].get<std::string>();
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

void check_sram_size(Validator& v, const std::string& table_path, const std::string& path, const json& kib) {
  if (!kib.is_number_integer() || !fs::exists(table_path)) return;  // reported as such
  const sim::EnergyTable table = sim::load_energy_table(table_path);
  const double size = kib.get<double>();
  auto range = [](double lo, double hi) { return format_kib(lo) + ".." + format_kib(hi) + " KiB"; };
  std::string outside;
  if (table.sram.size() >= 2 && (size < table.sram.front().size_kib || size > table.sram.back().size_kib))
    outside = "access energy " + range(table.sram.front().size_kib, table.sram.back().size_kib);
  if (table.silicon && table.silicon->sram.size() >= 2) {
    const auto& area = table.silicon->sram;
    if (size > area.back().size_kib) {
      // A whole number of KiB when read as bytes, within the table: likely bytes written for KiB.
      const bool bytes = std::fmod(size, 1024) == 0 && size / 1024 >= area.front().size_kib;
      v.error(path, kib.dump() + " KiB is beyond the largest SRAM of " + table_path + " (" +
                        format_kib(area.back().size_kib) + " KiB)" +
                        (bytes ? "; if it is in bytes, write " + format_kib(size / 1024) : std::string()));
      return;
    }
    if (size < area.front().size_kib)
      outside += (outside.empty() ? "" : ", ") + std::string("area ") +
                 range(area.front().size_kib, area.back().size_kib);
  }
  if (!outside.empty())
    v.warning(path, kib.dump() + " KiB is outside the SRAM points of " + table_path + " (" + outside +
                        "): extrapolated along the end segment");
}

void check_sram_sizes(Validator& v, const json& e) {
  if (!e["energy_table"].is_string()) return;
  for (const char* key : {"input_buffer_kib", "weight_buffer_kib", "output_buffer_kib"})
    check_sram_size(v, e["energy_table"].get<std::string>(), std::string("hardware.") + key,
                    e["hardware"][key]);
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

}  // namespace checks

using nlohmann::json;
namespace fs = std::filesystem;
using namespace checks;

nlohmann::ordered_json load_json_file(const std::string& path) {
  try {
    return sim::parse_json_ordered(sim::read_input_file(path, "config file", sim::kMaxJsonBytes), path);
  } catch (const sim::InputError& e) {
    throw sim::ConfigError(e.what());
  }
}

std::string resolve_dataset(const std::string& network, const std::string& setting) {
  if (setting == kNoDataset) return "";
  if (setting != kRecordsDataset) return setting;
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
  if (v.errors.empty()) check_sram_sizes(v, e);
  if (cfg.contains("network") && cfg["network"].is_string())
    check_sequence(v, e, {resolve_network(cfg["network"].get<std::string>(), config_path)});
  if (v.errors.empty() && !networks.empty())
    check_noise(v, e, {resolve_network(cfg["network"].get<std::string>(), config_path)}, networks);
  if (!networks.empty() && v.errors.empty())
    check_dataset(v, e["accuracy"], resolve_network(cfg["network"].get<std::string>(), config_path),
                  networks[0]);
  if (!v.errors.empty()) throw sim::ConfigError(v.errors);
  e["network"] = resolve_network(cfg["network"].get<std::string>(), config_path);
  PointConfig point = point_from_effective(e);
  point.warnings = v.warnings;
  return point;
}

}  // namespace deepchip::explorer
