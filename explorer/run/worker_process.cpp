#include "explorer/run/worker_process.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "explorer/run/message_pipe.hpp"
#include "explorer/run/result_codec.hpp"
#include "explorer/store/kill_points.hpp"

namespace deepchip::explorer {

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

// The process's address space now (/proc/self/statm: its size in pages); 0 when unreadable.
rlim_t address_space_bytes() {
  std::ifstream statm("/proc/self/statm");
  rlim_t pages = 0;
  if (!(statm >> pages)) return 0;
  return pages * static_cast<rlim_t>(sysconf(_SC_PAGESIZE));
}

// The worker dies with the parent (even a SIGKILLed one) and takes SIGINT/SIGTERM by default.
void setup_worker_process(pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);  // the parent died before prctl took effect
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGPIPE, SIG_DFL);
}

// Before each point: the soft limit bounds what the point adds to the address space the worker holds (the
// workload it shares with the parent: models, golden references, which a sweep over several GPT-2 sequences
// makes large; what earlier points left allocated); the hard limit stays, so that a worker out of memory
// can lift the soft one again to send its "out of memory" result. AddressSanitizer reserves terabytes of
// shadow memory, so sanitizer builds leave the limit off.
void limit_memory_of_next_point(int64_t memory_limit_mib) {
  if (kAddressSanitizer) return;
  struct rlimit limit {};
  getrlimit(RLIMIT_AS, &limit);
  const rlim_t wanted = address_space_bytes() + (static_cast<rlim_t>(memory_limit_mib) << 20);
  limit.rlim_cur = std::min(limit.rlim_max, wanted);
  setrlimit(RLIMIT_AS, &limit);
}

// After an allocation failed: the memory limit lifted for what is left to do (the result).
void lift_memory_limit() {
  struct rlimit limit {};
  if (getrlimit(RLIMIT_AS, &limit) != 0) return;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_AS, &limit);
}

// The point's result; `threw`: it ended in an exception (the worker then exits).
sim::PointResult evaluate(const WorkerJob& job, int64_t start, WorkloadCache& cache,
                          const PoolSettings& settings, bool& threw) {
  threw = true;
  sim::PointResult r;
  try {
    throw_in_point(start);
    r = run_point_here(job.point, cache, job.explored_for);
    threw = false;
  } catch (const std::bad_alloc&) {
    lift_memory_limit();
    r = sim::PointResult{};
    r.reason = memory_limit_reason(settings.memory_limit_mib);
  } catch (const std::exception& e) {
    r = sim::PointResult{};
    r.reason = std::string("error: ") + e.what();
    std::replace(r.reason.begin(), r.reason.end(), '\n', ' ');  // one line, like every reason
  }
  return r;
}

const std::string kResult = "result\n";
const std::string kLastResult = "last result\n";

}  // namespace

std::string point_answer(const std::string& encoded_result, bool last) {
  return (last ? kLastResult : kResult) + encoded_result;
}

bool take_answer_mark(std::string& text) {
  for (const std::string* mark : {&kLastResult, &kResult}) {
    if (text.rfind(*mark, 0) != 0) continue;
    text.erase(0, mark->size());
    return mark == &kLastResult;
  }
  return false;  // unmarked: read as it is (and found unreadable)
}

std::string point_request(size_t index, int64_t start) {
  return std::to_string(index) + " " + std::to_string(start);
}

void serve_points(const std::function<WorkerJob(size_t)>& job, WorkloadCache& cache, int requests_fd,
                  int results_fd, const PoolSettings& settings, pid_t parent) {
  setup_worker_process(parent);
  MessageReader requests(requests_fd);
  while (const std::optional<std::string> request = requests.wait_next()) {
    std::istringstream fields(*request);
    size_t index = 0;
    int64_t start = 0;
    if (!(fields >> index >> start)) _exit(3);
    kill_point_in_worker(start);
    const WorkerJob w = job(index);
    limit_memory_of_next_point(settings.memory_limit_mib);
    bool threw = false;
    const sim::PointResult r = evaluate(w, start, cache, settings, threw);
    try {
      if (!write_message(results_fd, point_answer(encode_result(r), threw))) _exit(3);  // the parent is gone
    } catch (...) {
      _exit(3);
    }
    if (threw) break;
  }
  std::fflush(nullptr);
  _exit(0);
}

}  // namespace deepchip::explorer
