// Sweep and design-point configs: parsed, validated against the key declarations (all errors at once,
// each naming its JSON path), and expanded into design points with defaults filled in.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "explorer/config/objectives.hpp"
#include "explorer/search/design_space.hpp"
#include "sim/exec/noise.hpp"
#include "sim/ir/model.hpp"
#include "sim/map/hardware.hpp"
#include "sim/soc/soc_config.hpp"
#include "sim/util/enum_names.hpp"
#include "sim/zoo/decoder.hpp"

namespace deepchip::explorer {

// The choices that stand before a list of names: soc.device's "no system", soc.arm's "the device's own
// cluster", accuracy.dataset's "none" and "the model record's".
inline const std::string kNoDevice = "none", kDevicesArm = "auto", kNoDataset = "none",
                         kRecordsDataset = "auto";

// Accuracy in the loop (the "accuracy" section), with the dataset resolved ("auto" looked up).
struct AccuracySpec {
  std::string dataset;  // "" (none) or a name of sim::dataset_kinds()
  std::string dataset_dir;
  int64_t test_images = 10000;
  int64_t calibration_images = 256;
  double reference_top1 = 0;  // 0: the float model's
  double max_accuracy_drop = 1.0;
  bool enabled() const { return !dataset.empty(); }
  bool allows(double accuracy_drop) const { return accuracy_drop <= max_accuracy_drop + 1e-12; }
};

// noise.walk_kind: the noise dse walk-noise puts on one layer at a time.
enum class NoiseWalkKind { kAdditive, kMultiplicative };

// The "noise" section: noisy compute on the accuracy path (sim/exec/noise.hpp) and dse walk-noise's protocol.
struct NoiseSpec {
  sim::LayerNoise levels;
  std::vector<std::string> layers;  // empty: every conv/fc layer
  int repeats = 1;
  uint64_t seed = 1;
  bool walk_multiplicative = false;
  double walk_min_level = 0.001, walk_max_level = 10, walk_fraction = 0.5;
  int walk_steps_per_decade = 4;
  bool enabled() const { return levels.any(); }
};

// The ARM+FPGA system (the "soc" section); device "" = the accelerator alone.
struct PointConfig {
  std::string network;  // zoo name or resolved file path
  uint64_t seed = 1;
  std::string energy_table;  // resolved path
  sim::HardwareConfig hw;
  sim::QuantConfig quant;
  AccuracySpec accuracy;
  NoiseSpec noise;
  std::optional<sim::Sequence> sequence;  // generative decoding (sequence.prompt_tokens > 0)
  std::optional<sim::SocConfig> soc;      // the ARM+FPGA system (soc.device set), presets and ports resolved
  nlohmann::json effective;  // the whole config with defaults filled in (rerunnable with `dse run`)
  std::string id;            // point_id(effective) (config/identity.hpp): by content, from any folder
  // The sweep's "constraints" (not part of `effective` or the id: they judge a result, not make it).
  std::vector<MetricConstraint> constraints;
  // What parse_point flagged without refusing ("hardware.weight_buffer_kib: ... extrapolated"); dse run
  // prints them.
  std::vector<std::string> warnings;
};

// A grid sweep runs every point of its design space; larger grids are refused at validation (the other
// strategies take any size).
constexpr uint64_t kMaxGridPoints = 100000;

enum class SearchStrategy { kGrid, kRandom, kLhs, kNsga2 };

// The "search" section: how the design space is explored.
struct SearchSpec {
  SearchStrategy strategy = SearchStrategy::kGrid;
  int64_t budget = 0;  // evaluated points (random, lhs, nsga2); 0 with grid: every point
  int64_t population = 40;
  uint64_t seed = 1;
  bool sensitivity = false;  // nsga2 over layer_axes: the sensitivity stage first (search/sensitivity.hpp)
};

// Which points of a sweep execute their numerics and are golden-checked (key "verify").
enum class VerifyPolicy { kPareto, kAll };

struct SweepSpec {
  // What identifies the sweep to its result store: sweep_dimensions(space).dump() (config/identity.hpp),
  // the values its points take at every key path. Objectives, constraints, search, verify and the limits
  // are not part of it: they choose and judge points, they do not make them.
  std::string identity;
  std::vector<std::string> axis_names;
  DesignSpace space;
  SearchSpec search;
  double time_limit_s = 600;
  int64_t worker_memory_limit_mib = 4096;
  std::vector<std::string> objectives = {"cycles", "energy"};  // of the Pareto front
  std::vector<MetricConstraint> constraints;                   // the "constraints" key
  VerifyPolicy verify = VerifyPolicy::kPareto;
  std::vector<std::string> warnings;  // what parse_sweep flagged without refusing; dse prints them
};

// The dataset a network's accuracy is measured on: `setting` itself, or for "auto" the "dataset" of a .onnx
// model's record (<model>.json beside it); "" for none.
std::string resolve_dataset(const std::string& network, const std::string& setting);

// Reads a JSON file keeping the order of its keys (the axes of a sweep vary in the order they are written);
// throws sim::ConfigError "file: ..." if unreadable or malformed.
nlohmann::ordered_json load_json_file(const std::string& path);
// Both throw sim::ConfigError carrying every problem found. Effective configs are canonical (sorted keys).
SweepSpec parse_sweep(const nlohmann::ordered_json& config, const std::string& config_path);
PointConfig parse_point(const nlohmann::ordered_json& config, const std::string& config_path);

// Every point of a grid-sized space, in grid order (networks outermost, the last axis fastest).
std::vector<PointConfig> grid_points(const SweepSpec& spec);
// How many probes search.sensitivity evaluates in `space` (search/sensitivity.hpp): the baseline and, per
// layer, each other combination of its values. Here because the config library does not link the search
// strategies; Sensitivity.ProbesAreTheBaselineAndEachLayersChoicesAlone checks it against the stage.
size_t sensitivity_probe_count(const DesignSpace& space);

// The design point a fully specified (effective) config describes.
PointConfig point_from_effective(const nlohmann::json& effective);

}  // namespace deepchip::explorer

namespace deepchip::sim {
template <>
const EnumNames<explorer::SearchStrategy>& enum_names();
template <>
const EnumNames<explorer::NoiseWalkKind>& enum_names();
template <>
const EnumNames<explorer::VerifyPolicy>& enum_names();
}  // namespace deepchip::sim
