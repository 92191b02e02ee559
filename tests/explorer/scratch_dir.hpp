// A scratch directory for one test process (each TEST runs in its own process, gtest_discover_tests), under
// the system's temp folder: `prefix` + `name` + pid, emptied when made. Every scratch directory of the
// process is removed at its exit when all its tests passed, and kept for a look when one failed.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace deepchip::testing {

inline std::vector<std::filesystem::path>& scratch_dirs() {
  static std::vector<std::filesystem::path> dirs;
  return dirs;
}

inline void remove_scratch_dirs_if_passed() {
  if (!::testing::UnitTest::GetInstance()->Passed()) return;
  std::error_code ignored;
  for (const auto& dir : scratch_dirs()) std::filesystem::remove_all(dir, ignored);
}

inline std::filesystem::path scratch_dir(const std::string& prefix, const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / (prefix + name + "_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  if (scratch_dirs().empty()) std::atexit(remove_scratch_dirs_if_passed);
  scratch_dirs().push_back(dir);
  return dir;
}

}  // namespace deepchip::testing
