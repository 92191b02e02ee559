// Design points run in forked worker processes, `jobs` at a time, each point with a time limit and an
// address-space limit; a crash or timeout becomes a failed point with its reason. A worker evaluates many
// points one after another (explorer/run/worker_process.hpp: a fresh SystemC kernel for each), so a point
// costs no fork; a worker that crashed, hung or ran out of memory is replaced and only its point fails. The
// workload a point needs is prepared in the parent before the point is sent, so that it is computed once
// and shared copy-on-write: a worker forked before it was is retired and a new one forked.
#pragma once
#include <signal.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "explorer/config/config.hpp"
#include "explorer/run/workload_cache.hpp"
#include "sim/cost/observers.hpp"
#include "sim/cost/stats.hpp"

namespace deepchip::explorer {

// SIGINT/SIGTERM while a pool runs: it stops its workers and returns; received() says which signal came.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  static int received();

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};

struct WorkerJob {
  PointConfig point;                           // hw.impl is the implementation the worker runs
  std::optional<sim::ArrayImpl> explored_for;  // see models::PointSpec
};

struct WorkerOutcome {
  sim::PointResult result;
  // The result's JSON for the store, as the worker serialized it; empty for an outcome the sweep made
  // (a crash, a time limit), which the store serializes itself.
  std::string result_json;
  double wall_seconds = 0;
  // The worker was killed from outside (SIGKILL not sent by the pool: a user, the OOM killer) or could not
  // be forked: the point did not fail, it did not finish. Such points are not stored and run again on resume.
  bool interrupted = false;
};

struct PoolSettings {
  int jobs = 1;
  double time_limit_s = 600;
  int64_t memory_limit_mib = 4096;
  std::string out_dir;   // each point's files go to out_dir/points/<id>/
  std::string revision;  // written into the point's result.json
};

// The reasons of a point that failed on a limit, naming the limit as configured (1 s, 1.5 s; MiB).
std::string time_limit_reason(double time_limit_s);
std::string memory_limit_reason(int64_t memory_limit_mib);
// A point that failed on a time or memory limit other than these (a rerun raised it): its stored failure
// does not hold for this run, which runs the point again.
bool failed_on_another_limit(const sim::PointResult& r, double time_limit_s, int64_t memory_limit_mib);

// Runs jobs 0..count-1: job(i) describes job i, prepare(i) runs in the parent before it forks, finished(i,
// outcome) as it ends (in completion order). maps_alike(i, j): a worker that ran job i reuses its schedules
// for job j (WorkloadCache::maps_alike), so the pool sends j to that worker when it can. Returns when every
// job has finished, or early, with no worker left running, when StopSignals::received().
void run_workers(const PoolSettings& settings, WorkloadCache& cache, size_t count,
                 const std::function<WorkerJob(size_t)>& job, const std::function<void(size_t)>& prepare,
                 const std::function<void(size_t, WorkerOutcome)>& finished,
                 const std::function<bool(size_t, size_t)>& maps_alike);

// Which waiting job (not `sent`, the first at `first_waiting`) to send a worker whose last job was
// `worker_last` (none: a new worker) while the other running workers' last were `others_last`: the first
// that maps alike its last (its schedules are in the worker's cache, sim/map/schedule_cache.hpp), else the
// first that maps alike none of the others' (those are theirs), else the first waiting; looking at the
// kPickLookAhead jobs from the first waiting. A grid's innermost axes often leave the mapping alone (DRAM
// bandwidth, clock): sent in plain order to alternate workers, each such group was mapped by both, and with
// 2 jobs the 600-point benchmark mapped 392 times instead of 202. Results do not depend on the order.
constexpr size_t kPickLookAhead = 64;
size_t pick_job(const std::vector<bool>& sent, size_t first_waiting, std::optional<size_t> worker_last,
                const std::vector<size_t>& others_last,
                const std::function<bool(size_t, size_t)>& maps_alike);

// Evaluates one point in this process (`dse run`, and the body of every worker); `observers`: what `dse run`
// records besides the result (its timeline and waveforms).
sim::PointResult run_point_here(const PointConfig& point, WorkloadCache& cache,
                                std::optional<sim::ArrayImpl> explored_for = std::nullopt,
                                const sim::Observers& observers = {});

}  // namespace deepchip::explorer
