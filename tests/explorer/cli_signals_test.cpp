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

#include "explorer/config/config.hpp"
#include "tests/explorer/dse_process.hpp"
#include "tests/explorer/scratch_dir.hpp"

namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return deepchip::testing::scratch_dir("dse_sig_", name); }

using deepchip::testing::alive;
using deepchip::testing::children_of;
using deepchip::testing::eventually;

// Two long points (ResNet-18 on a 2x2 cycle array takes minutes) and their two workers.
std::vector<pid_t> start_long_sweep(const fs::path& dir, pid_t& main) {
  std::ofstream(dir / "sweep.json") << R"({"networks": ["resnet18"], "time_limit_s": 600,
      "hardware": {"array_rows": 2, "array_impl": "cycle", "weight_buffer_kib": 1},
      "axes": {"array_cols": [2, 3]}})";
  main = deepchip::testing::spawn_dse(
      dir, {"--config", (dir / "sweep.json").string(), "--out", (dir / "out").string(), "--jobs", "2"});
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
  // The limit bounds what a point adds to the address space its worker held when it started: 64 MiB is less
  // than the 288 MiB im2col matrix of this layer's tile run (a 1024 x 1024 map of 8 channels, 3x3: 2^20 x 72
  // int32). The worker exits after that point; the next point (lenet5, on one job) runs in a new one.
  std::ofstream(dir / "big.json") << R"({"inputs": [{"name": "x", "shape": [1024, 1024, 8]}],
      "layers": [{"name": "c", "type": "conv", "filters": 16, "kernel": 3, "padding": 1}]})";
  std::ofstream(dir / "sweep.json") << R"({"networks": ["big.json", "lenet5"], "verify": "all",
      "worker_memory_limit_mib": 64})";
  const pid_t main = deepchip::testing::spawn_dse(
      dir, {"--config", (dir / "sweep.json").string(), "--out", (dir / "out").string(), "--jobs", "1"});
  int status = 0;
  ASSERT_EQ(waitpid(main, &status, 0), main);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const auto summary = deepchip::explorer::load_json_file((dir / "out" / "summary.json").string());
  EXPECT_EQ(summary["points"], 2);
  EXPECT_EQ(summary["ok_points"], 1);
  ASSERT_EQ(summary["failed"].size(), 1u) << summary.dump();
  EXPECT_EQ(summary["failed"][0]["reason"],
            "out of memory: the worker reached worker_memory_limit_mib (64 MiB)");
}

}  // namespace
