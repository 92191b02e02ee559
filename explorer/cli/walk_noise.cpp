// dse walk-noise --config POINT.json: the point's layers one at a time under a ladder of noise levels.
#include "explorer/run/walk_noise.hpp"

#include <iostream>

#include "explorer/cli/command.hpp"
#include "explorer/run/workload_cache.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/json_input.hpp"
#include "sim/io/output_file.hpp"

namespace fs = std::filesystem;

namespace deepchip::cli {
namespace {

constexpr const char* kUsage =
    "dse walk-noise --config POINT.json [--out DIR]\n"
    "  The Walking Noise protocol on the point's compressed model: noise (noise.walk_kind) on one conv/fc\n"
    "  layer at a time at a ladder of levels, accuracy on the dataset as the mean of noise.repeats seeded\n"
    "  passes; per layer the level at which accuracy falls to noise.walk_fraction of the clean accuracy.\n"
    "  Writes DIR/walk_noise.csv, walk_noise.json and effective_config.json (default\n"
    "  dse_out/walk_noise_<point id>).\n";

struct WalkNoiseArgs {
  std::string config, out;
};

int run_walk_noise(const WalkNoiseArgs& a) {
  const explorer::PointConfig point = explorer::parse_point(explorer::load_json_file(a.config), a.config);
  print_warnings(point.warnings);
  if (!point.accuracy.enabled())
    throw sim::ConfigError("accuracy.dataset: dse walk-noise measures accuracy; the point needs a dataset");
  if (point.noise.enabled())
    throw sim::ConfigError(
        std::string(point.noise.levels.additive > 0 ? "noise.additive_noise" : "noise.multiplicative_noise") +
        ": dse walk-noise sets the noise itself, layer by layer; leave it 0 (set walk_kind)");
  const fs::path dir = a.out.empty() ? fs::path("dse_out") / ("walk_noise_" + point.id) : fs::path(a.out);
  check_out_dir(dir);
  refuse_sweep_dir(dir);
  explorer::WorkloadCache cache;
  const auto result = explorer::walk_noise(point, cache, [](const std::string& layer, const auto& step) {
    std::cerr << "walk-noise " << layer << " at " << step.level << ": top-1 " << step.mean << " +- "
              << step.stddev << "\n";
  });
  sim::make_output_dir(dir, "--out");
  sim::OutputSet outputs;
  outputs.add(dir / "effective_config.json", sim::dump_json(point.effective, 2) + "\n");
  explorer::write_walk_noise(result, dir, outputs);
  outputs.commit();
  std::cout << explorer::walk_noise_table(result) << "walk_noise.csv and walk_noise.json in " << dir.string()
            << "\n";
  return 0;
}

}  // namespace

Command add_walk_noise(CLI::App& dse) {
  auto a = std::make_shared<WalkNoiseArgs>();
  CLI::App* app = add_command(dse, "walk-noise");
  add_value(*app, "--config", a->config);
  add_value(*app, "--out", a->out);
  Command c;
  c.app = app;
  c.usage = kUsage;
  c.check = [a](std::vector<std::string>& errors) {
    if (errors.empty() && a->config.empty()) errors.push_back("--config: required");
  };
  c.run = [a] { return run_walk_noise(*a); };
  return c;
}

}  // namespace deepchip::cli
