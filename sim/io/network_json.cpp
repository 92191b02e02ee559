#include "sim/io/network_json.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "sim/io/errors.hpp"
#include "sim/io/json_input.hpp"

namespace deepchip::sim {

using nlohmann::json;

namespace {

struct Reader {
  std::string origin;
  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw InputError(origin + ": " + path + ": " + what);
  }
  void only_keys(const json& j, const std::string& path, const std::set<std::string>& allowed) const {
    if (!j.is_object()) fail(path, "must be an object");
    for (const auto& [key, value] : j.items()) {
      (void)value;
      if (!allowed.count(key)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        fail(path + "." + key, "unknown key (allowed: " + list + ")");
      }
    }
  }
  int integer(const json& j, const std::string& path, int lo, int hi) const {
    if (!j.is_number_integer()) fail(path, "must be an integer, got " + j.dump());
    const int64_t v = j.get<int64_t>();
    if (v < lo || v > hi)
      fail(path, "must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " +
                     std::to_string(v));
    return static_cast<int>(v);
  }
  // An int, or a list of `n` ints.
  std::vector<int> ints(const json& j, const std::string& path, size_t n, int lo, int hi) const {
    if (j.is_number_integer()) return std::vector<int>(n, integer(j, path, lo, hi));
    if (!j.is_array() || j.size() != n)
      fail(path, "must be an integer or a list of " + std::to_string(n) + " integers, got " + j.dump());
    std::vector<int> out;
    for (size_t i = 0; i < n; ++i) out.push_back(integer(j[i], path + "[" + std::to_string(i) + "]", lo, hi));
    return out;
  }
};

LayerKind parse_kind(const Reader& r, const json& j, const std::string& path) {
  if (!j.is_string()) r.fail(path, "must be a string");
  const std::string s = j.get<std::string>();
  if (s == "conv") return LayerKind::kConv;
  if (s == "fc") return LayerKind::kFullyConnected;
  if (s == "maxpool") return LayerKind::kMaxPool;
  if (s == "avgpool") return LayerKind::kAvgPool;
  if (s == "relu") return LayerKind::kRelu;
  if (s == "add") return LayerKind::kAdd;
  r.fail(path, "unknown layer type '" + s + "' (one of conv, fc, maxpool, avgpool, relu, add)");
}

void parse_padding(const Reader& r, const json& j, const std::string& path, Layer& l) {
  if (j.is_array() && j.size() == 4) {
    auto p = r.ints(j, path, 4, 0, 1024);
    l.pad_top = p[0], l.pad_left = p[1], l.pad_bottom = p[2], l.pad_right = p[3];
    return;
  }
  auto p = r.ints(j, path, 2, 0, 1024);
  l.pad_top = l.pad_bottom = p[0];
  l.pad_left = l.pad_right = p[1];
}

Layer parse_layer(const Reader& r, const json& j, const std::string& path) {
  r.only_keys(j, path,
              {"name", "type", "inputs", "filters", "units", "kernel", "stride", "padding", "dilation",
               "groups", "relu"});
  Layer l;
  if (!j.contains("name") || !j["name"].is_string()) r.fail(path + ".name", "required string");
  l.name = j["name"].get<std::string>();
  if (!j.contains("type")) r.fail(path + ".type", "required");
  l.kind = parse_kind(r, j["type"], path + ".type");
  if (j.contains("inputs")) {
    if (!j["inputs"].is_array()) r.fail(path + ".inputs", "must be a list of tensor names");
    for (size_t i = 0; i < j["inputs"].size(); ++i) {
      if (!j["inputs"][i].is_string())
        r.fail(path + ".inputs[" + std::to_string(i) + "]", "must be a string");
      l.inputs.push_back(j["inputs"][i].get<std::string>());
    }
  }
  const bool windowed =
      l.kind == LayerKind::kConv || l.kind == LayerKind::kMaxPool || l.kind == LayerKind::kAvgPool;
  auto forbid = [&](const char* key) {
    if (j.contains(key))
      r.fail(path + "." + key, std::string("not allowed for a ") + to_string(l.kind) + " layer");
  };
  if (l.kind == LayerKind::kConv) {
    if (!j.contains("filters")) r.fail(path + ".filters", "required for a conv layer");
    l.out_channels = r.integer(j["filters"], path + ".filters", 1, 1 << 20);
    if (j.contains("groups")) l.groups = r.integer(j["groups"], path + ".groups", 1, 1 << 20);
  } else {
    forbid("filters");
    forbid("groups");
  }
  if (l.kind == LayerKind::kFullyConnected) {
    if (!j.contains("units")) r.fail(path + ".units", "required for an fc layer");
    l.out_channels = r.integer(j["units"], path + ".units", 1, 1 << 24);
  } else {
    forbid("units");
  }
  if (windowed) {
    if (!j.contains("kernel")) r.fail(path + ".kernel", "required");
    auto k = r.ints(j["kernel"], path + ".kernel", 2, 1, 1024);
    l.kernel_h = k[0], l.kernel_w = k[1];
    auto s =
        j.contains("stride") ? r.ints(j["stride"], path + ".stride", 2, 1, 1024) : std::vector<int>{1, 1};
    l.stride_h = s[0], l.stride_w = s[1];
    if (j.contains("padding")) parse_padding(r, j["padding"], path + ".padding", l);
    if (j.contains("dilation")) {
      auto d = r.ints(j["dilation"], path + ".dilation", 2, 1, 1024);
      l.dilation_h = d[0], l.dilation_w = d[1];
    }
  } else {
    forbid("kernel");
    forbid("stride");
    forbid("padding");
    forbid("dilation");
  }
  if (j.contains("relu")) {
    if (l.kind == LayerKind::kMaxPool || l.kind == LayerKind::kAvgPool || l.kind == LayerKind::kRelu)
      r.fail(path + ".relu", std::string("not allowed for a ") + to_string(l.kind) + " layer");
    if (!j["relu"].is_boolean()) r.fail(path + ".relu", "must be true or false");
    l.relu = j["relu"].get<bool>();
  }
  if (l.kind == LayerKind::kRelu) l.relu = true;
  return l;
}

// [1|3, n, n] with n >= 16: a grey or RGB image (MNIST's [1, 28, 28], ImageNet's [3, 224, 224]) written as
// PyTorch orders it. Read as [height, width, channels] it would be one or three pixels high with as many
// channels as it is wide.
bool looks_channels_first(const std::vector<int>& s) {
  return s.size() == 3 && (s[0] == 1 || s[0] == 3) && s[1] == s[2] && s[1] >= 16;
}

}  // namespace

Network parse_network_json(const std::string& text, const std::string& origin) {
  const json j = parse_json(text, origin);
  Reader r{origin};
  r.only_keys(j, "$", {"name", "inputs", "layers"});
  Network net;
  if (j.contains("name") && !j["name"].is_string()) r.fail("name", "must be a string");
  net.name = j.contains("name") ? j["name"].get<std::string>() : "network";
  if (!j.contains("inputs") || !j["inputs"].is_array() || j["inputs"].empty())
    r.fail("inputs", "required: a list of {\"name\": ..., \"shape\": [height, width, channels]}");
  for (size_t i = 0; i < j["inputs"].size(); ++i) {
    const std::string path = "inputs[" + std::to_string(i) + "]";
    const json& in = j["inputs"][i];
    r.only_keys(in, path, {"name", "shape"});
    if (!in.contains("name") || !in["name"].is_string()) r.fail(path + ".name", "required string");
    if (!in.contains("shape")) r.fail(path + ".shape", "required [height, width, channels]");
    auto s = r.ints(in["shape"], path + ".shape", 3, 1, 1 << 16);
    if (!in["shape"].is_array()) r.fail(path + ".shape", "must be a list [height, width, channels]");
    if (looks_channels_first(s))
      r.fail(path + ".shape", in["shape"].dump() +
                                  " looks channels-first (PyTorch's [channels, height, width]); " +
                                  "this format is [height, width, channels]: write [" + std::to_string(s[1]) +
                                  ", " + std::to_string(s[2]) + ", " + std::to_string(s[0]) + "]");
    net.inputs.push_back({in["name"].get<std::string>(), Shape{s[0], s[1], s[2]}});
  }
  if (!j.contains("layers") || !j["layers"].is_array()) r.fail("layers", "required: a list of layers");
  for (size_t i = 0; i < j["layers"].size(); ++i)
    net.layers.push_back(parse_layer(r, j["layers"][i], "layers[" + std::to_string(i) + "]"));
  net.finalize(origin);
  return net;
}

Network load_network_json(const std::string& path) {
  return parse_network_json(read_input_file(path, "network file", kMaxJsonBytes), path);
}

}  // namespace deepchip::sim
