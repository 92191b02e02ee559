#include "explorer/scalesim/scalesim_config.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

#include "sim/io/errors.hpp"
#include "sim/io/json_input.hpp"
#include "sim/util/enum_names.hpp"

namespace deepchip::explorer {

namespace {

constexpr int64_t kMaxConfigBytes = int64_t{1} << 20;
constexpr int kMaxArraySide = 1 << 14;

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\f\v");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\f\v") - b + 1);
}

// A value inside a one-line message: a continued value's line breaks shown as \n.
std::string shown(const std::string& v) {
  std::string out;
  for (char c : v) out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

struct Entry {
  std::string value;
  int line = 0;
};
using Sections = std::map<std::string, std::map<std::string, Entry>>;

// Every key SCALE-Sim v2 reads (lower case, as configparser stores them), by section.
const std::map<std::string, std::vector<std::string>>& known_keys() {
  static const std::map<std::string, std::vector<std::string>> k = {
      {"general", {"run_name"}},
      {"architecture_presets",
       {"arrayheight", "arraywidth", "ifmapsramszkb", "filtersramszkb", "ofmapsramszkb", "ifmapoffset",
        "filteroffset", "ofmapoffset", "dataflow", "bandwidth", "memorybanks"}},
      {"run_presets", {"interfacebandwidth"}},
      {"network_presets", {"topologycsvloc"}}};
  return k;
}

// configparser's reading: returns the sections; problems go to `errors`.
Sections read_sections(const std::string& text, const std::string& origin, std::vector<std::string>& errors) {
  Sections sections;
  std::stringstream in(text);
  std::string raw, section;
  Entry* last = nullptr;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    const std::string where = origin + ":" + std::to_string(line_no);
    const std::string line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') {
      if (line.empty()) last = nullptr;
      continue;
    }
    if (last && std::isspace(static_cast<unsigned char>(raw[0]))) {  // a continuation line
      last->value += "\n" + line;
      continue;
    }
    last = nullptr;
    if (line.front() == '[' && line.back() == ']') {
      section = lower(trim(line.substr(1, line.size() - 2)));
      if (section == "layout" || section == "sparsity")
        errors.push_back(where + ": section [" + section +
                         "] is SCALE-Sim v3's; dse scalesim reads SCALE-Sim v2 configs (remove it)");
      else if (!known_keys().count(section))
        errors.push_back(where + ": unknown section [" + section +
                         "] (SCALE-Sim v2 has general, architecture_presets, run_presets, network_presets)");
      else if (sections.count(section))
        errors.push_back(where + ": section [" + section + "] appears twice");
      sections[section];
      continue;
    }
    const auto delim = line.find_first_of("=:");
    if (delim == std::string::npos || delim == 0) {
      errors.push_back(where + ": expected 'key = value' or 'key: value', got '" + line + "'");
      continue;
    }
    if (section.empty()) {
      errors.push_back(where + ": key before any [section]");
      continue;
    }
    const std::string key = lower(trim(line.substr(0, delim)));
    auto& entries = sections[section];
    if (entries.count(key)) {
      errors.push_back(where + ": key " + key + " appears twice in [" + section + "]");
      continue;
    }
    const auto& allowed = known_keys().count(section) ? known_keys().at(section) : std::vector<std::string>{};
    if (known_keys().count(section) && std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      errors.push_back(where + ": unknown key " + key + " in [" + section + "] (SCALE-Sim v2 reads: " + [&] {
        std::string all;
        for (const auto& k : allowed) all += (all.empty() ? "" : ", ") + k;
        return all;
      }() + ")");
    last = &(entries[key] = Entry{trim(line.substr(delim + 1)), line_no});
  }
  return sections;
}

class Reader {
 public:
  Reader(const Sections& s, const std::string& origin, std::vector<std::string>& errors)
      : s_(s), origin_(origin), errors_(errors) {}

  const Entry* find(const std::string& section, const std::string& key, bool required) {
    const auto sit = s_.find(section);
    if (sit != s_.end()) {
      const auto it = sit->second.find(key);
      if (it != sit->second.end()) return &it->second;
    }
    if (required) errors_.push_back(origin_ + ": [" + section + "] " + key + " is missing");
    return nullptr;
  }
  std::string where(const Entry& e) const { return origin_ + ":" + std::to_string(e.line); }

  // Python's int(): an optional sign and decimal digits (underscores between digits allowed).
  int64_t integer(const std::string& section, const std::string& key, int64_t lo, int64_t hi) {
    const Entry* e = find(section, key, true);
    if (!e) return lo;
    std::string digits;
    const std::string& v = e->value;
    size_t i = (!v.empty() && (v[0] == '+' || v[0] == '-')) ? 1 : 0;
    bool ok = i < v.size();
    for (size_t j = i; j < v.size() && ok; ++j) {
      if (std::isdigit(static_cast<unsigned char>(v[j])))
        digits += v[j];
      else
        ok = v[j] == '_' && j > i && j + 1 < v.size() && std::isdigit(static_cast<unsigned char>(v[j + 1]));
    }
    if (!ok || digits.size() > 15) {
      errors_.push_back(where(*e) + ": " + key + " must be an integer, got '" + shown(v) + "'");
      return lo;
    }
    const int64_t n = (v[0] == '-' ? -1 : 1) * std::stoll(digits);
    if (n < lo || n > hi) {
      errors_.push_back(where(*e) + ": " + key + " must be in " + std::to_string(lo) + ".." +
                        std::to_string(hi) + ", got " + std::to_string(n));
      return lo;
    }
    return n;
  }

 private:
  const Sections& s_;
  const std::string& origin_;
  std::vector<std::string>& errors_;
};

void read_bandwidths(Reader& r, ScaleSimConfig& c, std::vector<std::string>& errors) {
  const Entry* e = r.find("architecture_presets", "bandwidth", true);
  if (!e) return;
  std::stringstream ss(e->value);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = trim(item);
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);
    // The same range as hardware.dram_bandwidth_bytes_per_cycle: a transfer's cycles (bytes / bandwidth)
    // stay far inside int64 for every tensor within the limits.
    if (item.empty() || *end != '\0' || !(v >= 0.001) || v > 1e9) {
      errors.push_back(r.where(*e) + ": bandwidth must be numbers in 0.001..1e9 separated by commas, got '" +
                       e->value + "'");
      return;
    }
    c.bandwidths.push_back(v);
  }
}

}  // namespace

ScaleSimConfig parse_scalesim_config(const std::string& text, const std::string& origin) {
  std::vector<std::string> errors;
  const Sections sections = read_sections(text, origin, errors);
  Reader r(sections, origin, errors);
  ScaleSimConfig c;
  if (const Entry* e = r.find("general", "run_name", true)) {
    c.run_name = e->value;
    if (c.run_name.empty() || c.run_name.find('/') != std::string::npos || c.run_name == "." ||
        c.run_name == ".." || !sim::is_valid_utf8(c.run_name) || c.run_name.size() > 200 ||
        std::any_of(c.run_name.begin(), c.run_name.end(),
                    [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; }))  // a NUL would cut the path
      errors.push_back(r.where(*e) + ": run_name must be a directory name (no '/'), got '" +
                       shown(c.run_name) + "'");
  }
  if (const Entry* e = r.find("run_presets", "interfacebandwidth", true)) {
    if (e->value == "USER")
      c.user_bandwidth = true;
    else if (e->value != "CALC")
      errors.push_back(r.where(*e) + ": InterfaceBandwidth must be USER or CALC, got '" + shown(e->value) +
                       "'");
  }
  const std::string arch = "architecture_presets";
  c.array_rows = static_cast<int>(r.integer(arch, "arrayheight", 1, kMaxArraySide));
  c.array_cols = static_cast<int>(r.integer(arch, "arraywidth", 1, kMaxArraySide));
  c.ifmap_sram_kib = r.integer(arch, "ifmapsramszkb", 1, int64_t{1} << 22);
  c.filter_sram_kib = r.integer(arch, "filtersramszkb", 1, int64_t{1} << 22);
  c.ofmap_sram_kib = r.integer(arch, "ofmapsramszkb", 1, int64_t{1} << 22);
  c.ifmap_offset = r.integer(arch, "ifmapoffset", 0, int64_t{1} << 48);
  c.filter_offset = r.integer(arch, "filteroffset", 0, int64_t{1} << 48);
  c.ofmap_offset = r.integer(arch, "ofmapoffset", 0, int64_t{1} << 48);
  if (const Entry* e = r.find(arch, "dataflow", true)) {
    if (const auto d = sim::enum_from_name<sim::Dataflow>(e->value))
      c.dataflow = *d;
    else
      errors.push_back(r.where(*e) + ": Dataflow must be ws, os or is, got '" + shown(e->value) + "'");
  }
  read_bandwidths(r, c, errors);
  if (r.find(arch, "memorybanks", false))
    c.memory_banks = static_cast<int>(r.integer(arch, "memorybanks", 1, 1));
  if (const Entry* e = r.find("network_presets", "topologycsvloc", false)) {
    // SCALE-Sim takes the text between the first pair of double quotes.
    const auto a = e->value.find('"');
    const auto b = a == std::string::npos ? a : e->value.find('"', a + 1);
    if (b == std::string::npos)
      errors.push_back(r.where(*e) + ": TopologyCsvLoc must be a path in double quotes, got '" +
                       shown(e->value) + "'");
    else
      c.topology = e->value.substr(a + 1, b - a - 1);
  }
  if (!errors.empty()) throw sim::ConfigError(errors);
  return c;
}

ScaleSimConfig load_scalesim_config(const std::string& path) {
  return parse_scalesim_config(sim::read_input_file(path, "SCALE-Sim config", kMaxConfigBytes), path);
}

}  // namespace deepchip::explorer
