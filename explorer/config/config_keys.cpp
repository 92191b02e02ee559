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

KeyDecl integer(std::string section, std::string name, std::string unit, json def, double lo, double hi,
                std::string doc) {
  return {std::move(section),
          std::move(name),
          KeyType::kInteger,
          std::move(unit),
          std::move(def),
          lo,
          hi,
          {},
          std::move(doc),
          {}};
}
KeyDecl number(std::string section, std::string name, std::string unit, json def, double lo, double hi,
               std::string doc) {
  return {std::move(section),
          std::move(name),
          KeyType::kNumber,
          std::move(unit),
          std::move(def),
          lo,
          hi,
          {},
          std::move(doc),
          {}};
}
KeyDecl choice(std::string section, std::string name, json def, std::vector<std::string> choices,
               std::string doc) {
  return {std::move(section),
          std::move(name),
          KeyType::kChoice,
          "",
          std::move(def),
          0,
          0,
          std::move(choices),
          std::move(doc),
          {}};
}
KeyDecl boolean(std::string section, std::string name, json def, std::string doc) {
  return {std::move(section),
          std::move(name),
          KeyType::kBoolean,
          "",
          std::move(def),
          0,
          0,
          {},
          std::move(doc),
          {}};
}
KeyDecl string(std::string section, std::string name, json def, std::string doc) {
  return {std::move(section),
          std::move(name),
          KeyType::kString,
          "",
          std::move(def),
          0,
          0,
          {},
          std::move(doc),
          {}};
}
// A list of layer names (default empty); never an axis.
KeyDecl layer_list(std::string section, std::string name, std::string doc) {
  return {std::move(section),
          std::move(name),
          KeyType::kStringList,
          "",
          json::array(),
          0,
          0,
          {},
          std::move(doc),
          {}};
}

KeyDecl sweep_only(KeyDecl d) {
  d.sweep_only = true;
  return d;
}

std::string format_number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  std::ostringstream os;
  os << v;
  return os.str();
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
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

const std::vector<KeyDecl>& key_decls() {
  static const std::vector<KeyDecl> decls = {
      string("", "network", nullptr,
             "network of a single point: a zoo name (lenet5, svhn_convnet, resnet18, resnet50, mobilenet_v2, "
             "resnet44, alexnet, vit_b_16, vit_tiny, bert_base, bert_tiny) or a "
             "file (.json network, .csv SCALE-Sim topology: GEMM if its header is 'Layer, M, N, K', else "
             "conv; .onnx model with weights), relative to the config"),
      integer("", "seed", "", 1, 0, 2147483647, "seed of the synthetic weights and inputs"),
      string("", "energy_table", "configs/energy/horowitz45.json",
             "per-action energy table (relative paths: to the config file, then to the repository)"),
      integer("hardware", "array_rows", "PE", 32, 1, 512,
              "systolic array rows R (the K dimension of a fold)"),
      integer("hardware", "array_cols", "PE", 32, 1, 512,
              "systolic array columns C (the N dimension of a fold)"),
      choice("hardware", "array_impl", "tile", sim::enum_choices<sim::ArrayImpl>(),
             "array model: cycle (every PE register every clock), tile (one GEMM per fold, same cycles), rtl "
             "(the Verilated SystemVerilog array) or timing (the same cycles and counters, no data computed: "
             "not golden-checked)"),
      choice("hardware", "dataflow", "ws", sim::enum_choices<sim::Dataflow>(),
             "what stays in the PEs: ws weights (inputs stream), os outputs (inputs and weights stream), is "
             "inputs (weights stream); rtl is ws only"),
      choice(
          "hardware", "loop_order", "auto", sim::enum_choices<sim::LoopOrder>(),
          "weight-stationary loop nest, outer to inner: nkm streams all M vectors through each weight fold "
          "(SCALE-Sim's; partial sums spill when M x C sums exceed an output slot), mnk tiles M so that a "
          "tile's sums stay in the output buffer (weights fetched once per M-tile), auto picks per layer "
          "the one with less DRAM traffic (layers.csv: mnk_order); os/is fold in SCALE-Sim's order only"),
      integer(
          "hardware", "weight_load_rows", "row/cycle", 1, 1, 512,
          "rows of the stationary operand (ws: weights, is: inputs) loaded into the PEs per cycle: 1 shifts "
          "one row per cycle down the columns (R cycles a fold, SCALE-Sim's); a wider fetch loads a fold in "
          "ceil(R / this) cycles (the weight buffer's read width is not a constraint here)"),
      choice("hardware", "weight_buffering", "double", sim::enum_choices<sim::WeightBuffering>(),
             "single: the next fold starts only in an idle array (SCALE-Sim's per-fold count: ws 2R+C+M-2, "
             "is 2R+C+N-2, os K+R+C-2); double: ws/is load the next fold's stationary operand while "
             "streaming, os drains outputs while the next fold streams"),
      integer("hardware", "accumulator_bits", "bit", 32, 8, 64, "accumulator width (two's complement)"),
      choice("hardware", "accumulator_overflow", "reject", sim::enum_choices<sim::OverflowPolicy>(),
             "reject: a point whose worst-case sum exceeds the accumulator is ok=false; wrap: wrap around"),
      integer("hardware", "input_buffer_kib", "KiB", 256, 1, 1048576, "input activation SRAM capacity"),
      integer("hardware", "weight_buffer_kib", "KiB", 256, 1, 1048576, "weight SRAM capacity"),
      integer("hardware", "output_buffer_kib", "KiB", 256, 1, 1048576, "output (accumulator) SRAM capacity"),
      integer("hardware", "sram_word_bits", "bit", 64, 8, 4096, "SRAM word width of all three buffers"),
      boolean("hardware", "sram_double_buffered", true,
              "buffers have two slots (DMA fills one while the array uses the other)"),
      choice("hardware", "memory", "dram", sim::enum_choices<sim::MemoryModel>(),
             "dram: bandwidth- and latency-limited DRAM; ideal: every transfer completes at once"),
      number("hardware", "dram_bandwidth_bytes_per_cycle", "byte/cycle", 16, 0.001, 65536,
             "DRAM bandwidth in bytes per accelerator cycle"),
      integer("hardware", "dram_latency_cycles", "cycle", 100, 0, 1000000, "DRAM latency per transfer"),
      integer("hardware", "dma_outstanding", "transfer", 4, 1, 64,
              "transfers per operand the read DMA keeps issued ahead of the array (in flight or waiting in "
              "the buffer): a double-buffered buffer holds min(this, max(2, how many of the layer's largest "
              "transfer fit)), a single-buffered one 1"),
      number("hardware", "clock_mhz", "MHz", 200, 1, 100000,
             "accelerator clock (converts cycles to seconds)"),
      integer("quantization", "weight_bits", "bit", 8, 2, 16, "weight bits (symmetric uniform)"),
      integer("quantization", "activation_bits", "bit", 8, 2, 16,
              "activation bits (unsigned after ReLU, signed otherwise)"),
      choice("quantization", "weight_granularity", "per_channel", {"per_channel", "per_tensor"},
             "int weight scale per output channel or per tensor"),
      choice("quantization", "weight_format", "int", sim::enum_choices<sim::WeightFormat>(),
             "int: weight_bits uniform; ternary: DeepChip asymmetric {-Wn, 0, +Wp}; binary: sign x scale"),
      number("quantization", "ternary_threshold", "ratio", 0.05, 0, 1,
             "ternary threshold t: weights within t * max|W| of a layer become 0"),
      [] {
        KeyDecl d = integer(
            "quantization", "first_last_weight_bits", "bit", 0, 0, 16,
            "0: off; else the first and last conv/fc layers use int weights of these bits (DeepChip)");
        d.excluded = {1};
        return d;
      }(),
      number("quantization", "sparsity", "ratio", 0, 0, 0.999,
             "magnitude pruning target: fraction of weights (or blocks) set to zero"),
      choice("quantization", "pruning_scope", "layer", {"layer", "global"},
             "prune each layer to the target, or one magnitude threshold across layers"),
      integer("quantization", "pruning_block_k", "weight", 1, 1, 4096,
              "pruning block rows (K, the array-row dimension); 1x1 blocks = unstructured"),
      integer("quantization", "pruning_block_n", "weight", 1, 1, 4096,
              "pruning block columns (N, the array-column dimension)"),
      choice("quantization", "huffman", "off", sim::enum_choices<sim::HuffmanMode>(),
             "canonical Huffman coding of each layer's weight codes (zero_rle: of zero-run tokens)"),
      {"quantization",
       "layer_overrides",
       KeyType::kLayerMap,
       "",
       json::object(),
       0,
       0,
       {},
       "per-layer settings: {\"<layer>\": {\"weight_format\": ..., \"weight_bits\": ..., \"sparsity\": ...}}",
       {}},
      choice("hardware", "zero_handling", "none", sim::enum_choices<sim::ZeroHandling>(),
             "gating: zero-operand MACs cost no energy; skipping: also all-zero weight folds are skipped"),
      number("hardware", "huffman_decoder_symbols_per_cycle", "symbol/cycle", 4, 0.01, 1024,
             "throughput of the weight Huffman decoder (when huffman is on)"),
      choice(
          "accuracy", "dataset", "auto", {"auto", "none", "fashion_mnist"},
          "labelled test set for accuracy in the loop; auto: the dataset named by a .onnx model's record "
          "(<model>.json beside it, key \"dataset\"), none for other networks. With a dataset, the model is "
          "calibrated on real training images and the simulated input is test image 0"),
      string("accuracy", "dataset_dir", "/usr/share/datasets/fashion-mnist",
             "directory of the IDX files (Debian package dataset-fashion-mnist)"),
      integer("accuracy", "test_images", "image", 10000, 1, 10000000,
              "top-1 accuracy over the first N test images (all of them if the set has fewer)"),
      integer("accuracy", "calibration_images", "image", 256, 1, 10000000,
              "activation ranges (max |x| per tensor) from the first N training images"),
      number(
          "accuracy", "reference_top1", "ratio", 0, 0, 1,
          "the top-1 accuracy drops are measured from; 0: the network's own float model (set e.g. the fp32 "
          "baseline's accuracy to compare a quantization-aware-trained model with it)"),
      number(
          "accuracy", "max_accuracy_drop", "ratio", 1, 0, 1,
          "constraint: reference top-1 minus compressed top-1 at most this (0.005 = half a point); violating "
          "points are marked (constraints_ok = 0) and left out of the Pareto front. 1: no constraint"),
      number("noise", "additive_noise", "ratio", 0, 0, 10,
             "noisy compute: standard deviation of Gaussian noise added to each noisy layer's accumulators "
             "before requantization, relative to the layer's output range in accumulator units (0.01 = 1%). "
             "Applies to the golden integer path that measures accuracy (needs a dataset); the simulated "
             "hardware and its golden check stay exact"),
      number("noise", "multiplicative_noise", "ratio", 0, 0, 10,
             "noisy compute: standard deviation s of the factor each noisy layer's accumulators are "
             "multiplied by, 1 + N(0, s^2)"),
      layer_list("noise", "noise_layers", "the conv/fc layers the noise applies to; empty: all of them"),
      integer("noise", "repeats", "repeat", 1, 1, 1000,
              "accuracy under noise: mean and standard deviation over this many seeded passes over the test "
              "images"),
      integer("noise", "noise_seed", "", 1, 0, 2147483647, "seed of the noise draws"),
      choice("noise", "walk_kind", "additive", {"additive", "multiplicative"},
             "dse walk-noise: the noise it puts on one layer at a time"),
      number("noise", "walk_min_level", "ratio", 0.001, 1e-9, 100,
             "dse walk-noise: the lowest noise level of the ladder"),
      number("noise", "walk_max_level", "ratio", 10, 1e-9, 100,
             "dse walk-noise: the highest noise level of the ladder"),
      integer("noise", "walk_steps_per_decade", "level", 4, 1, 100,
              "dse walk-noise: ladder levels per factor of 10 (geometric, from walk_min_level)"),
      number("noise", "walk_fraction", "ratio", 0.5, 0.01, 0.99,
             "dse walk-noise: a layer's robustness is the noise level at which its top-1 accuracy falls to "
             "this fraction of the clean accuracy"),
      choice(
          "soc", "device", "none", {"none", "xc7z020", "xczu3eg", "xczu7ev", "xczu9eg"},
          "ARM+FPGA system: the Zynq device whose fabric holds the accelerator and whose ARM cores run the "
          "layers the partition gives them; none: the accelerator alone"),
      choice("soc", "arm", "auto", {"auto", "cortex_a9", "cortex_a53"},
             "ARM cluster preset; auto: the device's (xc7z020: cortex_a9, UltraScale+: cortex_a53)"),
      integer("soc", "arm_cores", "core", 0, 0, 64, "ARM cores used; 0: the preset's"),
      number("soc", "arm_clock_mhz", "MHz", 0, 0, 5000, "ARM clock; 0: the preset's"),
      number("soc", "arm_l1_bytes_per_cycle", "byte/cycle", 0, 0, 1024,
             "L1 load bandwidth per core that bounds ARM GEMM/conv throughput (calibrate with a measured "
             "kernel); 0: the preset's (8)"),
      choice("soc", "partition", "auto", sim::enum_choices<sim::PartitionStrategy>(),
             "layer placement: auto (optimal for partition_objective, transfers included), everything on "
             "one side, or fixed (arm_layers on the ARM, the rest on the FPGA)"),
      choice("soc", "partition_objective", "latency", sim::enum_choices<sim::PartitionObjective>(),
             "what auto minimises: latency, energy or the energy-delay product"),
      layer_list("soc", "arm_layers", "partition fixed: the layers that run on the ARM cores (not an axis)"),
      integer("soc", "pl_port_bits", "bit", 0, 0, 1024,
              "data width of the accelerator's DDR port (S_AXI_HP); 0: the device's (64 on Zynq-7000, 128 on "
              "UltraScale+)"),
      number("soc", "pl_port_mhz", "MHz", 0, 0, 5000, "clock of that port; 0: the accelerator clock"),
      integer("soc", "pl_port_latency_cycles", "cycle", 20, 0, 100000,
              "request latency of that port in accelerator cycles, before the DDR's own"),
      integer("soc", "pl_port_outstanding", "transaction", 8, 1, 1024, "transactions in flight on that port"),
      integer("soc", "handoff_arm_cycles", "ARM cycle", 2400, 0, 1000000000,
              "synchronisation per tensor crossing between ARM and FPGA (interrupt or poll, cache "
              "maintenance setup); 2,400 = 2 us at 1.2 GHz"),
      integer("sequence", "prompt_tokens", "token", 0, 0, 4096,
              "generative decoding of a decoder (zoo gpt2, gpt2_tiny): the prompt, run as one prefill pass "
              "that fills the KV cache; 0: no decoding (the network's full forward pass)"),
      integer("sequence", "decode_tokens", "token", 0, 0, 4096,
              "decode steps after prefill, one token per sequence each, reading every layer's KV cache from "
              "DRAM and appending to it"),
      integer("sequence", "batch", "sequence", 1, 1, 256,
              "sequences decoded together: one weight fetch serves a token of each"),
      sweep_only({"",
                  "networks",
                  KeyType::kNetworkList,
                  "",
                  nullptr,
                  0,
                  0,
                  {},
                  "sweep only: the networks of a sweep, each as for 'network'",
                  {}}),
      sweep_only(
          {"",
           "axes",
           KeyType::kAxes,
           "",
           json::object(),
           0,
           0,
           {},
           "sweep only: lists of values for keys of the sections (the grid is their cartesian product); "
           "per-layer settings are not axes",
           {}}),
      sweep_only(
          {"",
           "layer_axes",
           KeyType::kLayerAxes,
           "",
           json::object(),
           0,
           0,
           {},
           "sweep only: per-layer axes, {\"weight_bits\": [...], \"sparsity\": [...], \"weight_format\": "
           "[...], \"layers\": [names]}: each listed setting becomes one axis per conv/fc layer (all of "
           "them, or the named ones), set in quantization.layer_overrides; one network only",
           {}}),
      sweep_only(number(
          "", "time_limit_s", "s", 600, 1, 86400,
          "sweep only: each design point runs in its own worker process with this wall-time limit; a point "
          "over it is recorded as failed with the reason")),
      sweep_only(integer(
          "", "worker_memory_limit_mib", "MiB", 4096, 64, 1048576,
          "sweep only: address space each worker process may add to what it shares with the sweep (setrlimit "
          "RLIMIT_AS over the size it was forked at: the compressed models and golden references); a point "
          "that "
          "needs more fails with that reason instead of exhausting the machine")),
      sweep_only(choice(
          "", "verify",
          "pareto", {"pareto", "all"},
          "sweep only: pareto runs every point with array_impl timing (same cycles and counters, no data) "
          "and then re-runs each Pareto-optimal point (and each best_within_accuracy_drop point) with its "
          "array_impl (tile for timing), golden-checked, its stats required equal to the timing run's; all "
          "runs every point with its array_impl, golden-checked")),
      sweep_only(
          {"",
           "objectives",
           KeyType::kChoiceList,
           "",
           json::array({"cycles", "energy"}),
           0,
           0,
           {"cycles", "energy", "accuracy", "weight_storage"},
           "sweep only: what the Pareto front trades off (cycles, energy_total_pj and weight_bits_stored "
           "minimised, top-1 accuracy maximised; accuracy compares points with a dataset only)",
           {}}),
      choice("search", "strategy", "grid", sim::enum_choices<SearchStrategy>(),
             "sweep only: how the design space is explored: grid (every point), random (budget distinct "
             "points drawn uniformly), lhs (a Latin hypercube of budget points over the network and every "
             "axis), nsga2 (multi-objective evolutionary search over the objectives, budget points in "
             "generations of population)"),
      integer("search", "budget", "point", 0, 0, 1000000000,
              "sweep only: points evaluated by random, lhs and nsga2 (required for them); 0 with grid, "
              "which evaluates every point"),
      integer("search", "population", "point", 40, 4, 100000,
              "sweep only: nsga2's population (points per generation); the other strategies report the "
              "front's hypervolume every population points"),
      integer("search", "seed", "", 1, 0, 2147483647,
              "sweep only: seed of the strategy's random choices (same seed, same points, same results)"),
      boolean("search", "sensitivity", false,
              "sweep only, nsga2 with layer_axes: first evaluate each layer's settings alone (the other "
              "layers at their least compressing values), then seed generation 0 with the policies whose "
              "additively estimated objectives are on the front within max_accuracy_drop"),
  };
  return decls;
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

std::optional<std::string> suggest(const std::string& name, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  size_t best_distance = 4;
  for (const auto& c : candidates) {
    const size_t d = edit_distance(name, c);
    if (d < best_distance) best_distance = d, best = c;
  }
  return best;
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
