// Running the dse binary from a test: to completion with its output (run_dse), or in the background
// (spawn_dse) with a look at its worker processes.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "deepchip/dse_binary.hpp"

namespace deepchip::testing {

struct DseRun {
  int exit_code;       // -1 when it did not exit normally
  std::string output;  // stdout and stderr
};

// Runs a shell command with its stdout and stderr captured.
inline DseRun run_shell(const std::string& command) {
  const std::string cmd = command + " 2>&1";
  DseRun r{-1, ""};
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), p)) r.output += buf.data();
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline DseRun run_dse(const std::string& args) { return run_shell(std::string(DSE_BINARY) + " " + args); }

// Starts `dse args...` with stdout and stderr in dir/stdout.txt and dir/stderr.txt; returns its pid.
inline pid_t spawn_dse(const std::filesystem::path& dir, const std::vector<std::string>& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (!freopen((dir / "stdout.txt").c_str(), "w", stdout) ||
        !freopen((dir / "stderr.txt").c_str(), "w", stderr))
      _exit(126);
    std::vector<char*> argv = {const_cast<char*>(DSE_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(DSE_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

inline std::vector<pid_t> children_of(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::vector<pid_t> c;
  for (pid_t x; f >> x;) c.push_back(x);
  return c;
}

inline bool alive(pid_t pid) {  // a process that exists and is not a zombie
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

}  // namespace deepchip::testing
