// Stopping a sweep: SIGTERM/SIGINT stop the workers and report the finished points; a SIGKILLed main
// process takes its workers along (PR_SET_PDEATHSIG); a worker over its memory limit is a failed point.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "explorer/config.hpp"
#include "tests/explorer/scratch_dir.hpp"

namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return deepchip::testing::scratch_dir("dse_sig_", name); }

// Starts `dse args...` with stdout and stderr in files of `dir`; returns its pid.
pid_t spawn(const fs::path& dir, const std::vector<std::string>& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    freopen((dir / "stdout.txt").c_str(), "w", stdout);
    freopen((dir / "stderr.txt").c_str(), "w", stderr);
    std::vector<char*> argv = {const_cast<char*>(DSE_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(DSE_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

std::vector<pid_t> children_of(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::vector<pid_t> c;
  for (pid_t x; f >> x;) c.push_back(x);
  return c;
}

bool alive(pid_t pid) {  // a process that exists and is not a zombie
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(f, line)) return false;
  const auto close = line.rfind(')');
  return close != std::string::npos && line.size() > close + 2 && line[close + 2] != 'Z';
}

// Polls (bounded) until `done` holds; the external process decides when.
template <typename F>
bool eventually(F&& done, double seconds) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

// Two long points (ResNet-18 on a 2x2 cycle array takes minutes) and their two workers.
std::vector<pid_t> start_long_sweep(const fs::path& dir, pid_t& main) {
  std::ofstream(dir / "sweep.json") << R"({"networks": ["resnet18"], "time_limit_s": 600,
      "hardware": {"array_rows": 2, "array_impl": "cycle", "weight_buffer_kib": 1},
      "axes": {"array_cols": [2, 3]}})";
  main =
      spawn(dir, {"--config", (dir / "sweep.json").string(), "--out", (dir / "out").string(), "--jobs", "2"});
  std::vector<pid_t> workers;
  eventually([&] { return (workers = children_of(main)).size() == 2; }, 60);
  return workers;
}

// Sends `sig` to the long sweep's main process once both workers run; returns its wait status.
int signal_long_sweep(const fs::path& dir, int sig, std::vector<pid_t>& workers) {
  pid_t main = 0;
  workers = start_long_sweep(dir, main);
  kill(main, sig);
  int status = 0;
  waitpid(main, &status, 0);
  return status;
}

TEST(CliSignals, SigtermStopsTheWorkersAndReportsWhatFinished) {
  const fs::path dir = scratch("term");
  std::vector<pid_t> workers;
  const int status = signal_long_sweep(dir, SIGTERM, workers);
  ASSERT_EQ(workers.size(), 2u);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
  for (pid_t w : workers) EXPECT_FALSE(alive(w)) << "worker " << w << " outlived the sweep";
  std::ifstream err(dir / "stderr.txt");
  std::stringstream ss;
  ss << err.rdbuf();
  EXPECT_NE(ss.str().find("dse: stopped by Terminated: 0 of 2 points finished"), std::string::npos)
      << ss.str();
  EXPECT_TRUE(fs::exists(dir / "out" / "results.csv"));  // the report of what finished (nothing yet)
}

TEST(CliSignals, SigkillOfTheMainProcessTakesTheWorkersAlong) {
  const fs::path dir = scratch("kill");
  std::vector<pid_t> workers;
  const int status = signal_long_sweep(dir, SIGKILL, workers);
  ASSERT_EQ(workers.size(), 2u);
  EXPECT_TRUE(WIFSIGNALED(status));
  for (pid_t w : workers) EXPECT_TRUE(eventually([&] { return !alive(w); }, 30)) << "orphaned worker " << w;
}

TEST(CliSignals, AWorkerOverItsMemoryLimitIsAFailedPoint) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer reserves terabytes of shadow memory: sanitizer builds set no limit";
#endif
  const fs::path dir = scratch("memory");
  // 64 MiB of address space is less than a worker has mapped at its fork (libraries, SystemC) plus what
  // ResNet-18's simulation allocates (thread stacks, im2col matrices): an allocation fails.
  std::ofstream(dir / "sweep.json") << R"({"networks": ["resnet18"], "worker_memory_limit_mib": 64})";
  const pid_t main = spawn(dir, {"--config", (dir / "sweep.json").string(), "--out", (dir / "out").string()});
  int status = 0;
  ASSERT_EQ(waitpid(main, &status, 0), main);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const auto summary = deepchip::explorer::load_json_file((dir / "out" / "summary.json").string());
  ASSERT_EQ(summary["failed"].size(), 1u);
  EXPECT_EQ(summary["failed"][0]["reason"],
            "out of memory: the worker reached worker_memory_limit_mib (64 MiB)");
}

}  // namespace
