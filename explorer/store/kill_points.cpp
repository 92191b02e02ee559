#include "explorer/store/kill_points.hpp"

#include <csignal>
#include <cstdlib>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>

namespace deepchip::explorer {
namespace {

int64_t env_count(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? -1 : std::strtoll(v, nullptr, 10);
}

std::set<int64_t> env_list(const char* name) {
  std::set<int64_t> out;
  const char* v = std::getenv(name);
  if (v == nullptr) return out;
  std::stringstream ss(v);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.insert(std::strtoll(item.c_str(), nullptr, 10));
  return out;
}

}  // namespace

void kill_point_after_commit() {
  static const int64_t kill_after = env_count("DSE_TEST_KILL_AFTER_COMMITS");
  static int64_t commits = 0;
  if (kill_after > 0 && ++commits >= kill_after) std::raise(SIGKILL);
}

void kill_point_in_worker(int64_t point_start) {
  static const std::set<int64_t> kill = env_list("DSE_TEST_KILL_WORKERS");
  static const std::set<int64_t> crash = env_list("DSE_TEST_CRASH_WORKERS");
  if (kill.count(point_start)) std::raise(SIGKILL);
  if (crash.count(point_start)) std::abort();
}

void throw_in_point(int64_t point_start) {
  static const std::set<int64_t> fail = env_list("DSE_TEST_THROW_IN_POINTS");
  if (fail.count(point_start)) throw std::runtime_error("DSE_TEST_THROW_IN_POINTS");
}

}  // namespace deepchip::explorer
