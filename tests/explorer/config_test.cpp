#include "explorer/config/config.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "deepchip/source_dir.hpp"
#include "explorer/config/config_keys.hpp"
#include "sim/io/errors.hpp"

namespace deepchip::explorer {
namespace {

using nlohmann::json;

std::vector<std::string> sweep_errors(const std::string& text) {
  try {
    parse_sweep(nlohmann::ordered_json::parse(text), "/tmp/sweep.json");
  } catch (const sim::ConfigError& e) {
    return e.messages();
  }
  return {};
}

TEST(SweepConfig, ExpandsTheGridWithDefaults) {
  const SweepSpec s = parse_sweep(nlohmann::ordered_json::parse(R"({"networks": ["lenet5", "svhn_convnet"],
      "hardware": {"array_impl": "cycle"}, "axes": {"array_rows": [8, 16, 32], "weight_bits": [4, 8]}})"),
                                  "/tmp/sweep.json");
  ASSERT_EQ(grid_points(s).size(), 2u * 3 * 2);
  EXPECT_EQ(grid_points(s)[0].hw.array_rows, 8);
  EXPECT_EQ(grid_points(s)[0].quant.weight_bits, 4);
  EXPECT_EQ(grid_points(s)[1].quant.weight_bits, 8);  // the last axis varies fastest
  EXPECT_EQ(grid_points(s)[2].hw.array_rows, 16);
  EXPECT_EQ(grid_points(s)[6].network, "svhn_convnet");
  EXPECT_EQ(grid_points(s)[0].hw.impl, sim::ArrayImpl::kCycle);
  EXPECT_EQ(grid_points(s)[0].hw.array_cols, 32);  // default
  EXPECT_EQ(grid_points(s)[0].effective["hardware"]["dram_latency_cycles"], 100);
  EXPECT_NE(grid_points(s)[0].id, grid_points(s)[1].id);
  EXPECT_EQ(grid_points(s)[0].id,
            grid_points(parse_sweep(nlohmann::ordered_json::parse(
                                        R"({"networks": ["lenet5"], "hardware": {"array_impl": "cycle"},
      "axes": {"array_rows": [8], "weight_bits": [4]}})"),
                                    "/tmp/x.json"))[0]
                .id);  // stable
}

TEST(SweepConfig, AxesVaryInTheOrderTheyAreWritten) {
  const SweepSpec s =
      parse_sweep(nlohmann::ordered_json::parse(
                      R"({"networks": ["lenet5"], "axes": {"weight_bits": [4, 8], "array_rows": [8, 16]}})"),
                  "/tmp/sweep.json");
  EXPECT_EQ(s.axis_names, (std::vector<std::string>{"weight_bits", "array_rows"}));
  ASSERT_EQ(grid_points(s).size(), 4u);
  EXPECT_EQ(grid_points(s)[0].hw.array_rows, 8);
  EXPECT_EQ(grid_points(s)[1].hw.array_rows, 16);  // the last written axis varies fastest
  EXPECT_EQ(grid_points(s)[1].quant.weight_bits, 4);
  EXPECT_EQ(grid_points(s)[2].quant.weight_bits, 8);
}

TEST(SweepConfig, ReportsEveryErrorWithItsPath) {
  const auto errors = sweep_errors(R"({"networks": ["lenet5", "resnet19"],
      "hardware": {"array_rows": 0, "arry_cols": 8, "memory": "hbm"},
      "axes": {"array_rows": [8, 16, -4], "weight_bitz": [4]},
      "sede": 3})");
  const std::vector<std::string> expected = {
      "sede: unknown key (did you mean 'seed'?)",
      "hardware.array_rows: must be an integer in 1..512, got 0",
      "hardware.arry_cols: unknown key (did you mean 'array_cols'?)",
      "hardware.memory: must be one of dram, ideal, got \"hbm\"",
      "networks[1]: resnet19: not a zoo network (lenet5, svhn_convnet, resnet18, resnet50, mobilenet_v2, "
      "resnet44, alexnet, vit_b_16, vit_tiny, bert_base, bert_tiny, gpt2, gpt2_tiny) nor a "
      "file ending "
      "in "
      ".json, .csv or .onnx; did you mean 'resnet18'?",
      "axes.array_rows: also set in hardware.array_rows; give it in one place",
      "axes.array_rows[2]: must be an integer in 1..512, got -4",
      "axes.weight_bitz: unknown key (did you mean 'weight_bits'?)",
  };
  EXPECT_EQ(errors, expected);
}

TEST(SweepConfig, TypesAreCheckedNotCoerced) {
  EXPECT_EQ(
      sweep_errors(R"({"networks": ["lenet5"], "hardware": {"array_rows": "32", "sram_double_buffered": 1,
      "dram_bandwidth_bytes_per_cycle": 0}, "quantization": {"weight_bits": 8.5}})"),
      (std::vector<std::string>{
          "hardware.array_rows: must be an integer in 1..512, got \"32\"",
          "hardware.dram_bandwidth_bytes_per_cycle: must be a number in 0.001..65536, got 0",
          "hardware.sram_double_buffered: must be true or false, got 1",
          "quantization.weight_bits: must be an integer in 2..16, got 8.5"}));
  EXPECT_EQ(sweep_errors(R"({"hardware": {}})"),
            (std::vector<std::string>{"networks: required: a non-empty list of zoo names or network files"}));
}

TEST(SweepConfig, CompressionKeysAndLayerOverrides) {
  const SweepSpec ok = parse_sweep(nlohmann::ordered_json::parse(R"({"networks": ["lenet5"],
      "quantization": {"weight_format": "ternary", "first_last_weight_bits": 8, "sparsity": 0.5, "pruning_scope": "global",
                       "pruning_block_k": 4, "huffman": "zero_rle",
                       "layer_overrides": {"conv2": {"weight_format": "int", "weight_bits": 4}, "fc1": {"sparsity": 0.9}}},
      "hardware": {"zero_handling": "skipping", "huffman_decoder_symbols_per_cycle": 2}})"),
                                   "/tmp/s.json");
  const PointConfig p = grid_points(ok).at(0);
  EXPECT_EQ(p.quant.weight_format, sim::WeightFormat::kTernary);
  EXPECT_EQ(p.quant.first_last_weight_bits, 8);
  EXPECT_TRUE(p.quant.global_pruning);
  EXPECT_EQ(p.quant.block_k, 4);
  EXPECT_EQ(p.quant.huffman, sim::HuffmanMode::kZeroRle);
  EXPECT_EQ(p.quant.overrides.at("conv2").weight_bits, 4);
  EXPECT_EQ(*p.quant.overrides.at("fc1").sparsity, 0.9);
  EXPECT_EQ(p.hw.zero_handling, sim::ZeroHandling::kSkipping);
  EXPECT_EQ(p.hw.decoder_symbols_per_cycle, 2.0);

  EXPECT_EQ(
      sweep_errors(R"({"networks": ["lenet5", "svhn_convnet"], "quantization": {"first_last_weight_bits": 1,
      "layer_overrides": {"conv2": {"weight_bitz": 4, "sparsity": 2}, "fc1": {}, "pool1": {"weight_bits": 4}}},
      "axes": {"layer_overrides": [{}]}})"),
      (std::vector<std::string>{
          "quantization.first_last_weight_bits: must be an integer in 0..16 except 1, got 1",
          "quantization.layer_overrides.conv2.sparsity: must be a number in 0..0.999, got 2",
          "quantization.layer_overrides.conv2.weight_bitz: unknown key (did you mean 'weight_bits'?)",
          "quantization.layer_overrides.fc1: must be a non-empty object of settings (weight_format, "
          "weight_bits, "
          "sparsity)",
          "quantization.layer_overrides.fc1: no conv/fc layer 'fc1' in network svhn_convnet",
          "quantization.layer_overrides.pool1: no conv/fc layer 'pool1' in network lenet5",
          "quantization.layer_overrides.pool1: no conv/fc layer 'pool1' in network svhn_convnet",
          "axes.layer_overrides: a per-layer setting cannot be an axis; set it in "
          "quantization.layer_overrides"}));
}

TEST(PointConfig, RequiresANetwork) {
  try {
    parse_point(nlohmann::ordered_json::parse(R"({"hardware": {"array_rows": 4}})"), "/tmp/p.json");
    FAIL();
  } catch (const sim::ConfigError& e) {
    EXPECT_EQ(e.messages(), (std::vector<std::string>{"network: required: a zoo name or a network file"}));
  }
  const PointConfig p =
      parse_point(nlohmann::ordered_json::parse(R"({"network": "lenet5", "hardware": {"array_rows": 4}})"),
                  "/tmp/p.json");
  EXPECT_EQ(p.hw.array_rows, 4);
  // The effective config is itself a valid point config that describes the same point.
  EXPECT_EQ(parse_point(nlohmann::ordered_json::parse(p.effective.dump()), "/tmp/p.json").id, p.id);
}

TEST(Keys, SchemaFileIsGeneratedFromTheDeclarations) {
  std::ifstream f(std::string(DEEPCHIP_SOURCE_DIR) + "/configs/schema.json");
  ASSERT_TRUE(f) << "configs/schema.json missing: regenerate with `dse --schema > configs/schema.json`";
  EXPECT_EQ(json::parse(f), schema_json())
      << "configs/schema.json is stale: `dse --schema > configs/schema.json`";
}

TEST(Keys, KeyReferenceIsGeneratedFromTheDeclarations) {
  std::ifstream f(std::string(DEEPCHIP_SOURCE_DIR) + "/configs/keys.md");
  ASSERT_TRUE(f) << "configs/keys.md missing: `dse --list-keys --markdown > configs/keys.md`";
  const std::string committed((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_EQ(committed, list_keys_markdown())
      << "configs/keys.md is stale: `dse --list-keys --markdown > configs/keys.md`";
  // Every key has its row, with its default and values.
  for (const auto& d : key_decls())
    EXPECT_NE(committed.find("| `" + d.path() + "`"), std::string::npos) << d.path();
  EXPECT_NE(committed.find("| `hardware.array_rows` | PE | `32` | 1..512 |"), std::string::npos);
  EXPECT_NE(committed.find("| `accuracy.dataset` |  | `\"auto\"` | auto, none, fashion_mnist |"),
            std::string::npos);
}

// Names are unique across the top level and the point sections (axes are named by them); a sweep
// section's keys (never axes) are unique within it.
TEST(Keys, EveryKeyIsDocumentedOnceWithUniqueNames) {
  std::set<std::string> names, sweep_section_paths;
  for (const auto& d : key_decls()) {
    if (is_sweep_section(d.section))
      EXPECT_TRUE(sweep_section_paths.insert(d.path()).second) << d.path();
    else
      EXPECT_TRUE(names.insert(d.name).second) << d.name;
    EXPECT_FALSE(d.doc.empty()) << d.name;
  }
  EXPECT_NE(list_keys_text().find("hardware.array_rows [PE]  default: 32  range: 1..512"), std::string::npos);
}

}  // namespace
}  // namespace deepchip::explorer

namespace deepchip::explorer {
namespace {

const std::string kRepo = DEEPCHIP_SOURCE_DIR;

TEST(AccuracyConfig, KeysAreValidatedWithTheirPaths) {
  const auto errors = sweep_errors(R"({"networks": ["lenet5"], "objectives": ["cycles", "speed"],
      "accuracy": {"test_images": 0, "dataset": "mnist", "max_acuracy_drop": 0.1}})");
  const std::vector<std::string> expected = {
      "accuracy.dataset: must be one of auto, none, fashion_mnist, got \"mnist\"",
      "accuracy.max_acuracy_drop: unknown key (did you mean 'max_accuracy_drop'?)",
      "accuracy.test_images: must be an integer in 1..10000000, got 0",
      "objectives: must be a non-empty list of distinct values from cycles, energy, accuracy, "
      "weight_storage, area, power, latency, edp, throughput, throughput_per_area, got "
      "[\"cycles\",\"speed\"]",
  };
  EXPECT_EQ(errors, expected);
}

TEST(AccuracyConfig, DatasetMustFitTheNetworkAndBeInstalled) {
  EXPECT_EQ(sweep_errors(R"({"networks": ["svhn_convnet"], "accuracy": {"dataset": "fashion_mnist"}})"),
            std::vector<std::string>{"accuracy.dataset: svhn_convnet: fashion_mnist images are 28x28x1; the "
                                     "network's inputs differ"});
  const auto missing = sweep_errors(R"({"networks": [")" + kRepo + R"(/configs/models/fmnist_cnn.onnx"],
      "accuracy": {"dataset_dir": "/nonexistent"}})");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].rfind("accuracy.dataset_dir: /nonexistent/", 0), 0u) << missing[0];
  EXPECT_NE(missing[0].find("dataset-fashion-mnist"), std::string::npos) << missing[0];
}

TEST(AccuracyConfig, AutoTakesTheDatasetFromTheModelRecord) {
  EXPECT_EQ(resolve_dataset(kRepo + "/configs/models/fmnist_cnn.onnx", "auto"), "fashion_mnist");
  EXPECT_EQ(resolve_dataset(kRepo + "/configs/models/fmnist_cnn.onnx", "none"), "");
  EXPECT_EQ(resolve_dataset("lenet5", "auto"), "");
  const auto spec = parse_sweep(nlohmann::ordered_json::parse(R"({"networks": [")" + kRepo +
                                                              R"(/configs/models/fmnist_cnn.onnx", "lenet5"],
      "objectives": ["cycles", "accuracy"], "accuracy": {"test_images": 100, "max_accuracy_drop": 0.01}})"),
                                "/tmp/sweep.json");
  ASSERT_EQ(grid_points(spec).size(), 2u);
  EXPECT_TRUE(grid_points(spec)[0].accuracy.enabled());
  EXPECT_EQ(grid_points(spec)[0].accuracy.test_images, 100);
  EXPECT_FALSE(grid_points(spec)[1].accuracy.enabled());
  EXPECT_EQ(spec.objectives, (std::vector<std::string>{"cycles", "accuracy"}));
}

}  // namespace
}  // namespace deepchip::explorer

namespace deepchip::explorer {
namespace {

TEST(SocConfig, KeysAreValidatedAgainstTheNetworkAndTheEnergyTable) {
  const auto errors = sweep_errors(R"({"networks": ["lenet5"],
      "soc": {"device": "xc7z010", "arm_layers": ["conv9"], "partition": "auto"},
      "axes": {"arm_layers": [["conv1"]]}})");
  const std::vector<std::string> expected = {
      "soc.device: must be one of none, xc7z020, xczu3eg, xczu7ev, xczu9eg, got \"xc7z010\"",
      "soc.arm_layers: only with soc.partition \"fixed\"",
      "soc.arm_layers: no layer 'conv9' in network lenet5",
      "axes.arm_layers: a per-layer setting cannot be an axis; set it in soc.arm_layers",
  };
  EXPECT_EQ(errors, expected);
  EXPECT_EQ(
      sweep_errors(R"({"networks": ["lenet5"], "soc": {"device": "xc7z020", "arm_layers": ["conv9"]}})"),
      (std::vector<std::string>{"soc.arm_layers: only with soc.partition \"fixed\"",
                                "soc.arm_layers: no layer 'conv9' in network lenet5"}));
}

TEST(SocConfig, ResolvesTheDevicesArmCluster) {
  const auto spec = parse_sweep(nlohmann::ordered_json::parse(R"({"networks": ["lenet5"],
      "soc": {"partition": "fixed", "arm_layers": ["conv1"]}, "axes": {"device": ["none", "xc7z020", "xczu3eg"]}})"),
                                "/tmp/sweep.json");
  ASSERT_EQ(grid_points(spec).size(), 3u);
  EXPECT_FALSE(grid_points(spec)[0].soc);
  ASSERT_TRUE(grid_points(spec)[1].soc && grid_points(spec)[2].soc);
  EXPECT_EQ(grid_points(spec)[1].soc->arm.name, "cortex_a9");
  EXPECT_EQ(grid_points(spec)[2].soc->arm.name, "cortex_a53");
  EXPECT_EQ(grid_points(spec)[2].soc->arm_layers, std::vector<std::string>{"conv1"});
  EXPECT_EQ(grid_points(spec)[2].soc->strategy, sim::PartitionStrategy::kFixed);
  // UltraScale+: a 128-bit S_AXI_HP port at the accelerator clock.
  EXPECT_EQ(grid_points(spec)[2].soc->pl_port.width_bytes, 16);
  EXPECT_EQ(grid_points(spec)[2].soc->pl_port.fabric_cycles_per_beat, 1.0);
}

}  // namespace
}  // namespace deepchip::explorer

namespace deepchip::explorer {
namespace {

TEST(SweepConfig, GridSizeIsCheckedWithoutOverflowBeforeEnumerating) {
  // 10^9 points used to grow memory until bad_alloc; 16 axes of 16 values (2^64) overflowed to 0 points.
  std::string nine_axes, values = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]";
  const char* keys[] = {"array_rows",       "array_cols",        "weight_bits",
                        "activation_bits",  "accumulator_bits",  "dram_latency_cycles",
                        "input_buffer_kib", "weight_buffer_kib", "output_buffer_kib"};
  for (const char* k : keys)
    nine_axes += std::string(nine_axes.empty() ? "" : ", ") + "\"" + k + "\": " + values;
  auto errors = sweep_errors(R"({"networks": ["lenet5"], "axes": {)" + nine_axes + "}}");
  ASSERT_GE(errors.size(), 1u);
  EXPECT_EQ(
      errors.back(),
      "axes: the grid has 1000000000 design points (1 network(s) x 9 axes), more than the limit of 100000 "
      "for a grid sweep");
  std::string sixteen;
  const char* more[] = {"array_rows",          "array_cols",
                        "accumulator_bits",    "input_buffer_kib",
                        "weight_buffer_kib",   "output_buffer_kib",
                        "sram_word_bits",      "dram_latency_cycles",
                        "clock_mhz",           "dram_bandwidth_bytes_per_cycle",
                        "pl_port_outstanding", "huffman_decoder_symbols_per_cycle",
                        "pruning_block_k",     "pruning_block_n",
                        "test_images",         "calibration_images"};
  std::string v16 = "[";
  for (int i = 1; i <= 16; ++i) v16 += std::to_string(i + 7) + (i < 16 ? ", " : "]");
  for (const char* k : more) sixteen += std::string(sixteen.empty() ? "" : ", ") + "\"" + k + "\": " + v16;
  errors = sweep_errors(R"({"networks": ["lenet5"], "axes": {)" + sixteen + "}}");
  ASSERT_GE(errors.size(), 1u);
  EXPECT_EQ(
      errors.back(),
      "axes: the grid has 18446744073709551616 design points (1 network(s) x 16 axes), more than the limit "
      "of 100000 for a grid sweep");
}

TEST(SweepConfig, IntegerKeysTakeJsonIntegersOnly) {
  // array_rows: 8.0 used to be accepted (network files rejected 4.0): one spelling per value.
  EXPECT_EQ(sweep_errors(R"({"networks": ["lenet5"], "hardware": {"array_rows": 8.0, "array_cols": 1e1}})"),
            (std::vector<std::string>{"hardware.array_cols: must be an integer in 1..512, got 10.0",
                                      "hardware.array_rows: must be an integer in 1..512, got 8.0"}));
  EXPECT_EQ(sweep_errors(R"({"networks": ["lenet5"], "worker_memory_limit_mib": 32, "time_limit_s": 0})"),
            (std::vector<std::string>{"time_limit_s: must be a number in 1..86400, got 0",
                                      "worker_memory_limit_mib: must be an integer in 64..1048576, got 32"}));
}

TEST(SweepConfig, EnergyTableIsValidatedWithTheConfig) {
  const std::string table = "/tmp/bad_energy_" + std::to_string(getpid()) + ".json";
  std::ofstream(table)
      << R"({"source": "x", "int_mult_8bit_pj": -1, "int_add_32bit_pj": 0.1, "dram_pj_per_bit": 20,
                              "sram_64bit_access_pj": [{"size_kib": 8, "pj": 10}, {"size_kib": 8, "pj": 20}],
                              "extra": 1})";
  EXPECT_EQ(sweep_errors(R"({"networks": ["lenet5"], "energy_table": ")" + table + "\"}"),
            (std::vector<std::string>{
                "energy_table: " + table + ": extra: unknown key",
                "energy_table: " + table + ": int_mult_8bit_pj: required, a number in (0, 1e6]",
                "energy_table: " + table +
                    ": sram_64bit_access_pj: two points of 8.0 KiB (sizes must differ to "
                    "interpolate)"}));
  std::remove(table.c_str());
}

// A buffer size outside the technology table's SRAM points runs with a warning naming the key; one beyond
// its largest SRAM is an error that offers the reading as bytes.
TEST(SweepConfig, BufferSizesOutsideTheSramTableAreFlaggedOrRefused) {
  const std::string table = std::string(DEEPCHIP_SOURCE_DIR) + "/configs/tech/45nm.json";
  const PointConfig p = parse_point(
      nlohmann::ordered_json::parse(R"({"network": "lenet5", "hardware": {"input_buffer_kib": 2}})"),
      "/tmp/p.json");
  EXPECT_EQ(
      p.warnings,
      (std::vector<std::string>{"hardware.input_buffer_kib: 2 KiB is outside the SRAM points of " + table +
                                " (access energy 8..1024 KiB, area 4..32768 KiB): extrapolated "
                                "along the end segment"}));
  const SweepSpec s = parse_sweep(
      nlohmann::ordered_json::parse(R"({"networks": ["lenet5"], "axes": {"weight_buffer_kib": [64, 2048]}})"),
      "/tmp/s.json");
  EXPECT_EQ(
      s.warnings,
      (std::vector<std::string>{"axes.weight_buffer_kib[1]: 2048 KiB is outside the SRAM points of " + table +
                                " (access energy 8..1024 KiB): extrapolated along the end "
                                "segment"}));
  EXPECT_EQ(
      sweep_errors(R"({"networks": ["lenet5"], "hardware": {"weight_buffer_kib": 262144}})"),
      (std::vector<std::string>{"hardware.weight_buffer_kib: 262144 KiB is beyond the largest SRAM of " +
                                table + " (32768 KiB); if it is in bytes, write 256"}));
  EXPECT_EQ(sweep_errors(R"({"networks": ["lenet5"], "hardware": {"input_buffer_kib": 300000}})"),
            (std::vector<std::string>{"hardware.input_buffer_kib: 300000 KiB is beyond the largest SRAM of " +
                                      table + " (32768 KiB)"}));
}

// A key in the wrong place is pointed to where it lives.
TEST(SweepConfig, AMisplacedKeyIsPointedToItsSection) {
  EXPECT_EQ(sweep_errors(R"({"networks": ["lenet5"], "array_rows": 8, "hardware": {"weight_bits": 4},
                             "axes": {"hardware.array_cols": [8]}})"),
            (std::vector<std::string>{
                "array_rows: unknown key (did you mean 'hardware.array_rows'?)",
                "hardware.weight_bits: unknown key (did you mean 'quantization.weight_bits'?)",
                "axes.hardware.array_cols: unknown key (did you mean 'array_cols'?)"}));
}

}  // namespace
}  // namespace deepchip::explorer

namespace deepchip::explorer {
namespace {

const std::string kFmnist = std::string(DEEPCHIP_SOURCE_DIR) + "/configs/models/fmnist_cnn.onnx";

// One axis per (layer, setting), layers in network order and settings as written, set in
// quantization.layer_overrides; the grid is their product.
TEST(LayerAxes, OneAxisPerLayerAndSetting) {
  const auto spec = parse_sweep(nlohmann::ordered_json::parse(R"({"networks": [")" + kFmnist + R"("],
      "layer_axes": {"weight_bits": [4, 8], "sparsity": [0, 0.5],
                     "layers": ["/features/features.3/Conv", "/features/features.0/Conv"]}})"),
                                "/tmp/sweep.json");
  const std::vector<std::string> names = {
      "/features/features.0/Conv:weight_bits", "/features/features.0/Conv:sparsity",
      "/features/features.3/Conv:weight_bits", "/features/features.3/Conv:sparsity"};
  EXPECT_EQ(spec.axis_names, names);
  const auto points = grid_points(spec);
  ASSERT_EQ(points.size(), 16u);
  const auto& last = points.back();  // every axis at its last value
  EXPECT_EQ(last.effective["quantization"]["layer_overrides"]["/features/features.0/Conv"],
            (json{{"weight_bits", 8}, {"sparsity", 0.5}}));
  ASSERT_EQ(last.quant.overrides.count("/features/features.3/Conv"), 1u);
  EXPECT_EQ(last.quant.overrides.at("/features/features.3/Conv").weight_bits, 8);
  EXPECT_EQ(points[1].quant.overrides.at("/features/features.3/Conv").sparsity, 0.5);
  EXPECT_EQ(points[1].quant.overrides.at("/features/features.0/Conv").weight_bits, 4);
  // Without "layers": every conv/fc layer.
  const auto all = parse_sweep(nlohmann::ordered_json::parse(R"({"networks": [")" + kFmnist + R"("],
      "layer_axes": {"weight_format": ["int", "ternary"]}, "search": {"strategy": "random", "budget": 3}})"),
                               "/tmp/sweep.json");
  EXPECT_EQ(all.space.axes().size(), 4u);
  EXPECT_EQ(all.space.size(), 16.0L);
}

TEST(LayerAxes, ErrorsNameTheirKeys) {
  EXPECT_EQ(
      sweep_errors(R"({"networks": [")" + kFmnist + R"(", "lenet5"], "layer_axes": {"weight_bits": [4]}})"),
      std::vector<std::string>{
          "layer_axes: per-layer axes need exactly one network (layer names differ between networks)"});
  const auto errors = sweep_errors(R"({"networks": [")" + kFmnist + R"("], "axes": {"sparsity": [0, 0.5]},
      "quantization": {"layer_overrides": {"/features/features.0/Conv": {"weight_bits": 8}}},
      "layer_axes": {"weight_bits": [4, 1], "sparsity": [0.3], "bitz": [1], "layers": ["/features/features.0/Conv", "nope"]}})");
  const std::vector<std::string> expected = {
      "layer_axes.layers: no conv/fc layer \"nope\" in network " + kFmnist,
      "layer_axes.weight_bits[1]: must be an integer in 2..16, got 1",
      "layer_axes.weight_bits: quantization.layer_overrides./features/features.0/Conv sets it too; give it "
      "in "
      "one place",
      "layer_axes.sparsity: also an axis (axes.sparsity); give it in one place",
      "layer_axes.bitz: unknown key"};
  EXPECT_EQ(errors, expected);
}

}  // namespace
}  // namespace deepchip::explorer
