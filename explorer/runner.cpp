#include "explorer/runner.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "explorer/atomic_file.hpp"
#include "explorer/report.hpp"
#include "explorer/verify.hpp"
#include "models/system/evaluate.hpp"
#include "sim/accuracy.hpp"
#include "sim/energy.hpp"
#include "sim/executor.hpp"
#include "sim/fpga.hpp"
#include "sim/json_input.hpp"
#include "sim/network_io.hpp"
#include "sim/onnx_import.hpp"

#ifndef DEEPCHIP_SOURCE_DIR
#define DEEPCHIP_SOURCE_DIR "."
#endif

namespace deepchip::explorer {

namespace fs = std::filesystem;
using nlohmann::json;

sim::PointResult run_point_here(const PointConfig& point, WorkloadCache& cache,
                                std::optional<sim::ArrayImpl> explored_for) {
  const models::Workload workload{cache.quantized(point), cache.energy(point), &cache.golden(point),
                                  cache.pe(point)};
  return models::evaluate({point.hw, point.soc, explored_for}, workload);
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

// SIGINT/SIGTERM during a sweep: the loop stops the workers, and the finished points are reported.
volatile std::sig_atomic_t g_stop_signal = 0;
extern "C" void on_stop_signal(int sig) { g_stop_signal = sig; }

class StopSignals {
 public:
  StopSignals() {
    g_stop_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  static int received() { return g_stop_signal; }

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

// The worker's process setup: it dies with the parent (even a SIGKILLed one), takes SIGINT/SIGTERM by
// default, and its address space is bounded. AddressSanitizer reserves terabytes of shadow memory, so
// sanitizer builds leave the limit off.
void setup_worker_process(pid_t parent, int64_t memory_limit_mib) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);  // the parent died before prctl took effect
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  if (!kAddressSanitizer) {
    const auto bytes = static_cast<rlim_t>(memory_limit_mib) << 20;
    struct rlimit limit {
      bytes, bytes
    };
    setrlimit(RLIMIT_AS, &limit);
  }
}

[[noreturn]] void worker(const PointConfig& point, std::optional<sim::ArrayImpl> explored_for,
                         WorkloadCache& cache, const fs::path& dir, const std::string& rev,
                         int64_t memory_limit_mib) {
  sim::PointResult r;
  try {
    r = run_point_here(point, cache, explored_for);
  } catch (const std::bad_alloc&) {
    r = sim::PointResult{};
    r.reason = "out of memory: the worker reached worker_memory_limit_mib (" +
               std::to_string(memory_limit_mib) + " MiB)";
  } catch (const std::exception& e) {
    r = sim::PointResult{};
    r.reason = std::string("error: ") + e.what();
    std::replace(r.reason.begin(), r.reason.end(), '\n', ' ');  // one line, like every reason
  }
  try {
    json j = sim::to_json(r);
    j["git_revision"] = rev;
    write_file_atomically(dir / "result.json", sim::dump_json(j, 2) + "\n");
  } catch (...) {
    _exit(3);
  }
  std::fflush(nullptr);
  _exit(0);
}

std::string signal_name(int sig) {
  const char* name = strsignal(sig);
  return std::to_string(sig) + (name ? std::string(", ") + name : std::string());
}

sim::PointResult collect(const fs::path& dir, int status, const struct rusage& usage) {
  sim::PointResult r;
  const std::string peak = "peak RSS " + std::to_string(usage.ru_maxrss / 1024) + " MiB";
  if (WIFSIGNALED(status)) {
    r.reason = "worker crashed (signal " + signal_name(WTERMSIG(status)) + ", " + peak + ")";
    return r;
  }
  try {
    return sim::point_result_from_json(sim::parse_json(
        sim::read_input_file((dir / "result.json").string(), "worker result", sim::kMaxJsonBytes),
        "result.json"));
  } catch (const std::exception&) {
    r.reason =
        "worker exited without a result (status " + std::to_string(WEXITSTATUS(status)) + ", " + peak + ")";
    return r;
  }
}

}  // namespace

namespace {

using Clock = std::chrono::steady_clock;

// Runs the points of `batch` (indices into `outcomes`) in forked workers, `jobs` at a time, each with the
// array implementation `impl_of` gives it; their results go to `results` (same order as `batch`). Returns
// how many finished; fewer than the batch when a signal stopped the sweep.
// What every batch of a sweep runs with.
struct SweepContext {
  const SweepSpec& spec;
  const std::string& out_dir;
  int jobs;
  const std::string& rev;
  WorkloadCache& cache;
  const SweepObserver& observer;
};

size_t run_batch(const SweepContext& ctx, const std::vector<PointOutcome>& outcomes,
                 const std::vector<size_t>& batch, sim::ArrayImpl (*impl_of)(const PointConfig&),
                 const std::string& phase, std::vector<std::optional<sim::PointResult>>& results) {
  const SweepSpec& spec = ctx.spec;
  const std::string& out_dir = ctx.out_dir;
  struct Running {
    size_t slot;
    Clock::time_point started;
  };
  std::map<pid_t, Running> running;
  results.assign(batch.size(), std::nullopt);
  size_t next = 0, finished = 0;
  const pid_t parent = getpid();
  auto report = [&](size_t slot) {
    ++finished;
    if (ctx.observer.point_finished)
      ctx.observer.point_finished(phase, finished, batch.size(), outcomes[batch[slot]].point, *results[slot]);
  };
  while (finished < batch.size() && !StopSignals::received()) {
    while (static_cast<int>(running.size()) < ctx.jobs && next < batch.size()) {
      PointConfig p = outcomes[batch[next]].point;
      const sim::ArrayImpl configured = p.hw.impl;
      p.hw.impl = impl_of(p);
      // A timing exploration must still be feasible on the configured implementation.
      const auto explored_for = p.hw.impl != configured ? std::optional(configured) : std::nullopt;
      const fs::path dir = fs::path(out_dir) / "points" / p.id;
      fs::create_directories(dir);
      write_file_atomically(dir / "effective_config.json", sim::dump_json(p.effective, 2) + "\n");
      std::fflush(nullptr);
      const pid_t pid = fork();
      if (pid == 0) {
        setup_worker_process(parent, spec.worker_memory_limit_mib);
        worker(p, explored_for, ctx.cache, dir, ctx.rev, spec.worker_memory_limit_mib);
      }
      if (pid < 0) {
        results[next] = sim::PointResult{};
        results[next]->reason = std::string("fork failed: ") + std::strerror(errno);
        report(next);
      } else {
        running[pid] = {next, Clock::now()};
      }
      ++next;
    }
    int status = 0;
    struct rusage usage {};
    const pid_t pid = wait4(-1, &status, WNOHANG, &usage);
    if (pid > 0 && running.count(pid)) {
      const size_t slot = running[pid].slot;
      running.erase(pid);
      results[slot] = collect(fs::path(out_dir) / "points" / outcomes[batch[slot]].point.id, status, usage);
      report(slot);
      continue;
    }
    for (auto it = running.begin(); it != running.end();) {
      const double elapsed = std::chrono::duration<double>(Clock::now() - it->second.started).count();
      if (elapsed > spec.time_limit_s) {
        kill(it->first, SIGKILL);
        waitpid(it->first, &status, 0);
        results[it->second.slot] = sim::PointResult{};
        results[it->second.slot]->reason =
            "time limit of " + std::to_string(static_cast<int>(spec.time_limit_s)) + " s exceeded";
        report(it->second.slot);
        it = running.erase(it);
      } else {
        ++it;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // Stopped by a signal: no worker outlives the sweep; the finished points are what is reported.
  for (const auto& [pid, r] : running) {
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
  }
  return finished;
}

sim::ArrayImpl configured_impl(const PointConfig& p) { return p.hw.impl; }
sim::ArrayImpl timing_impl(const PointConfig&) { return sim::ArrayImpl::kTiming; }
// A point configured at the timing level is verified with `tile`.
sim::ArrayImpl executing_impl(const PointConfig& p) {
  return sim::executes_numerics(p.hw.impl) ? p.hw.impl : sim::ArrayImpl::kTile;
}

// verify "pareto": until every point that matters is verified, re-run them with numerics; a point whose
// executed stats differ from its timing run fails with the difference.
void verify_targets(const SweepContext& ctx, std::vector<PointOutcome>& outcomes) {
  std::set<size_t> attempted;
  for (;;) {
    std::vector<size_t> batch;
    for (size_t i : verification_targets(outcomes, ctx.spec))
      if (!outcomes[i].result.verified && attempted.insert(i).second) batch.push_back(i);
    if (batch.empty() || StopSignals::received()) return;
    std::vector<std::optional<sim::PointResult>> results;
    run_batch(ctx, outcomes, batch, &executing_impl, "verify", results);
    for (size_t b = 0; b < batch.size(); ++b)
      if (results[b]) outcomes[batch[b]].result = verified_result(outcomes[batch[b]].result, *results[b]);
  }
}

}  // namespace

SweepRun run_sweep(const SweepSpec& spec, const std::string& out_dir, int jobs, const std::string& rev,
                   const SweepObserver& observer) {
  StopSignals stop;
  WorkloadCache cache;
  std::vector<PointOutcome> outcomes;
  std::set<std::string> seen;
  for (const auto& p : spec.points)
    if (seen.insert(p.id).second) outcomes.push_back({p, {}, std::nullopt, std::nullopt});
  // Prepare every workload before forking so that each is computed once and shared copy-on-write.
  for (auto& o : outcomes) {
    if (StopSignals::received()) return {{}, cache.compressions(), StopSignals::received()};
    o.area = cache.area().estimate(cache.quantized(o.point), o.point.hw.array_rows, o.point.hw.array_cols);
    cache.golden(o.point);  // once per compressed model and accumulator width, shared by the workers
    cache.energy(o.point);
    cache.pe(o.point);
    o.accuracy = cache.accuracy(o.point);
    if (o.accuracy && o.accuracy->seconds > 0 && observer.accuracy_evaluated)
      observer.accuracy_evaluated(o.point, *o.accuracy);
  }

  fs::create_directories(out_dir);
  std::vector<size_t> all(outcomes.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  const bool pareto = spec.verify == VerifyPolicy::kPareto;
  std::vector<std::optional<sim::PointResult>> results;
  const SweepContext ctx{spec, out_dir, jobs, rev, cache, observer};
  run_batch(ctx, outcomes, all, pareto ? &timing_impl : &configured_impl, "", results);
  std::vector<PointOutcome> reported;
  for (size_t i = 0; i < outcomes.size(); ++i)
    if (results[i]) {
      outcomes[i].result = std::move(*results[i]);
      reported.push_back(std::move(outcomes[i]));
    }
  if (pareto) verify_targets(ctx, reported);
  return {std::move(reported), cache.compressions(), StopSignals::received()};
}

}  // namespace deepchip::explorer
