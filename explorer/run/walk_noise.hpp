// dse walk-noise: the Walking Noise protocol (Borras, Klein, Froening 2022) on a design point's compressed
// model. Noise of one kind (noise.walk_kind) is put on one conv/fc layer at a time at a geometric ladder of
// levels (noise.walk_min_level .. walk_max_level, walk_steps_per_decade per decade); at each level the
// top-1 accuracy on the test images is the mean over noise.repeats seeded passes. A layer's robustness is the
// level at which the mean falls to noise.walk_fraction of the clean (exact integer path) accuracy,
// interpolated linearly in log(level) between the two ladder levels around it. A last row puts the noise on
// every walked layer at once. The ladder of a row stops at its first level below the threshold.
#pragma once
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "explorer/config/config.hpp"
#include "explorer/run/workload_cache.hpp"
#include "sim/io/output_file.hpp"

namespace deepchip::explorer {

struct WalkStep {
  double level = 0;
  double mean = 0, stddev = 0;  // top-1 over the repeats
};

struct WalkRow {
  std::string layer;  // a layer name, or "(all)"
  std::vector<WalkStep> steps;
  // The interpolated level; none when the accuracy never fell to the threshold on the ladder. below_ladder:
  // it had already fallen at walk_min_level (robust_level is then that level, an upper bound).
  std::optional<double> robust_level;
  bool below_ladder = false;
};

struct WalkResult {
  std::string kind;  // additive or multiplicative
  int64_t images = 0;
  int repeats = 1;
  double clean_top1 = 0, fraction = 0.5, threshold = 0;
  std::vector<double> ladder;
  std::vector<WalkRow> rows;
  double seconds = 0;
};

// The ladder levels: walk_min_level * 10^(i / steps_per_decade) up to walk_max_level.
std::vector<double> walk_ladder(const NoiseSpec& spec);
// Where a row's accuracy crosses `threshold` (see WalkRow), from its steps.
void locate_robust_level(WalkRow& row, double threshold);

using WalkProgress = std::function<void(const std::string& layer, const WalkStep& step)>;
WalkResult walk_noise(const PointConfig& point, WorkloadCache& cache, const WalkProgress& progress);

// walk_noise.csv (one row per layer: robust level and the accuracy at every ladder level walked) and
// walk_noise.json (everything) in `dir`, each written atomically.
void write_walk_noise(const WalkResult& r, const std::filesystem::path& dir, sim::OutputSet& files);
std::string walk_noise_table(const WalkResult& r);

}  // namespace deepchip::explorer
