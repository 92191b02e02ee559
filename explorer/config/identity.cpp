#include "explorer/config/identity.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <tuple>

#include "explorer/config/config.hpp"
#include "explorer/search/design_space.hpp"
#include "sim/util/fnv_hash.hpp"
#include "sim/zoo/zoo.hpp"

namespace deepchip::explorer {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string hex(uint64_t v, int digits) {
  std::ostringstream os;
  os << std::hex << std::setw(16) << std::setfill('0') << v;
  return os.str().substr(0, static_cast<size_t>(digits));
}

// Adds the file's bytes; false when it cannot be read.
bool add_file(sim::Fnv1a64& h, const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    for (std::streamsize i = 0; i < in.gcount(); ++i) h.add_byte(static_cast<uint8_t>(buf[i]));
    if (!in) break;
  }
  return !in.bad();
}

// What a file's content name depends on: its size and modification time.
std::tuple<uintmax_t, int64_t> file_state(const fs::path& path) {
  std::error_code ec;
  const uintmax_t size = fs::file_size(path, ec);
  const auto time = fs::last_write_time(path, ec);
  return {ec ? 0 : size, ec ? 0 : static_cast<int64_t>(time.time_since_epoch().count())};
}

// Every leaf of `j` by its dotted key path; an empty object and an array are leaves.
void flatten(const json& j, const std::string& path, std::map<std::string, json>& leaves) {
  if (!j.is_object() || j.empty()) {
    leaves[path] = j;
    return;
  }
  for (const auto& [key, value] : j.items()) flatten(value, path.empty() ? key : path + "." + key, leaves);
}

std::string axis_path(const Axis& a) {
  return a.layer.empty() ? a.section + "." + a.name
                         : "quantization.layer_overrides." + a.layer + "." + a.name;
}

// `values` sorted (numbers by value, strings by text), duplicates removed.
json sorted_set(std::vector<json> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return json(values);
}

std::string describe(const json& set) {
  if (!set.is_array()) return "(not set)";
  return set.size() == 1 ? set[0].dump() : set.dump();
}

}  // namespace

std::string file_content_name(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::pair<std::tuple<uintmax_t, int64_t>, std::string>> known;
  const auto state = file_state(path);
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = known.find(path); it != known.end() && it->second.first == state) return it->second.second;
  sim::Fnv1a64 h;
  if (!add_file(h, path)) return path;
  if (fs::path(path).extension() == ".onnx") {  // the model's record (dataset, training) is part of it
    const fs::path record = fs::path(path).replace_extension(".json");
    if (fs::is_regular_file(record)) {
      h.add_byte(0);
      add_file(h, record);
    }
  }
  const std::string name = fs::path(path).filename().string() + "#" + hex(h.value(), 16);
  known[path] = {state, name};
  return name;
}

json identity_form(const json& effective) {
  json e = effective;
  if (e.contains("energy_table") && e["energy_table"].is_string())
    e["energy_table"] = file_content_name(e["energy_table"].get<std::string>());
  if (e.contains("network") && e["network"].is_string()) {
    const std::string network = e["network"].get<std::string>();
    if (!sim::is_zoo_name(network) && fs::is_regular_file(network)) e["network"] = file_content_name(network);
  }
  return e;
}

std::string point_id(const json& effective) {
  return hex(sim::Fnv1a64().add(identity_form(effective).dump()).value(), 12);
}

json sweep_dimensions(const DesignSpace& space) {
  const Coords origin(space.dimensions(), 0);
  std::map<std::string, json> leaves;
  flatten(identity_form(space.point(origin).effective), "", leaves);
  json dims = json::object();
  for (const auto& [path, value] : leaves) dims[path] = json::array({value});
  auto values_of = [&](size_t dimension, auto value_at) {
    std::vector<json> values;
    for (uint32_t i = 0; i < space.values(dimension); ++i) {
      Coords c = origin;
      c[dimension] = i;
      values.push_back(value_at(identity_form(space.point(c).effective)));
    }
    return sorted_set(values);
  };
  dims["network"] = values_of(0, [](const json& e) { return e["network"]; });
  for (size_t a = 0; a < space.axes().size(); ++a) {
    const Axis& axis = space.axes()[a];
    dims[axis_path(axis)] = values_of(a + 1, [&](const json& e) { return axis.value_in(e); });
  }
  return dims;
}

std::vector<std::string> disjoint_dimensions(const json& stored, const json& current) {
  std::set<std::string> paths;
  for (const auto* dims : {&stored, &current})
    for (const auto& [path, values] : dims->items()) paths.insert(path);
  std::vector<std::string> lines;
  for (const auto& path : paths) {
    const json none;
    const json& was = stored.contains(path) ? stored[path] : none;
    const json& now = current.contains(path) ? current[path] : none;
    bool shared = false;
    if (was.is_array() && now.is_array())
      for (const auto& v : was) shared = shared || std::find(now.begin(), now.end(), v) != now.end();
    if (!shared)
      lines.push_back(path + ": " + describe(was) + " in the store's sweep, " + describe(now) +
                      " in this one");
  }
  return lines;
}

}  // namespace deepchip::explorer
