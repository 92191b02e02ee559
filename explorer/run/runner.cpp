#include "explorer/run/runner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <set>

#include "deepchip/source_dir.hpp"
#include "explorer/report/exports.hpp"
#include "explorer/report/html/report_page.hpp"
#include "explorer/run/verify.hpp"
#include "explorer/search/front_history.hpp"
#include "explorer/search/strategy.hpp"
#include "explorer/store/result_store.hpp"
#include "sim/io/errors.hpp"
#include "sim/util/enum_names.hpp"
#include "sim/util/fnv_hash.hpp"

namespace deepchip::explorer {

bool in_shard(const std::string& id, int index, int count) {
  return sim::Fnv1a64().add(id).value() % static_cast<uint64_t>(count) == static_cast<uint64_t>(index);
}

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
        store_(out_dir,
               {spec.identity, options.revision,
                std::to_string(options.shard_index + 1) + "/" + std::to_string(options.shard_count),
                options.config_path, options.config_text},
               options.allow_other_revision),
        stored_explored_(store_.load(StorePhase::kExplore)),
        stored_executed_(store_.load(StorePhase::kVerify)) {}

  SweepRun run() {
    if (observer_.warning)
      for (const auto& message : store_.damaged()) observer_.warning(message);
    planned_ = spec_.search.strategy == SearchStrategy::kGrid ? static_cast<size_t>(spec_.space.size())
                                                              : static_cast<size_t>(spec_.search.budget);
    search();
    if (spec_.verify == VerifyPolicy::kPareto) verify_targets();
    {  // the exports and report.html stand or fall together: a full disk changes none of them
      std::vector<size_t> index;
      const std::vector<PointOutcome> all = outcomes(&index);
      // report.html is made on a second thread while the exports are written (both read `all` alone).
      const double worker_seconds = store_.worker_seconds();
      std::future<std::string> page =
          std::async(std::launch::async, [&] { return html_report(index, all, worker_seconds); });
      sim::OutputSet files;
      export_reports(files, index, all);
      files.add(report_file(out_dir_), page.get());
      files.commit();
    }
    if (!announced_) announce();
    SweepRun r{outcomes(), cache_.compressions(), resumed_, interrupted_, StopSignals::received()};
    r.planned = planned_;
    return r;
  }

 private:
  // The strategy's asks, each explored (from the store where it is) and told back, until it is done. A
  // search stops early on a signal, or when a worker was killed from outside: the strategy would be told a
  // result the uninterrupted run never saw, so the rest waits for the resume, which replays it.
  void search() {
    const auto strategy = make_search(spec_.space, spec_.search);
    const bool pareto = spec_.verify == VerifyPolicy::kPareto;
    for (;;) {
      if (StopSignals::received() || interrupted_ > 0) return;
      const std::vector<Coords> asked = strategy->ask();
      if (asked.empty()) return;
      std::vector<size_t> indices, pending;
      std::vector<Coords> kept;  // the asked points of this shard, in the order asked
      std::set<size_t> seen;
      for (const auto& c : asked) {
        PointConfig point = spec_.space.point(c);
        if (options_.shard_count > 1 && !in_shard(point.id, options_.shard_index, options_.shard_count))
          continue;  // another shard's (the strategies that may be sharded ignore what they are told)
        const size_t i = add_point(std::move(point));
        indices.push_back(i);
        kept.push_back(c);
        if (!explored_[i] && seen.insert(i).second) pending.push_back(i);
      }
      // A shard knows its share once the first ask is filtered (grid, random and lhs ask once).
      if (!announced_) {
        if (options_.shard_count > 1) planned_ = kept.size();
        announce();
      }
      run_phase(pending, StorePhase::kExplore, pareto ? &timing_impl : &configured_impl);
      if (StopSignals::received() || interrupted_ > 0) return;
      std::vector<Evaluation> results;
      for (size_t k = 0; k < indices.size(); ++k) results.push_back(evaluation(indices[k], kept[k]));
      strategy->tell(results);
      generation_ends_.push_back(points_.size());
    }
  }

  void announce() {
    announced_ = true;
    // The points of this sweep the store has (of the first ask: every point of a grid, random or lhs sweep;
    // a search's later generations find theirs as they go).
    if (observer_.started) observer_.started(planned_, resumed_);
  }

  // The point, added to the sweep (with what the store has of it) unless it is there already.
  size_t add_point(PointConfig p) {
    if (auto it = index_of_.find(p.id); it != index_of_.end()) return it->second;
    const size_t i = points_.size();
    index_of_[p.id] = i;
    explored_.emplace_back();
    executed_.emplace_back();
    verify_applied_.push_back(false);
    if (auto it = stored_explored_.find(p.id);
        it != stored_explored_.end() && still_holds(p, it->second, StorePhase::kExplore)) {
      explored_[i] = it->second;
      ++resumed_;
    }
    if (auto it = stored_executed_.find(p.id);
        it != stored_executed_.end() && still_holds(p, it->second, StorePhase::kVerify))
      executed_[i] = it->second.result;
    points_.push_back(std::move(p));
    return i;
  }

  // A stored row holds for this run unless it failed on a time or memory limit this run changed (a rerun
  // with a raised limit runs the point again); such a row is removed from the store (`dse report`, which
  // runs nothing, reports it as stored).
  bool still_holds(const PointConfig& p, const StoredPoint& stored, StorePhase phase) {
    if (options_.report_only ||
        !failed_on_another_limit(stored.result, spec_.time_limit_s, spec_.worker_memory_limit_mib))
      return true;
    store_.forget(p.id, phase);
    return false;
  }

  PoolSettings pool_settings() const {
    return {options_.jobs, spec_.time_limit_s, spec_.worker_memory_limit_mib, out_dir_, options_.revision};
  }

  Evaluation evaluation(size_t i, const Coords& c) const {
    Evaluation e;
    e.network = c.at(0);
    if (!explored_[i]) return e;  // not evaluated: infeasible
    const StoredPoint& s = *explored_[i];
    const PointOutcome o{points_[i], s.result, s.area, s.accuracy};
    e.feasible = eligible(o);
    e.objectives = objective_values(o, spec_.objectives);
    if (o.accuracy) {
      e.accuracy_drop = o.accuracy->drop();
      e.max_accuracy_drop = o.point.accuracy.max_accuracy_drop;
    }
    if (golden_ok(o.result)) e.violation = e.feasible ? 0.0 : o.constraint_violation();
    return e;
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
    if (indices.empty() || StopSignals::received() || options_.report_only) return;
    const PoolSettings settings = pool_settings();
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
      store_.commit(points_[i], phase, slots[k], sim::name_of(impl_of(points_[i])), o.wall_seconds,
                    o.result_json);
      if (phase == StorePhase::kExplore) {
        explored_[i] = std::move(slots[k]);
      } else {
        executed_[i] = std::move(slots[k].result);
        verify_applied_[i] = true;
      }
      if (Clock::now() >= next_export_) {
        sim::OutputSet files;
        export_reports(files);
        files.commit();
      }
    };
    auto maps_alike = [&](size_t a, size_t b) {
      return WorkloadCache::maps_alike(points_[indices[a]], points_[indices[b]]);
    };
    run_workers(settings, cache_, indices.size(), job, prepare_job, done, maps_alike);
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

  // The exports, rewritten from what is stored. The next one is due after export_interval_s, or after ten
  // times this one's duration if longer, so that a large sweep's parent spends at most ~10% of its time
  // exporting instead of forking workers.
  void export_reports(sim::OutputSet& files) {
    std::vector<size_t> index;
    const std::vector<PointOutcome> all = outcomes(&index);
    export_reports(files, index, all);
  }

  // The same, of `all` (the outcomes, `index` their positions in points_).
  void export_reports(sim::OutputSet& files, const std::vector<size_t>& index,
                      const std::vector<PointOutcome>& all) {
    const Clock::time_point start = Clock::now();
    write_reports(all, spec_, out_dir_, options_.revision, cache_.compressions(), search_summary(index, all),
                  files);
    const Clock::time_point end = Clock::now();
    next_export_ = end + std::max(std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(options_.export_interval_s)),
                                  10 * (end - start));
  }

  // report.html's text, from what is stored (at the end only: it is for a designer, not a resume).
  std::string html_report(const std::vector<size_t>& index, const std::vector<PointOutcome>& all,
                          double worker_seconds) const {
    SweepReportInput in{all,
                        spec_,
                        search_summary(index, all),
                        std::filesystem::path(options_.config_path).filename().string(),
                        options_.revision,
                        worker_seconds};
    return report_page_html(sweep_report_data(in));
  }

  // summary.json's "search": the strategy and the front's hypervolume as it grew (per generation for
  // nsga2, every population points for the others).
  nlohmann::json search_summary(const std::vector<size_t>& index,
                                const std::vector<PointOutcome>& all) const {
    const SearchSpec& s = spec_.search;
    std::vector<size_t> ends;  // in points_ positions
    if (s.strategy == SearchStrategy::kNsga2) {
      ends = generation_ends_;
    } else {
      const auto step = static_cast<size_t>(s.population);
      for (size_t n = step; n < points_.size(); n += step) ends.push_back(n);
      ends.push_back(points_.size());
    }
    std::vector<size_t> outcome_ends;  // the same, counted in outcomes
    for (size_t end : ends)
      outcome_ends.push_back(
          static_cast<size_t>(std::lower_bound(index.begin(), index.end(), end) - index.begin()));
    return {{"strategy", sim::name_of(s.strategy)},
            {"budget", s.budget},
            {"population", s.population},
            {"seed", s.seed},
            {"hypervolume", front_history(all, outcome_ends, spec_.objectives)}};
  }

  const SweepSpec& spec_;
  const std::string out_dir_;
  const SweepOptions& options_;
  const SweepObserver& observer_;
  ResultStore store_;
  WorkloadCache cache_;
  const std::map<std::string, StoredPoint> stored_explored_, stored_executed_;  // the store at the start
  std::vector<PointConfig> points_;         // the points asked so far, each id once, in the order asked
  std::map<std::string, size_t> index_of_;  // point id -> position in points_
  std::vector<size_t> generation_ends_;     // points_.size() after each of the strategy's asks
  std::vector<std::optional<StoredPoint>> explored_;       // the explore phase's result, area and accuracy
  std::vector<std::optional<sim::PointResult>> executed_;  // the verify phase's run with numerics
  std::vector<bool> verify_applied_;  // executed_ counts: this run's verification rounds asked for it
  Clock::time_point next_export_ =
      Clock::now() +
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options_.export_interval_s));
  size_t resumed_ = 0, interrupted_ = 0;
  size_t planned_ = 0;  // the points this run has to have: the grid, the budget, or the shard's share
  bool announced_ = false;
};

}  // namespace

std::filesystem::path report_file(const std::string& out_dir) {
  return std::filesystem::path(out_dir) / "report.html";
}

SweepRun run_sweep(const SweepSpec& spec, const std::string& out_dir, const SweepOptions& options,
                   const SweepObserver& observer) {
  if (options.shard_count > 1 && spec.search.strategy == SearchStrategy::kNsga2)
    throw sim::ConfigError(
        "--shard: strategy nsga2 cannot be split into shards (each generation depends on the last); run it "
        "whole");
  StopSignals stop;
  Sweep sweep(spec, out_dir, options, observer);
  return sweep.run();
}

}  // namespace deepchip::explorer
