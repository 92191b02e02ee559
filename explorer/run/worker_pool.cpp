#include "explorer/run/worker_pool.hpp"

#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <vector>

#include "explorer/run/message_pipe.hpp"
#include "explorer/run/result_codec.hpp"
#include "explorer/run/worker_process.hpp"
#include "explorer/store/point_files.hpp"
#include "models/system/evaluate.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/json_input.hpp"
#include "sim/io/output_file.hpp"

namespace deepchip::explorer {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

sim::PointResult run_point_here(const PointConfig& point, WorkloadCache& cache,
                                std::optional<sim::ArrayImpl> explored_for, const sim::Observers& observers) {
  const models::Workload workload{cache.quantized(point), cache.energy(point), &cache.golden(point),
                                  cache.pe(point), &cache.schedules(point)};
  return models::evaluate({point.hw, point.soc, explored_for}, workload, observers);
}

namespace {

const std::string kTimeLimitPrefix = "time limit of ";
const std::string kMemoryLimitPrefix = "out of memory: the worker reached worker_memory_limit_mib (";

}  // namespace

std::string time_limit_reason(double time_limit_s) {
  const bool whole = time_limit_s == std::floor(time_limit_s);
  return kTimeLimitPrefix +
         (whole ? std::to_string(static_cast<int64_t>(time_limit_s))
                : sim::dump_json(nlohmann::json(time_limit_s))) +
         " s exceeded";
}

std::string memory_limit_reason(int64_t memory_limit_mib) {
  return kMemoryLimitPrefix + std::to_string(memory_limit_mib) + " MiB)";
}

bool failed_on_another_limit(const sim::PointResult& r, double time_limit_s, int64_t memory_limit_mib) {
  if (r.ok) return false;
  if (r.reason.rfind(kTimeLimitPrefix, 0) == 0) return r.reason != time_limit_reason(time_limit_s);
  if (r.reason.rfind(kMemoryLimitPrefix, 0) == 0) return r.reason != memory_limit_reason(memory_limit_mib);
  return false;
}

namespace {

volatile std::sig_atomic_t g_stop_signal = 0;
extern "C" void on_stop_signal(int sig) { g_stop_signal = sig; }

}  // namespace

StopSignals::StopSignals() {
  g_stop_signal = 0;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int_);
  sigaction(SIGTERM, &sa, &old_term_);
}

StopSignals::~StopSignals() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
}

int StopSignals::received() { return g_stop_signal; }

namespace {

std::string signal_name(int sig) {
  const char* name = strsignal(sig);
  return std::to_string(sig) + (name ? std::string(", ") + name : std::string());
}

// A worker process of the pool and the point it is evaluating, if any.
struct Worker {
  MessageReader results;      // the worker's result pipe
  int requests_fd = -1;       // the sweep's end of its request pipe (-1 once closed: the worker is retiring)
  size_t cache_revision = 0;  // WorkloadCache::revision() when it forked: what it has of the workload
  std::optional<size_t> job;  // the point it evaluates
  std::optional<size_t> last_job;  // the point it was sent last (its current one while it runs)
  Clock::time_point started;
  fs::path dir;  // the point's folder
  bool idle() const { return requests_fd >= 0 && !job; }
};

// The result a worker sent for its point (result_codec.hpp), written to the point's result.json with the
// code revision when the point has a folder.
WorkerOutcome outcome_of(const Worker& worker, const std::string& encoded, const std::string& revision) {
  WorkerOutcome o;
  try {
    EncodedResult e = decode_result(encoded);
    o.result = std::move(e.result);
    o.result_json = std::move(e.json);
  } catch (const std::exception&) {
    o.result = sim::PointResult{};
    o.result.reason = "the worker's result was unreadable";
    return o;
  }
  // The point's files for a designer (the store commits the result; a lost file is rewritten on rerun).
  if (!worker.dir.empty())
    sim::write_file_atomically(worker.dir / "result.json", result_file_text(sim::to_json(o.result), revision),
                               "", sim::Durability::kUnsynced);
  return o;
}

// Why a worker that ended during its point left no result. A SIGKILL the pool did not send is an
// interruption, not a failure of the point, and so is the SIGINT or SIGTERM that is stopping the sweep
// (a Ctrl-C reaches the workers too).
WorkerOutcome ended_without_result(int status, const struct rusage& usage) {
  WorkerOutcome o;
  const std::string peak = "peak RSS " + std::to_string(usage.ru_maxrss / 1024) + " MiB";
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    o.interrupted = sig == SIGKILL || ((sig == SIGINT || sig == SIGTERM) && StopSignals::received());
    o.result.reason = (o.interrupted ? "worker killed from outside (signal " : "worker crashed (signal ") +
                      signal_name(WTERMSIG(status)) + ", " + peak + ")";
  } else {
    o.result.reason =
        "worker exited without a result (status " + std::to_string(WEXITSTATUS(status)) + ", " + peak + ")";
  }
  return o;
}

// A run killed while it wrote a result.json leaves that file's temporary (sim/io/output_file.hpp) behind.
void remove_temporary_files(const fs::path& dir) {
  if (dir.empty()) return;  // a point without files
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() > 1 && name[0] == '.' && name.find(".tmp.") != std::string::npos)
      fs::remove(e.path(), ec);
  }
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The pool of one batch: forks workers as points need them (at most settings.jobs), sends each idle one
// its next point, and collects results, ends, crashes and time limits.
class Pool {
 public:
  Pool(const PoolSettings& settings, WorkloadCache& cache, size_t count,
       const std::function<WorkerJob(size_t)>& job, const std::function<void(size_t)>& prepare,
       const std::function<void(size_t, WorkerOutcome)>& finished,
       const std::function<bool(size_t, size_t)>& maps_alike)
      : settings_(settings),
        cache_(cache),
        count_(count),
        job_(job),
        prepare_(prepare),
        finished_(finished),
        maps_alike_(maps_alike),
        sent_(count, false) {}
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  ~Pool() { stop_all(); }

  void run() {
    while (done_ < count_ && !StopSignals::received()) {
      reap_ended_workers();  // first, so that no point is sent to a worker that has ended
      enforce_time_limits();
      dispatch();
      wait_for_results(1);
    }
  }  // the destructor stops the workers left

 private:
  // Sends points to idle workers, forking workers while fewer than settings.jobs run.
  void dispatch() {
    while (sent_count_ < count_ && !StopSignals::received()) {
      Worker* worker = idle_worker();
      if (!worker && static_cast<int>(active_count()) >= settings_.jobs) return;
      const size_t i = take_job_for(worker);
      prepare_(i);
      const fs::path dir = prepare_point_dir(job_(i));
      // A worker forked before the workload grew lacks what this point may read: a new one has it.
      if (worker && worker->cache_revision != cache_.revision()) {
        retire(*worker);
        worker = nullptr;
      }
      if (!worker) worker = fork_worker();
      if (!worker) {
        WorkerOutcome o;
        o.interrupted = true;
        o.result.reason = std::string("fork failed: ") + std::strerror(errno);
        ++done_;
        finished_(i, std::move(o));
        continue;
      }
      worker->job = worker->last_job = i;
      worker->dir = dir;
      worker->started = Clock::now();
      // A worker that ends before it reads the request is reaped with the point as an ended worker's.
      write_message(worker->requests_fd, point_request(i, points_started_++));
    }
  }

  // The job to send `worker` (none: a worker about to be forked), by pick_job.
  size_t take_job_for(const Worker* worker) {
    while (sent_[first_waiting_]) ++first_waiting_;
    std::vector<size_t> others_last;
    for (const auto& [pid, other] : workers_)
      if (&other != worker && other.requests_fd >= 0 && other.last_job)
        others_last.push_back(*other.last_job);
    const size_t i =
        pick_job(sent_, first_waiting_, worker ? worker->last_job : std::nullopt, others_last, maps_alike_);
    sent_[i] = true;
    ++sent_count_;
    return i;
  }

  // The point's folder, cleared of a killed run's files, with its effective_config.json; none (an empty
  // path) for a point explored at the timing level in place of its configured implementation: the kernel's
  // inode allocation for a folder and two files per point was a large part of the sweep process's time
  // (tests/bench/results.md), and `dse point` writes any stored point's files from the store on demand.
  fs::path prepare_point_dir(const WorkerJob& w) const {
    if (w.explored_for) return {};
    const fs::path dir = fs::path(settings_.out_dir) / "points" / w.point.id;
    sim::make_output_dir(dir, "--out");
    remove_temporary_files(dir);      // of a run killed half-way through writing the point's files
    fs::remove(dir / "result.json");  // left by a run that was killed: never read it as this one's
    sim::write_file_atomically(dir / "effective_config.json", sim::dump_json(w.point.effective, 2) + "\n", "",
                               sim::Durability::kUnsynced);
    return dir;
  }

  Worker* idle_worker() {
    for (auto& [pid, w] : workers_)
      if (w.idle()) return &w;
    return nullptr;
  }

  size_t active_count() const {  // workers not retiring
    size_t n = 0;
    for (const auto& [pid, w] : workers_) n += w.requests_fd >= 0 ? 1 : 0;
    return n;
  }

  // Closes its request pipe: it exits when it reads the end (reaped by reap_ended_workers).
  void retire(Worker& w) {
    ::close(w.requests_fd);
    w.requests_fd = -1;
  }

  Worker* fork_worker() {
    int requests[2] = {-1, -1}, results[2] = {-1, -1};
    if (::pipe(requests) != 0) return nullptr;
    if (::pipe(results) != 0) {
      ::close(requests[0]);
      ::close(requests[1]);
      return nullptr;
    }
    std::fflush(nullptr);
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid == 0) {
      ::close(requests[1]);
      ::close(results[0]);
      for (const auto& [other, w] : workers_) {  // the other workers' pipes: theirs to end
        if (w.requests_fd >= 0) ::close(w.requests_fd);
        ::close(w.results.fd());
      }
      serve_points(job_, cache_, requests[0], results[1], settings_, parent);
    }
    ::close(requests[0]);
    ::close(results[1]);
    if (pid < 0) {
      ::close(requests[1]);
      ::close(results[0]);
      return nullptr;
    }
    Worker& w = workers_
                    .emplace(pid, Worker{MessageReader(results[0]),
                                         requests[1],
                                         cache_.revision(),
                                         std::nullopt,
                                         std::nullopt,
                                         {},
                                         {}})
                    .first->second;
    return &w;
  }

  // Waits up to `ms` for any worker's output and takes every complete result.
  void wait_for_results(int ms) {
    std::vector<pollfd> fds;
    for (const auto& [pid, w] : workers_) fds.push_back({w.results.fd(), POLLIN, 0});
    if (fds.empty() || ::poll(fds.data(), fds.size(), ms) <= 0) return;
    for (auto& [pid, w] : workers_) {
      w.results.read_available();
      take_results(w);
    }
  }

  void take_results(Worker& w) {
    while (std::optional<std::string> text = w.results.next()) {
      if (!w.job) continue;                                          // not asked for: ignored
      if (take_answer_mark(*text) && w.requests_fd >= 0) retire(w);  // it exits: send it nothing more
      WorkerOutcome o = outcome_of(w, *text, settings_.revision);
      o.wall_seconds = seconds_since(w.started);
      const size_t job = *w.job;
      w.job.reset();
      ++done_;
      finished_(job, std::move(o));
    }
  }

  // Workers that exited (retired, or after a point that threw) or died: a point still theirs failed.
  void reap_ended_workers() {
    int status = 0;
    struct rusage usage {};
    pid_t pid;
    while ((pid = wait4(-1, &status, WNOHANG, &usage)) > 0) {
      auto it = workers_.find(pid);
      if (it == workers_.end()) continue;
      Worker& w = it->second;
      w.results.read_to_end();
      take_results(w);
      if (w.job) {
        WorkerOutcome o = ended_without_result(status, usage);
        o.wall_seconds = seconds_since(w.started);
        remove_temporary_files(w.dir);
        ++done_;
        finished_(*w.job, std::move(o));
      }
      if (w.requests_fd >= 0) ::close(w.requests_fd);
      workers_.erase(it);
    }
  }

  void enforce_time_limits() {
    for (auto it = workers_.begin(); it != workers_.end();) {
      Worker& w = it->second;
      if (!w.job || seconds_since(w.started) <= settings_.time_limit_s) {
        ++it;
        continue;
      }
      kill(it->first, SIGKILL);
      int status = 0;
      waitpid(it->first, &status, 0);
      remove_temporary_files(w.dir);
      WorkerOutcome o;
      o.wall_seconds = seconds_since(w.started);
      o.result.reason = time_limit_reason(settings_.time_limit_s);
      ++done_;
      const size_t job = *w.job;
      if (w.requests_fd >= 0) ::close(w.requests_fd);
      it = workers_.erase(it);
      finished_(job, std::move(o));
    }
  }

  // Stopped by a signal, by an error (a full disk, the store) or done: no worker outlives the pool.
  void stop_all() {
    for (auto& [pid, w] : workers_) {
      kill(pid, SIGKILL);
      int status = 0;
      waitpid(pid, &status, 0);
      if (w.job) remove_temporary_files(w.dir);
      if (w.requests_fd >= 0) ::close(w.requests_fd);
    }
    workers_.clear();
  }

  const PoolSettings& settings_;
  WorkloadCache& cache_;
  const size_t count_;
  const std::function<WorkerJob(size_t)>& job_;
  const std::function<void(size_t)>& prepare_;
  const std::function<void(size_t, WorkerOutcome)>& finished_;
  std::map<pid_t, Worker> workers_;
  const std::function<bool(size_t, size_t)>& maps_alike_;
  std::vector<bool> sent_;  // by job
  size_t first_waiting_ = 0, sent_count_ = 0, done_ = 0;
  static int64_t points_started_;  // in this process, every batch (the kill points count them)
};

int64_t Pool::points_started_ = 0;

// The sweep writes to workers that may have died: EPIPE, not a SIGPIPE that would end the sweep.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() {
    struct sigaction sa {};
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPIPE, &sa, &old_);
  }
  ~IgnoreSigpipe() { sigaction(SIGPIPE, &old_, nullptr); }
  IgnoreSigpipe(const IgnoreSigpipe&) = delete;
  IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

 private:
  struct sigaction old_ {};
};

}  // namespace

size_t pick_job(const std::vector<bool>& sent, size_t first_waiting, std::optional<size_t> worker_last,
                const std::vector<size_t>& others_last,
                const std::function<bool(size_t, size_t)>& maps_alike) {
  auto find = [&](auto&& wanted) -> std::optional<size_t> {
    for (size_t i = first_waiting; i < std::min(sent.size(), first_waiting + kPickLookAhead); ++i)
      if (!sent[i] && wanted(i)) return i;
    return std::nullopt;
  };
  std::optional<size_t> pick;
  if (worker_last) pick = find([&](size_t i) { return maps_alike(*worker_last, i); });
  if (!pick)
    pick = find([&](size_t i) {
      return std::none_of(others_last.begin(), others_last.end(), [&](size_t o) { return maps_alike(o, i); });
    });
  return pick ? *pick : first_waiting;
}

void run_workers(const PoolSettings& settings, WorkloadCache& cache, size_t count,
                 const std::function<WorkerJob(size_t)>& job, const std::function<void(size_t)>& prepare,
                 const std::function<void(size_t, WorkerOutcome)>& finished,
                 const std::function<bool(size_t, size_t)>& maps_alike) {
  IgnoreSigpipe ignore_sigpipe;
  Pool pool(settings, cache, count, job, prepare, finished, maps_alike);
  pool.run();  // on an exception, the pool's destructor stops its workers
}

}  // namespace deepchip::explorer
