#include "explorer/runner.hpp"

#include <chrono>
#include <cstdio>
#include <set>

#include "explorer/report.hpp"
#include "explorer/store/result_store.hpp"
#include "explorer/verify.hpp"
#include "sim/enum_names.hpp"

#ifndef DEEPCHIP_SOURCE_DIR
#define DEEPCHIP_SOURCE_DIR "."
#endif

namespace deepchip::explorer {

std::string git_revision() {
  const std::string cmd =
      std::string("git -C '") + DEEPCHIP_SOURCE_DIR + "' rev-parse --short=12 HEAD 2>/dev/null";
  std::string out;
  if (FILE* f = popen(cmd.c_str(), "r")) {
    char buf[64];
    while (fgets(buf, sizeof buf, f)) out += buf;
    pclose(f);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out.empty() ? "unknown" : out;
}

namespace {

using Clock = std::chrono::steady_clock;

sim::ArrayImpl configured_impl(const PointConfig& p) { return p.hw.impl; }
sim::ArrayImpl timing_impl(const PointConfig&) { return sim::ArrayImpl::kTiming; }
// A point configured at the timing level is verified with `tile`.
sim::ArrayImpl executing_impl(const PointConfig& p) {
  return sim::executes_numerics(p.hw.impl) ? p.hw.impl : sim::ArrayImpl::kTile;
}

// One sweep's state: its points in order and what the store and this run know of each.
class Sweep {
 public:
  Sweep(const SweepSpec& spec, const std::string& out_dir, const SweepOptions& options,
        const SweepObserver& observer)
      : spec_(spec),
        out_dir_(out_dir),
        options_(options),
        observer_(observer),
        store_(out_dir, spec.identity, options.revision, options.allow_other_revision) {
    std::set<std::string> seen;
    for (const auto& p : spec.points)
      if (seen.insert(p.id).second) points_.push_back(p);
    explored_.resize(points_.size());
    executed_.resize(points_.size());
    verify_applied_.resize(points_.size());
    load_store();
  }

  SweepRun run() {
    if (observer_.started) observer_.started(points_.size(), resumed_);
    const bool pareto = spec_.verify == VerifyPolicy::kPareto;
    std::vector<size_t> pending;
    for (size_t i = 0; i < points_.size(); ++i)
      if (!explored_[i]) pending.push_back(i);
    run_phase(pending, StorePhase::kExplore, pareto ? &timing_impl : &configured_impl);
    if (pareto) verify_targets();
    export_reports();
    return {outcomes(), cache_.compressions(), resumed_, interrupted_, StopSignals::received()};
  }

 private:
  void load_store() {
    auto explored = store_.load(StorePhase::kExplore);
    auto executed = store_.load(StorePhase::kVerify);
    for (size_t i = 0; i < points_.size(); ++i) {
      if (auto it = explored.find(points_[i].id); it != explored.end()) {
        explored_[i] = std::move(it->second);
        ++resumed_;
      }
      if (auto it = executed.find(points_[i].id); it != executed.end()) executed_[i] = it->second.result;
    }
  }

  // Before a point's worker forks: its workload in the cache (computed on first use, then shared
  // copy-on-write by every later worker) and, unless it was explored earlier, its area and accuracy.
  void prepare(size_t i, StoredPoint& slot) {
    const PointConfig& p = points_[i];
    cache_.golden(p);  // once per compressed model and accumulator width
    cache_.energy(p);
    cache_.pe(p);
    if (explored_[i]) {
      slot.area = explored_[i]->area;
      slot.accuracy = explored_[i]->accuracy;
      return;
    }
    slot.area = cache_.area().estimate(cache_.quantized(p), p.hw.array_rows, p.hw.array_cols);
    slot.accuracy = cache_.accuracy(p);
    if (slot.accuracy && slot.accuracy->seconds > 0 && observer_.accuracy_evaluated)
      observer_.accuracy_evaluated(p, *slot.accuracy);
  }

  // Runs `indices` with the implementation `impl_of` gives each; every finished point is committed.
  void run_phase(const std::vector<size_t>& indices, StorePhase phase,
                 sim::ArrayImpl (*impl_of)(const PointConfig&)) {
    if (indices.empty() || StopSignals::received()) return;
    const PoolSettings settings{options_.jobs, spec_.time_limit_s, spec_.worker_memory_limit_mib, out_dir_,
                                options_.revision};
    std::vector<StoredPoint> slots(indices.size());
    size_t finished = 0;
    const std::string phase_label = phase == StorePhase::kVerify ? "verify" : "";
    auto job = [&](size_t k) {
      WorkerJob w{points_[indices[k]], std::nullopt};
      const sim::ArrayImpl configured = w.point.hw.impl;
      w.point.hw.impl = impl_of(w.point);
      // A timing exploration must still be feasible on the configured implementation.
      if (w.point.hw.impl != configured) w.explored_for = configured;
      return w;
    };
    auto prepare_job = [&](size_t k) { prepare(indices[k], slots[k]); };
    auto done = [&](size_t k, WorkerOutcome o) {
      const size_t i = indices[k];
      ++finished;
      if (observer_.point_finished)
        observer_.point_finished(phase_label, finished, indices.size(), points_[i], o);
      if (o.interrupted) {
        ++interrupted_;
        return;
      }
      slots[k].result = std::move(o.result);
      store_.commit(points_[i], phase, slots[k], sim::name_of(impl_of(points_[i])), o.wall_seconds);
      if (phase == StorePhase::kExplore) {
        explored_[i] = std::move(slots[k]);
      } else {
        executed_[i] = std::move(slots[k].result);
        verify_applied_[i] = true;
      }
      if (Clock::now() - last_export_ > std::chrono::duration<double>(options_.export_interval_s))
        export_reports();
    };
    run_workers(settings, cache_, indices.size(), job, prepare_job, done);
  }

  // verify "pareto": until every point that matters is verified, re-run them with numerics; a point whose
  // executed stats differ from its timing run fails with the difference. Each round verifies the targets
  // not yet verified, then the targets are recomputed. A resumed sweep replays the same rounds, taking a
  // round's verifications from the store where they are and running the rest, so that it ends where an
  // uninterrupted run ends (a stored verification its rounds never ask for is not used).
  void verify_targets() {
    std::set<size_t> attempted;
    for (;;) {
      std::vector<size_t> index;
      const std::vector<PointOutcome> current = outcomes(&index);
      std::vector<size_t> batch;
      bool taken_from_store = false;
      for (size_t t : verification_targets(current, spec_)) {
        const size_t i = index[t];
        if (current[t].result.verified || !attempted.insert(i).second) continue;
        if (executed_[i]) {
          verify_applied_[i] = true;
          taken_from_store = true;
        } else {
          batch.push_back(i);
        }
      }
      if ((batch.empty() && !taken_from_store) || StopSignals::received()) return;
      run_phase(batch, StorePhase::kVerify, &executing_impl);
    }
  }

  // The finished points in the sweep's order (`index`: each one's position in points_).
  std::vector<PointOutcome> outcomes(std::vector<size_t>* index = nullptr) const {
    std::vector<PointOutcome> out;
    for (size_t i = 0; i < points_.size(); ++i) {
      if (!explored_[i]) continue;
      const StoredPoint& e = *explored_[i];
      const bool verified = executed_[i] && verify_applied_[i];
      out.push_back(
          {points_[i], verified ? verified_result(e.result, *executed_[i]) : e.result, e.area, e.accuracy});
      if (index) index->push_back(i);
    }
    return out;
  }

  void export_reports() {
    write_reports(outcomes(), spec_, out_dir_, options_.revision, cache_.compressions());
    last_export_ = Clock::now();
  }

  const SweepSpec& spec_;
  const std::string out_dir_;
  const SweepOptions& options_;
  const SweepObserver& observer_;
  ResultStore store_;
  WorkloadCache cache_;
  std::vector<PointConfig> points_;                        // the spec's points, each id once
  std::vector<std::optional<StoredPoint>> explored_;       // the explore phase's result, area and accuracy
  std::vector<std::optional<sim::PointResult>> executed_;  // the verify phase's run with numerics
  std::vector<bool> verify_applied_;  // executed_ counts: this run's verification rounds asked for it
  Clock::time_point last_export_ = Clock::now();
  size_t resumed_ = 0, interrupted_ = 0;
};

}  // namespace

SweepRun run_sweep(const SweepSpec& spec, const std::string& out_dir, const SweepOptions& options,
                   const SweepObserver& observer) {
  StopSignals stop;
  Sweep sweep(spec, out_dir, options, observer);
  return sweep.run();
}

}  // namespace deepchip::explorer
