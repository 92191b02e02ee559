// Runs design points: the workload (network, synthetic model, quantization) is prepared once per setting in
// the parent, then every point runs in its own forked worker process (SystemC elaborates once per process),
// `jobs` at a time, each with a time limit; a crash or timeout becomes a failed point with its reason.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "explorer/area.hpp"
#include "explorer/config.hpp"
#include "sim/model.hpp"
#include "sim/stats.hpp"

namespace deepchip::explorer {

class WorkloadCache {
 public:
  // The quantized model of a point's (network, seed, quantization); computed on first use.
  const sim::QuantModel& quantized(const PointConfig& point);
  // How many (network, seed, compression) settings were compressed: once each, however many points use them.
  size_t compressions() const { return quant_models_.size(); }

 private:
  std::map<std::string, std::unique_ptr<sim::FloatModel>> float_models_;
  std::map<std::string, std::unique_ptr<sim::QuantModel>> quant_models_;
};

struct PointOutcome {
  PointConfig point;
  sim::PointResult result;
  std::optional<AreaEstimate> area;  // from configs/rtl_area.csv
};

// Evaluates one point in this process (`dse run`); may be called once per process.
sim::PointResult run_point_here(const PointConfig& point, WorkloadCache& cache);

struct SweepRun {
  std::vector<PointOutcome> outcomes;
  size_t compressions = 0;  // distinct compression settings computed (cached across hardware points)
};
SweepRun run_sweep(const SweepSpec& spec, const std::string& out_dir, int jobs,
                   const std::string& git_revision);

std::string git_revision();

}  // namespace deepchip::explorer
