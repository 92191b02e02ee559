#include "explorer/run/worker_pool.hpp"

#include <poll.h>
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
#include <map>
#include <vector>

#include "explorer/run/message_pipe.hpp"
#include "explorer/store/kill_points.hpp"
#include "models/system/evaluate.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/json_input.hpp"
#include "sim/io/output_file.hpp"

namespace deepchip::explorer {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

sim::PointResult run_point_here(const PointConfig& point, WorkloadCache& cache,
                                std::optional<sim::ArrayImpl> explored_for, const sim::Observers& observers) {
  const models::Workload workload{cache.quantized(point), cache.energy(point), &cache.golden(point),
                                  cache.pe(point)};
  return models::evaluate({point.hw, point.soc, explored_for}, workload, observers);
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
// The process's address space now (/proc/self/statm: its size in pages); 0 when unreadable.
rlim_t address_space_bytes() {
  std::ifstream statm("/proc/self/statm");
  rlim_t pages = 0;
  if (!(statm >> pages)) return 0;
  return pages * static_cast<rlim_t>(sysconf(_SC_PAGESIZE));
}

void setup_worker_process(pid_t parent, int64_t memory_limit_mib) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);  // the parent died before prctl took effect
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  if (!kAddressSanitizer) {
    // The soft limit bounds what the point adds to the address space it was forked with (the workload it
    // shares with the parent: models, golden references, which a sweep over several GPT-2 sequences makes
    // large); the hard limit stays, so that a worker out of memory can lift the soft one again to write its
    // "out of memory" result (that write failing too was an exit 3).
    struct rlimit limit {};
    getrlimit(RLIMIT_AS, &limit);
    const rlim_t wanted = address_space_bytes() + (static_cast<rlim_t>(memory_limit_mib) << 20);
    limit.rlim_cur = std::min(limit.rlim_max, wanted);
    setrlimit(RLIMIT_AS, &limit);
  }
}

// After an allocation failed: the memory limit lifted for what is left to do (the result, its file).
void lift_memory_limit() {
  struct rlimit limit {};
  if (getrlimit(RLIMIT_AS, &limit) != 0) return;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_AS, &limit);
}

// The worker: evaluates its point and hands the result to the parent over `result_fd` (message_pipe.hpp),
// once; the parent parses it and writes the point's result.json.
[[noreturn]] void worker(const WorkerJob& job, WorkloadCache& cache, int result_fd,
                         const PoolSettings& settings) {
  sim::PointResult r;
  try {
    r = run_point_here(job.point, cache, job.explored_for);
  } catch (const std::bad_alloc&) {
    lift_memory_limit();
    r = sim::PointResult{};
    r.reason = "out of memory: the worker reached worker_memory_limit_mib (" +
               std::to_string(settings.memory_limit_mib) + " MiB)";
  } catch (const std::exception& e) {
    r = sim::PointResult{};
    r.reason = std::string("error: ") + e.what();
    std::replace(r.reason.begin(), r.reason.end(), '\n', ' ');  // one line, like every reason
  }
  try {
    json j = sim::to_json(r);
    j["git_revision"] = settings.revision;
    if (!write_message(result_fd, sim::dump_json(j, 2) + "\n")) _exit(3);  // the parent is gone
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

struct Running {
  size_t job;
  Clock::time_point started;
  fs::path dir;
  MessageReader result;  // the worker's pipe
};

// What an ended worker sent: its result, written to its folder's result.json, or why there is none. A
// SIGKILL the pool did not send is an interruption, not a failure of the point.
WorkerOutcome collect(Running& worker, int status, const struct rusage& usage) {
  WorkerOutcome o;
  const std::string peak = "peak RSS " + std::to_string(usage.ru_maxrss / 1024) + " MiB";
  if (WIFSIGNALED(status)) {
    o.interrupted = WTERMSIG(status) == SIGKILL;
    o.result.reason = (o.interrupted ? "worker killed from outside (signal " : "worker crashed (signal ") +
                      signal_name(WTERMSIG(status)) + ", " + peak + ")";
    return o;
  }
  worker.result.read_to_end();
  const std::optional<std::string> text = worker.result.next();
  try {
    if (!text) throw std::runtime_error("no message");
    o.result = sim::point_result_from_json(sim::parse_json(*text, "the worker's result"));
  } catch (const std::exception&) {
    o.result = sim::PointResult{};
    o.result.reason =
        "worker exited without a result (status " + std::to_string(WEXITSTATUS(status)) + ", " + peak + ")";
    return o;
  }
  // The point's files for a designer (the store commits the result; a lost file is rewritten on rerun).
  sim::write_file_atomically(worker.dir / "result.json", *text, "", sim::Durability::kUnsynced);
  return o;
}

// A run killed while it wrote a result.json leaves that file's temporary (sim/io/output_file.hpp) behind.
void remove_temporary_files(const fs::path& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() > 1 && name[0] == '.' && name.find(".tmp.") != std::string::npos)
      fs::remove(e.path(), ec);
  }
}

// Waits up to `ms` for any worker's output and reads what arrived, so that a worker whose result exceeds
// the pipe's buffer goes on writing (and ends) while the pool waits for it.
void read_worker_output(std::map<pid_t, Running>& running, int ms) {
  std::vector<pollfd> fds;
  for (const auto& [pid, r] : running) fds.push_back({r.result.fd(), POLLIN, 0});
  if (::poll(fds.data(), fds.size(), ms) <= 0) return;
  for (auto& [pid, r] : running) r.result.read_available();
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Forks workers up to settings.jobs and collects them until `count` finished (or a signal).
void launch_and_collect(const PoolSettings& settings, WorkloadCache& cache, size_t count,
                        const std::function<WorkerJob(size_t)>& job,
                        const std::function<void(size_t)>& prepare,
                        const std::function<void(size_t, WorkerOutcome)>& finished,
                        std::map<pid_t, Running>& running) {
  size_t next = 0, done = 0;
  const pid_t parent = getpid();
  while (done < count && !StopSignals::received()) {
    while (static_cast<int>(running.size()) < settings.jobs && next < count && !StopSignals::received()) {
      const size_t i = next++;
      prepare(i);
      const WorkerJob w = job(i);
      const fs::path dir = fs::path(settings.out_dir) / "points" / w.point.id;
      sim::make_output_dir(dir, "--out");
      remove_temporary_files(dir);      // of a run killed half-way through writing the point's files
      fs::remove(dir / "result.json");  // left by a run that was killed: never read it as this one's
      sim::write_file_atomically(dir / "effective_config.json", sim::dump_json(w.point.effective, 2) + "\n",
                                 "", sim::Durability::kUnsynced);
      std::fflush(nullptr);
      const Clock::time_point started = Clock::now();
      static int64_t workers_started = 0;  // in this process, every phase
      const int64_t worker_index = workers_started++;
      int fds[2] = {-1, -1};
      const pid_t pid = ::pipe(fds) == 0 ? fork() : -1;
      if (pid == 0) {
        ::close(fds[0]);
        setup_worker_process(parent, settings.memory_limit_mib);
        kill_point_in_worker(worker_index);
        worker(w, cache, fds[1], settings);
      }
      if (fds[1] >= 0) ::close(fds[1]);  // the worker's end: its exit closes the pipe
      if (pid < 0) {
        if (fds[0] >= 0) ::close(fds[0]);
        WorkerOutcome o;
        o.interrupted = true;
        o.result.reason = std::string("fork failed: ") + std::strerror(errno);
        ++done;
        finished(i, std::move(o));
      } else {
        running.emplace(pid, Running{i, started, dir, MessageReader(fds[0])});
      }
    }
    int status = 0;
    struct rusage usage {};
    const pid_t pid = wait4(-1, &status, WNOHANG, &usage);
    if (pid > 0 && running.count(pid)) {
      Running r = std::move(running.at(pid));
      running.erase(pid);
      WorkerOutcome o = collect(r, status, usage);
      o.wall_seconds = seconds_since(r.started);
      ++done;
      finished(r.job, std::move(o));
      continue;
    }
    for (auto it = running.begin(); it != running.end();) {
      if (seconds_since(it->second.started) > settings.time_limit_s) {
        kill(it->first, SIGKILL);
        waitpid(it->first, &status, 0);
        remove_temporary_files(it->second.dir);
        WorkerOutcome o;
        o.wall_seconds = seconds_since(it->second.started);
        o.result.reason =
            "time limit of " + std::to_string(static_cast<int>(settings.time_limit_s)) + " s exceeded";
        ++done;
        finished(it->second.job, std::move(o));
        it = running.erase(it);
      } else {
        ++it;
      }
    }
    read_worker_output(running, 1);
  }
}

}  // namespace

void run_workers(const PoolSettings& settings, WorkloadCache& cache, size_t count,
                 const std::function<WorkerJob(size_t)>& job, const std::function<void(size_t)>& prepare,
                 const std::function<void(size_t, WorkerOutcome)>& finished) {
  std::map<pid_t, Running> running;
  // Stopped by a signal, or by an error (a full disk, the store): no worker outlives the pool.
  auto stop_all = [&running] {
    for (const auto& [pid, r] : running) {
      kill(pid, SIGKILL);
      int status = 0;
      waitpid(pid, &status, 0);
      remove_temporary_files(r.dir);
    }
    running.clear();
  };
  try {
    launch_and_collect(settings, cache, count, job, prepare, finished, running);
  } catch (...) {
    stop_all();
    throw;
  }
  stop_all();
}

}  // namespace deepchip::explorer
