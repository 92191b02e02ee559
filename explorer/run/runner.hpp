// Runs a sweep: every point in a forked worker (worker_pool.hpp), every finished point committed to the
// result store in --out (store/result_store.hpp) the moment it finishes, and the exports (results.csv,
// layers.csv, summary.json) rewritten from it every few seconds and at the end. Rerunning the same sweep on
// the same --out resumes it: the points already stored are taken from the store, the rest run. With verify
// "pareto", points run at the `timing` level and the points that matter (Pareto front, best within an
// accuracy budget) are re-run with numerics and golden-checked.
#pragma once
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "explorer/config/config.hpp"
#include "explorer/run/outcome.hpp"
#include "explorer/run/worker_pool.hpp"
#include "explorer/run/workload_cache.hpp"
#include "sim/cost/rtl_area.hpp"
#include "sim/cost/stats.hpp"
#include "sim/io/idx.hpp"
#include "sim/ir/model.hpp"

namespace deepchip::explorer {

struct SweepRun {
  std::vector<PointOutcome> outcomes;  // the finished points, in the sweep's order
  size_t compressions = 0;    // distinct compression settings computed by this run (cached across points)
  size_t resumed = 0;         // points (explore phase) taken from the store
  size_t interrupted = 0;     // workers killed from outside: not stored, they run on the next resume
  int stopped_by_signal = 0;  // SIGINT or SIGTERM stopped the sweep (its workers are gone)
  size_t planned = 0;         // the grid's points, or the strategy's budget
};

// OUT/report.html of a sweep (explorer/report/html/): what run_sweep writes at the end.
std::filesystem::path report_file(const std::string& out_dir);

struct SweepOptions {
  int jobs = 1;
  std::string revision;
  bool allow_other_revision = false;  // add to a store written by another code revision
  double export_interval_s = 5;       // the exports are rewritten this often while points finish (or less
                                      // often when one export takes over a tenth of it)
  // --shard K/N: this run evaluates the points whose id hashes to K - 1 modulo N (grid, random, lhs).
  int shard_index = 0, shard_count = 1;
  std::string config_path;  // recorded in the store with the config's text (`dse report`, `dse merge`)
  std::string config_text;
  // `dse report`: run no point; report what the store holds (the points a run would ask for that are not
  // stored are left out).
  bool report_only = false;
};

// Whether the point `id` belongs to shard `index` of `count` (FNV-1a of the id, modulo count).
bool in_shard(const std::string& id, int index, int count);

// What a sweep reports as it goes (library code does not print; dse's main does). Either may be empty.
struct SweepObserver {
  // The store is open: `points` in the sweep, `stored` of them already in it (a resume).
  std::function<void(size_t points, size_t stored)> started;
  // A compression's accuracy was evaluated (not called when it came from the cache).
  std::function<void(const PointConfig&, const AccuracyReport&)> accuracy_evaluated;
  // A point of a batch finished: phase "" (exploration) or "verify", `finished` of `total` in the batch.
  std::function<void(const std::string& phase, size_t finished, size_t total, const PointConfig&,
                     const WorkerOutcome&)>
      point_finished;
  // Something the user should know that does not stop the sweep (a damaged store row that runs again).
  std::function<void(const std::string& message)> warning;
};

// Throws sim::ConfigError when the store in `out_dir` cannot be used (see ResultStore).
SweepRun run_sweep(const SweepSpec& spec, const std::string& out_dir, const SweepOptions& options,
                   const SweepObserver& observer = {});

std::string git_revision();

}  // namespace deepchip::explorer
