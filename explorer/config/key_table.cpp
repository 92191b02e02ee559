// The table of every config key (explorer/config/key_decl.hpp): each declared once, with the field of the
// typed point it fills. Its order is the order of `dse --list-keys`, the schema and the README's reference.
#include <utility>

#include "explorer/config/config.hpp"
#include "explorer/config/config_keys.hpp"
#include "explorer/config/objectives.hpp"
#include "sim/cost/fpga.hpp"
#include "sim/io/idx.hpp"
#include "sim/soc/arm.hpp"
#include "sim/util/enum_names.hpp"

namespace deepchip::explorer {

using nlohmann::json;

KeyDecl KeyDecl::of(std::string section, std::string name, KeyType type) {
  KeyDecl d;
  d.section = std::move(section);
  d.name = std::move(name);
  d.type = type;
  return d;
}
KeyDecl KeyDecl::integer(std::string section, std::string name, double lo, double hi) {
  KeyDecl d = of(std::move(section), std::move(name), KeyType::kInteger);
  d.min = lo, d.max = hi;
  return d;
}
KeyDecl KeyDecl::number(std::string section, std::string name, double lo, double hi) {
  KeyDecl d = of(std::move(section), std::move(name), KeyType::kNumber);
  d.min = lo, d.max = hi;
  return d;
}
KeyDecl KeyDecl::choice(std::string section, std::string name, std::vector<std::string> choices) {
  KeyDecl d = of(std::move(section), std::move(name), KeyType::kChoice);
  d.choices = std::move(choices);
  return d;
}
KeyDecl KeyDecl::choice_list(std::string section, std::string name, std::vector<std::string> choices) {
  KeyDecl d = of(std::move(section), std::move(name), KeyType::kChoiceList);
  d.choices = std::move(choices);
  return d;
}

namespace {

using HW = sim::HardwareConfig;
using Q = sim::QuantConfig;

template <auto M>
Fill hw() {
  return to_part<&PointConfig::hw, M>();
}
template <auto M>
Fill quant() {
  return to_part<&PointConfig::quant, M>();
}
template <auto M>
Fill accuracy() {
  return to_part<&PointConfig::accuracy, M>();
}
template <auto M>
Fill noise() {
  return to_part<&PointConfig::noise, M>();
}
// A buffer's capacity from its KiB.
template <auto Buffer>
Fill buffer_kib() {
  return [](const json& v, PointConfig& p) { (p.hw.*Buffer).size_bytes = v.get<int64_t>() * 1024; };
}
// A setting all three SRAM buffers share.
template <auto M>
Fill every_buffer() {
  return [](const json& v, PointConfig& p) {
    for (sim::BufferConfig* b : {&p.hw.input_buffer, &p.hw.weight_buffer, &p.hw.output_buffer})
      assign(b->*M, v);
  };
}
void fill_layer_overrides(const json& overrides, PointConfig& p) {
  for (const auto& [layer, settings] : overrides.items()) {
    sim::LayerOverride& o = p.quant.overrides[layer];
    if (settings.contains("weight_format"))
      o.weight_format = enum_value<sim::WeightFormat>(settings["weight_format"]);
    if (settings.contains("weight_bits")) o.weight_bits = settings["weight_bits"].get<int>();
    if (settings.contains("sparsity")) o.sparsity = settings["sparsity"].get<double>();
  }
}
// A choice that means "not set" or "the preset's" before a sim:: list of names.
std::vector<std::string> with_first(std::string first, std::vector<std::string> names) {
  names.insert(names.begin(), std::move(first));
  return names;
}

// The declaration forms of the table below: (section, name, [unit,] default, [range | choices,] doc).
// accuracy.dataset's values: auto, none and the sets sim/io/idx.hpp reads.
std::vector<std::string> dataset_choices() {
  std::vector<std::string> names = {kRecordsDataset, kNoDataset};
  for (const auto& kind : sim::dataset_kinds()) names.push_back(kind.name);
  return names;
}

KeyDecl integer(std::string section, std::string name, std::string unit, json def, double lo, double hi,
                std::string doc) {
  return KeyDecl::integer(std::move(section), std::move(name), lo, hi)
      .unit_is(std::move(unit))
      .def(std::move(def))
      .doc_is(std::move(doc));
}
KeyDecl number(std::string section, std::string name, std::string unit, json def, double lo, double hi,
               std::string doc) {
  return KeyDecl::number(std::move(section), std::move(name), lo, hi)
      .unit_is(std::move(unit))
      .def(std::move(def))
      .doc_is(std::move(doc));
}
KeyDecl choice(std::string section, std::string name, json def, std::vector<std::string> choices,
               std::string doc) {
  return KeyDecl::choice(std::move(section), std::move(name), std::move(choices))
      .def(std::move(def))
      .doc_is(std::move(doc));
}
// A choice among an enum's names that fills its field; its default is the typed point's (spelled once).
template <auto Part, auto Member>
KeyDecl enum_choice(std::string section, std::string name, std::string doc) {
  using E = std::decay_t<decltype(std::declval<PointConfig>().*Part.*Member)>;
  const PointConfig defaults;
  return KeyDecl::choice(std::move(section), std::move(name), sim::enum_choices<E>())
      .def(sim::name_of((defaults.*Part).*Member))
      .doc_is(std::move(doc))
      .fills(to_part<Part, Member>());
}
KeyDecl boolean(std::string section, std::string name, json def, std::string doc) {
  return KeyDecl::of(std::move(section), std::move(name), KeyType::kBoolean)
      .def(std::move(def))
      .doc_is(std::move(doc));
}
KeyDecl string(std::string section, std::string name, json def, std::string doc) {
  return KeyDecl::of(std::move(section), std::move(name), KeyType::kString)
      .def(std::move(def))
      .doc_is(std::move(doc));
}
// A list of layer names (default empty); never an axis.
KeyDecl layer_list(std::string section, std::string name, std::string doc) {
  return KeyDecl::of(std::move(section), std::move(name), KeyType::kStringList)
      .def(json::array())
      .doc_is(std::move(doc));
}

KeyDecl sweep_only(KeyDecl d) { return std::move(d).sweep_key(); }

}  // namespace

const std::vector<KeyDecl>& key_decls() {
  static const std::vector<KeyDecl> decls = {
      string("", "network", nullptr,
             "network of a single point: a zoo name (lenet5, svhn_convnet, resnet18, resnet50, mobilenet_v2, "
             "resnet44, alexnet, vit_b_16, vit_tiny, bert_base, bert_tiny) or a "
             "file (.json network, .csv SCALE-Sim topology: GEMM if its header is 'Layer, M, N, K', else "
             "conv; .onnx model with weights), relative to the config")
          .fills(to_point<&PointConfig::network>()),
      integer("", "seed", "", 1, 0, 2147483647, "seed of the synthetic weights and inputs")
          .fills(to_point<&PointConfig::seed>()),
      string("", "energy_table", "configs/tech/45nm.json",
             "technology table: per-action energies and, in its silicon section, component areas and leakage "
             "(configs/README.md \"Area and power\"; relative paths: to the config file, then to the "
             "repository)")
          .fills(to_point<&PointConfig::energy_table>()),
      integer("hardware", "array_rows", "PE", 32, 1, 512, "systolic array rows R (the K dimension of a fold)")
          .fills(hw<&HW::array_rows>()),
      integer("hardware", "array_cols", "PE", 32, 1, 512,
              "systolic array columns C (the N dimension of a fold)")
          .fills(hw<&HW::array_cols>()),
      enum_choice<&PointConfig::hw, &HW::impl>(
          "hardware", "array_impl",
          "array model: cycle (every PE register every clock), tile (one GEMM per fold, same cycles), rtl "
          "(the Verilated SystemVerilog array) or timing (the same cycles and counters, no data computed: "
          "not golden-checked)"),
      enum_choice<&PointConfig::hw, &HW::dataflow>(
          "hardware", "dataflow",
          "what stays in the PEs: ws weights (inputs stream), os outputs (inputs and weights stream), is "
          "inputs (weights stream); rtl is ws only"),
      enum_choice<&PointConfig::hw, &HW::loop_order>(
          "hardware", "loop_order",
          "weight-stationary loop nest, outer to inner: nkm streams all M vectors through each weight fold "
          "(SCALE-Sim's; partial sums spill when M x C sums exceed an output slot), mnk tiles M so that a "
          "tile's sums stay in the output buffer (weights fetched once per M-tile), auto picks per layer "
          "the one with less DRAM traffic (layers.csv: mnk_order); os/is fold in SCALE-Sim's order only"),
      integer(
          "hardware", "weight_load_rows", "row/cycle", 1, 1, 512,
          "rows of the stationary operand (ws: weights, is: inputs) loaded into the PEs per cycle: 1 shifts "
          "one row per cycle down the columns (R cycles a fold, SCALE-Sim's); a wider fetch loads a fold in "
          "ceil(R / this) cycles (the weight buffer's read width is not a constraint here)")
          .fills(hw<&HW::weight_load_rows>()),
      enum_choice<&PointConfig::hw, &HW::weight_buffering>(
          "hardware", "weight_buffering",
          "single: the next fold starts only in an idle array (SCALE-Sim's per-fold count: ws 2R+C+M-2, "
          "is 2R+C+N-2, os K+R+C-2); double: ws/is load the next fold's stationary operand while "
          "streaming, os drains outputs while the next fold streams"),
      integer("hardware", "accumulator_bits", "bit", 32, 8, 64, "accumulator width (two's complement)")
          .fills(hw<&HW::accumulator_bits>()),
      enum_choice<&PointConfig::hw, &HW::overflow>(
          "hardware", "accumulator_overflow",
          "reject: a point whose worst-case sum exceeds the accumulator is ok=false; wrap: wrap around"),
      integer("hardware", "input_buffer_kib", "KiB", 256, 1, 1048576, "input activation SRAM capacity")
          .fills(buffer_kib<&HW::input_buffer>()),
      integer("hardware", "weight_buffer_kib", "KiB", 256, 1, 1048576, "weight SRAM capacity")
          .fills(buffer_kib<&HW::weight_buffer>()),
      integer("hardware", "output_buffer_kib", "KiB", 256, 1, 1048576, "output (accumulator) SRAM capacity")
          .fills(buffer_kib<&HW::output_buffer>()),
      integer("hardware", "sram_word_bits", "bit", 64, 8, 4096, "SRAM word width of all three buffers")
          .fills(every_buffer<&sim::BufferConfig::word_bits>()),
      boolean("hardware", "sram_double_buffered", true,
              "buffers have two slots (DMA fills one while the array uses the other)")
          .fills(every_buffer<&sim::BufferConfig::double_buffered>()),
      enum_choice<&PointConfig::hw, &HW::memory>(
          "hardware", "memory",
          "dram: bandwidth- and latency-limited DRAM; ideal: every transfer completes at once"),
      number("hardware", "dram_bandwidth_bytes_per_cycle", "byte/cycle", 16, 0.001, 65536,
             "DRAM bandwidth in bytes per accelerator cycle")
          .fills(hw<&HW::dram_bandwidth_bytes_per_cycle>()),
      integer("hardware", "dram_latency_cycles", "cycle", 100, 0, 1000000, "DRAM latency per transfer")
          .fills(hw<&HW::dram_latency_cycles>()),
      integer("hardware", "dma_outstanding", "transfer", 4, 1, 64,
              "transfers per operand the read DMA keeps issued ahead of the array (in flight or waiting in "
              "the buffer): a double-buffered buffer holds min(this, max(2, how many of the layer's largest "
              "transfer fit)), a single-buffered one 1")
          .fills(hw<&HW::dma_outstanding>()),
      number("hardware", "clock_mhz", "MHz", 200, 1, 100000, "accelerator clock (converts cycles to seconds)")
          .fills([](const json& v, PointConfig& p) { p.hw.clock_hz = v.get<double>() * 1e6; }),
      integer("quantization", "weight_bits", "bit", 8, 2, 16, "weight bits (symmetric uniform)")
          .fills(quant<&Q::weight_bits>()),
      integer("quantization", "activation_bits", "bit", 8, 2, 16,
              "activation bits (unsigned after ReLU, signed otherwise)")
          .fills(quant<&Q::activation_bits>()),
      choice("quantization", "weight_granularity", sim::name_of(sim::WeightGranularity::kPerChannel),
             sim::enum_choices<sim::WeightGranularity>(), "int weight scale per output channel or per tensor")
          .fills([](const json& v, PointConfig& p) {
            p.quant.per_channel =
                enum_value<sim::WeightGranularity>(v) == sim::WeightGranularity::kPerChannel;
          }),
      enum_choice<&PointConfig::quant, &Q::weight_format>(
          "quantization", "weight_format",
          "int: weight_bits uniform; ternary: DeepChip asymmetric {-Wn, 0, +Wp}; binary: sign x scale"),
      number("quantization", "ternary_threshold", "ratio", 0.05, 0, 1,
             "ternary threshold t: weights within t * max|W| of a layer become 0")
          .fills(quant<&Q::ternary_threshold>()),
      integer("quantization", "first_last_weight_bits", "bit", 0, 0, 16,
              "0: off; else the first and last conv/fc layers use int weights of these bits (DeepChip)")
          .fills(quant<&Q::first_last_weight_bits>())
          .except({1}),
      number("quantization", "sparsity", "ratio", 0, 0, 0.999,
             "magnitude pruning target: fraction of weights (or blocks) set to zero")
          .fills(quant<&Q::sparsity>()),
      choice("quantization", "pruning_scope", sim::name_of(sim::PruningScope::kLayer),
             sim::enum_choices<sim::PruningScope>(),
             "prune each layer to the target, or one magnitude threshold across layers")
          .fills([](const json& v, PointConfig& p) {
            p.quant.global_pruning = enum_value<sim::PruningScope>(v) == sim::PruningScope::kGlobal;
          }),
      integer("quantization", "pruning_block_k", "weight", 1, 1, 4096,
              "pruning block rows (K, the array-row dimension); 1x1 blocks = unstructured")
          .fills(quant<&Q::block_k>()),
      integer("quantization", "pruning_block_n", "weight", 1, 1, 4096,
              "pruning block columns (N, the array-column dimension)")
          .fills(quant<&Q::block_n>()),
      enum_choice<&PointConfig::quant, &Q::huffman>(
          "quantization", "huffman",
          "canonical Huffman coding of each layer's weight codes (zero_rle: of zero-run tokens)"),
      KeyDecl::of("quantization", "layer_overrides", KeyType::kLayerMap)
          .def(json::object())
          .doc_is("per-layer settings: {\"<layer>\": {\"weight_format\": ..., \"weight_bits\": ..., "
                  "\"sparsity\": "
                  "...}}")
          .fills(fill_layer_overrides),
      enum_choice<&PointConfig::hw, &HW::zero_handling>(
          "hardware", "zero_handling",
          "gating: zero-operand MACs cost no energy; skipping: also all-zero weight folds are skipped"),
      number("hardware", "huffman_decoder_symbols_per_cycle", "symbol/cycle", 4, 0.01, 1024,
             "throughput of the weight Huffman decoder (when huffman is on)")
          .fills(hw<&HW::decoder_symbols_per_cycle>()),
      choice(
          "accuracy", "dataset", kRecordsDataset, dataset_choices(),
          "labelled test set for accuracy in the loop; auto: the dataset named by a .onnx model's record "
          "(<model>.json beside it, key \"dataset\"), none for other networks. With a dataset, the model is "
          "calibrated on real training images and the simulated input is test image 0")
          .fills([](const json& v, PointConfig& p) {
            p.accuracy.dataset = resolve_dataset(p.network, v.get<std::string>());
          }),
      string("accuracy", "dataset_dir", sim::fashion_mnist().default_dir,
             "directory of the IDX files (Debian package " + sim::fashion_mnist().debian_package + ")")
          .fills(accuracy<&AccuracySpec::dataset_dir>()),
      integer("accuracy", "test_images", "image", 10000, 1, 10000000,
              "top-1 accuracy over the first N test images (all of them if the set has fewer)")
          .fills(accuracy<&AccuracySpec::test_images>()),
      integer("accuracy", "calibration_images", "image", 256, 1, 10000000,
              "activation ranges (max |x| per tensor) from the first N training images")
          .fills(accuracy<&AccuracySpec::calibration_images>()),
      number(
          "accuracy", "reference_top1", "ratio", 0, 0, 1,
          "the top-1 accuracy drops are measured from; 0: the network's own float model (set e.g. the fp32 "
          "baseline's accuracy to compare a quantization-aware-trained model with it)")
          .fills(accuracy<&AccuracySpec::reference_top1>()),
      number(
          "accuracy", "max_accuracy_drop", "ratio", 1, 0, 1,
          "constraint: reference top-1 minus compressed top-1 at most this (0.005 = half a point); violating "
          "points are marked (constraints_ok = 0) and left out of the Pareto front. 1: no constraint")
          .fills(accuracy<&AccuracySpec::max_accuracy_drop>()),
      number("noise", "additive_noise", "ratio", 0, 0, 10,
             "noisy compute: standard deviation of Gaussian noise added to each noisy layer's accumulators "
             "before requantization, relative to the layer's output range in accumulator units (0.01 = 1%). "
             "Applies to the golden integer path that measures accuracy (needs a dataset); the simulated "
             "hardware and its golden check stay exact")
          .fills([](const json& v, PointConfig& p) { p.noise.levels.additive = v.get<double>(); }),
      number("noise", "multiplicative_noise", "ratio", 0, 0, 10,
             "noisy compute: standard deviation s of the factor each noisy layer's accumulators are "
             "multiplied by, 1 + N(0, s^2)")
          .fills([](const json& v, PointConfig& p) { p.noise.levels.multiplicative = v.get<double>(); }),
      layer_list("noise", "noise_layers", "the conv/fc layers the noise applies to; empty: all of them")
          .fills(noise<&NoiseSpec::layers>()),
      integer("noise", "repeats", "repeat", 1, 1, 1000,
              "accuracy under noise: mean and standard deviation over this many seeded passes over the test "
              "images")
          .fills(noise<&NoiseSpec::repeats>()),
      integer("noise", "noise_seed", "", 1, 0, 2147483647, "seed of the noise draws")
          .fills(noise<&NoiseSpec::seed>()),
      choice("noise", "walk_kind", sim::name_of(NoiseWalkKind::kAdditive), sim::enum_choices<NoiseWalkKind>(),
             "dse walk-noise: the noise it puts on one layer at a time")
          .fills([](const json& v, PointConfig& p) {
            p.noise.walk_multiplicative = enum_value<NoiseWalkKind>(v) == NoiseWalkKind::kMultiplicative;
          }),
      number("noise", "walk_min_level", "ratio", 0.001, 1e-9, 100,
             "dse walk-noise: the lowest noise level of the ladder")
          .fills(noise<&NoiseSpec::walk_min_level>()),
      number("noise", "walk_max_level", "ratio", 10, 1e-9, 100,
             "dse walk-noise: the highest noise level of the ladder")
          .fills(noise<&NoiseSpec::walk_max_level>()),
      integer("noise", "walk_steps_per_decade", "level", 4, 1, 100,
              "dse walk-noise: ladder levels per factor of 10 (geometric, from walk_min_level)")
          .fills(noise<&NoiseSpec::walk_steps_per_decade>()),
      number("noise", "walk_fraction", "ratio", 0.5, 0.01, 0.99,
             "dse walk-noise: a layer's robustness is the noise level at which its top-1 accuracy falls to "
             "this fraction of the clean accuracy")
          .fills(noise<&NoiseSpec::walk_fraction>()),
      choice(
          "soc", "device", kNoDevice, with_first(kNoDevice, sim::fpga_device_names()),
          "ARM+FPGA system: the Zynq device whose fabric holds the accelerator and whose ARM cores run the "
          "layers the partition gives them; none: the accelerator alone"),
      choice("soc", "arm", kDevicesArm, with_first(kDevicesArm, sim::arm_cluster_names()),
             "ARM cluster preset; auto: the device's (xc7z020: cortex_a9, UltraScale+: cortex_a53)"),
      integer("soc", "arm_cores", "core", 0, 0, 64, "ARM cores used; 0: the preset's"),
      number("soc", "arm_clock_mhz", "MHz", 0, 0, 5000, "ARM clock; 0: the preset's"),
      number("soc", "arm_l1_bytes_per_cycle", "byte/cycle", 0, 0, 1024,
             "L1 load bandwidth per core that bounds ARM GEMM/conv throughput (calibrate with a measured "
             "kernel); 0: the preset's (8)"),
      choice("soc", "partition", sim::name_of(sim::PartitionStrategy::kAuto),
             sim::enum_choices<sim::PartitionStrategy>(),
             "layer placement: auto (optimal for partition_objective, transfers included), everything on "
             "one side, or fixed (arm_layers on the ARM, the rest on the FPGA)"),
      choice("soc", "partition_objective", sim::name_of(sim::PartitionObjective::kLatency),
             sim::enum_choices<sim::PartitionObjective>(),
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
      KeyDecl::of("", "networks", KeyType::kNetworkList)
          .doc_is("sweep only: the networks of a sweep, each as for 'network'")
          .sweep_key(),
      KeyDecl::of("", "axes", KeyType::kAxes)
          .def(json::object())
          .doc_is(
              "sweep only: lists of values for keys of the sections (the grid is their cartesian product); "
              "per-layer settings are not axes")
          .sweep_key(),
      KeyDecl::of("", "layer_axes", KeyType::kLayerAxes)
          .def(json::object())
          .doc_is(
              "sweep only: per-layer axes, {\"weight_bits\": [...], \"sparsity\": [...], \"weight_format\": "
              "[...], \"layers\": [names]}: each listed setting becomes one axis per conv/fc layer (all of "
              "them, or the named ones), set in quantization.layer_overrides; one network only")
          .sweep_key(),
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
          "", "verify", sim::name_of(SweepSpec{}.verify), sim::enum_choices<VerifyPolicy>(),
          "sweep only: pareto runs every point with array_impl timing (same cycles and counters, no data) "
          "and then re-runs each Pareto-optimal point (and each best_within_accuracy_drop point) with its "
          "array_impl (tile for timing), golden-checked, its stats required equal to the timing run's; all "
          "runs every point with its array_impl, golden-checked")),
      KeyDecl::choice_list("", "objectives", objective_names())
          .def(SweepSpec{}.objectives)
          .doc_is(
              "sweep only: what the Pareto front trades off, each a metric of results.csv: cycles, energy "
              "(energy_total_pj), weight_storage (weight_bits_stored), area (area_mm2; on an FPGA device its "
              "fpga_utilization), power (power_w), latency (latency_s) and edp (edp_pj_s) minimised; "
              "accuracy "
              "(top1, points with a dataset only), throughput (throughput_per_s) and throughput_per_area "
              "(throughput_per_s_per_mm2) maximised")
          .sweep_key(),
      KeyDecl::of("", "constraints", KeyType::kConstraints)
          .def(json::object())
          .doc_is(
              "sweep only: bounds on any metric (a totals column, a silicon column such as area_mm2 or "
              "power_w, "
              "a derived one such as latency_ms, throughput_per_s or edp_pj_s, or top1), e.g. {\"area_mm2\": "
              "{\"max\": 2}, \"latency_ms\": {\"max\": 5}}; violating points are marked (constraints_ok = 0) "
              "and left out of the Pareto front, and nsga2 ranks them by their relative excess (Deb's "
              "constrained domination)")
          .sweep_key(),
      choice("search", "strategy", sim::name_of(SearchSpec{}.strategy), sim::enum_choices<SearchStrategy>(),
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

}  // namespace deepchip::explorer

namespace deepchip::sim {
template <>
const EnumNames<explorer::NoiseWalkKind>& enum_names() {
  static const EnumNames<explorer::NoiseWalkKind> names = {
      {explorer::NoiseWalkKind::kAdditive, "additive"},
      {explorer::NoiseWalkKind::kMultiplicative, "multiplicative"}};
  return names;
}
}  // namespace deepchip::sim
