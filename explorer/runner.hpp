// Runs design points: the workload (network, synthetic model, quantization, golden reference) is prepared
// once per setting in the parent, then every point runs in its own forked worker process (SystemC
// elaborates once per process), `jobs` at a time, each with a time limit; a crash or timeout becomes a
// failed point with its reason. With verify "pareto", points run at the `timing` level and the points that
// matter (Pareto front, best within an accuracy budget) are re-run with numerics and golden-checked.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "explorer/area.hpp"
#include "explorer/config.hpp"
#include "explorer/workload_cache.hpp"
#include "sim/idx.hpp"
#include "sim/model.hpp"
#include "sim/stats.hpp"

namespace deepchip::explorer {

struct PointOutcome {
  PointConfig point;
  sim::PointResult result;
  std::optional<AreaEstimate> area;        // from configs/rtl_area.csv
  std::optional<AccuracyReport> accuracy;  // networks with a dataset
  // accuracy.max_accuracy_drop holds (true without accuracy)
  bool constraints_ok() const { return !accuracy || point.accuracy.allows(accuracy->drop()); }
};

// Evaluates one point in this process (`dse run`); may be called once per process.
// `explored_for`: see models::PointSpec (the runner's timing exploration of a point configured otherwise).
sim::PointResult run_point_here(const PointConfig& point, WorkloadCache& cache,
                                std::optional<sim::ArrayImpl> explored_for = std::nullopt);

struct SweepRun {
  std::vector<PointOutcome> outcomes;  // the finished points
  size_t compressions = 0;    // distinct compression settings computed (cached across hardware points)
  int stopped_by_signal = 0;  // SIGINT or SIGTERM stopped the sweep (its workers are gone)
};
// What a sweep reports as it goes (library code does not print; dse's main does). Either may be empty.
struct SweepObserver {
  // A compression's accuracy was evaluated (not called when it came from the cache).
  std::function<void(const PointConfig&, const AccuracyReport&)> accuracy_evaluated;
  // A point of a batch finished: phase "" (exploration) or "verify", `finished` of `total` in the batch.
  std::function<void(const std::string& phase, size_t finished, size_t total, const PointConfig&,
                     const sim::PointResult&)>
      point_finished;
};
SweepRun run_sweep(const SweepSpec& spec, const std::string& out_dir, int jobs,
                   const std::string& git_revision, const SweepObserver& observer = {});

std::string git_revision();

}  // namespace deepchip::explorer
