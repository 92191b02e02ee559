#include "explorer/run/walk_noise.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "explorer/report/exports.hpp"
#include "sim/io/json_input.hpp"
#include "sim/io/output_file.hpp"

namespace deepchip::explorer {

using nlohmann::json;

std::vector<double> walk_ladder(const NoiseSpec& spec) {
  std::vector<double> levels;
  for (int i = 0;; ++i) {
    const double level =
        spec.walk_min_level * std::pow(10.0, static_cast<double>(i) / spec.walk_steps_per_decade);
    if (level > spec.walk_max_level * (1 + 1e-9)) break;
    levels.push_back(level);
  }
  return levels;
}

void locate_robust_level(WalkRow& row, double threshold) {
  row.robust_level.reset();
  row.below_ladder = false;
  for (size_t j = 0; j < row.steps.size(); ++j) {
    const WalkStep& s = row.steps[j];
    if (s.mean > threshold) continue;
    if (j == 0) {
      row.robust_level = s.level;
      row.below_ladder = true;
      return;
    }
    const WalkStep& above = row.steps[j - 1];
    const double t = (above.mean - threshold) / (above.mean - s.mean);  // above.mean > threshold >= s.mean
    row.robust_level = std::exp(std::log(above.level) + t * (std::log(s.level) - std::log(above.level)));
    return;
  }
}

namespace {

sim::LayerNoise levels_of(const NoiseSpec& spec, double level) {
  return spec.walk_multiplicative ? sim::LayerNoise{0, level} : sim::LayerNoise{level, 0};
}

WalkRow walk_row(const PointConfig& p, WorkloadCache& cache, const std::vector<std::string>& layers,
                 const std::string& label, const WalkResult& r, const WalkProgress& progress) {
  const sim::QuantModel& q = cache.quantized(p);
  WalkRow row;
  row.layer = label;
  for (double level : r.ladder) {
    const sim::NoiseModel noise = sim::uniform_noise(q.net, levels_of(p.noise, level), layers, p.noise.seed);
    const sim::NoisyAccuracy a = cache.noisy_accuracy(p, noise, p.noise.repeats);
    row.steps.push_back({level, a.mean(), a.stddev()});
    if (progress) progress(label, row.steps.back());
    if (a.mean() <= r.threshold) break;
  }
  locate_robust_level(row, r.threshold);
  return row;
}

// As printf's %.6g: an ostream's default float format at precision 6.
std::string number(double v) {
  std::ostringstream os;
  os << std::setprecision(6) << v;
  return os.str();
}

}  // namespace

WalkResult walk_noise(const PointConfig& p, WorkloadCache& cache, const WalkProgress& progress) {
  const auto start = std::chrono::steady_clock::now();
  WalkResult r;
  r.kind = p.noise.walk_multiplicative ? "multiplicative" : "additive";
  r.repeats = p.noise.repeats;
  r.fraction = p.noise.walk_fraction;
  r.ladder = walk_ladder(p.noise);
  const auto clean = cache.accuracy(p);  // the exact path: the point has no noise of its own
  r.images = clean->images;
  r.clean_top1 = clean->top1;
  r.threshold = r.fraction * r.clean_top1;
  std::vector<std::string> walked = p.noise.layers;
  if (walked.empty())
    for (const auto& l : cache.quantized(p).net.layers)
      if (l.is_gemm()) walked.push_back(l.name);
  for (const auto& layer : walked) r.rows.push_back(walk_row(p, cache, {layer}, layer, r, progress));
  r.rows.push_back(walk_row(p, cache, walked, "(all)", r, progress));
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

void write_walk_noise(const WalkResult& r, const std::filesystem::path& dir, sim::OutputSet& files) {
  std::string csv = "layer,kind,robust_level,below_ladder,images,repeats,clean_top1,threshold_top1";
  for (double level : r.ladder) csv += ",top1_at_" + number(level);
  csv += "\n";
  json rows = json::array();
  for (const auto& row : r.rows) {
    csv += csv_cell(row.layer) + "," + r.kind + "," + (row.robust_level ? number(*row.robust_level) : "") +
           "," + (row.below_ladder ? "1" : "0") + "," + std::to_string(r.images) + "," +
           std::to_string(r.repeats) + "," + number(r.clean_top1) + "," + number(r.threshold);
    json steps = json::array();
    for (size_t i = 0; i < r.ladder.size(); ++i) {
      csv += "," + (i < row.steps.size() ? number(row.steps[i].mean) : std::string());
      if (i < row.steps.size())
        steps.push_back({{"level", row.steps[i].level},
                         {"top1_mean", row.steps[i].mean},
                         {"top1_std", row.steps[i].stddev}});
    }
    csv += "\n";
    rows.push_back({{"layer", row.layer},
                    {"robust_level", row.robust_level ? json(*row.robust_level) : json()},
                    {"below_ladder", row.below_ladder},
                    {"steps", steps}});
  }
  const json j = {{"kind", r.kind},         {"images", r.images},
                  {"repeats", r.repeats},   {"clean_top1", r.clean_top1},
                  {"fraction", r.fraction}, {"threshold_top1", r.threshold},
                  {"ladder", r.ladder},     {"rows", rows},
                  {"seconds", r.seconds}};
  files.add(dir / "walk_noise.csv", csv);
  files.add(dir / "walk_noise.json", sim::dump_json(j, 2) + "\n");
}

std::string walk_noise_table(const WalkResult& r) {
  std::ostringstream os;
  os << "Walking Noise (" << r.kind << ", " << r.repeats << " repeat(s), " << r.images
     << " test images): clean top-1 " << number(r.clean_top1) << ", threshold " << number(r.threshold) << " ("
     << number(r.fraction) << " of clean)\n";
  size_t width = 5;
  for (const auto& row : r.rows) width = std::max(width, row.layer.size());
  auto line = [&](const std::string& layer, const std::string& level, const std::string& above,
                  const std::string& below) {
    os << std::left << std::setw(static_cast<int>(width) + 2) << layer << std::right << std::setw(14) << level
       << std::setw(13) << above << std::setw(13) << below << "\n";
  };
  line("layer", "robust_level", "top1_above", "top1_below");
  for (const auto& row : r.rows) {
    const size_t n = row.steps.size();
    if (!row.robust_level) {
      line(row.layer, "> " + number(r.ladder.back()), number(row.steps[n - 1].mean), "");
      continue;
    }
    line(row.layer, (row.below_ladder ? "<= " : "") + number(*row.robust_level),
         n >= 2 ? number(row.steps[n - 2].mean) : "", number(row.steps[n - 1].mean));
  }
  return os.str();
}

}  // namespace deepchip::explorer
