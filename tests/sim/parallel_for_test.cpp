#include "sim/util/parallel_for.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace deepchip::sim {
namespace {

TEST(ParallelFor, RunsEveryIndexOnceAndRethrowsTheLowestIndexsError) {
  for (int threads : {1, 2, 5}) {
    std::vector<int> runs(100);
    parallel_for(100, threads, [&](int64_t i) { ++runs[static_cast<size_t>(i)]; });
    EXPECT_EQ(runs, std::vector<int>(100, 1));
    try {
      parallel_for(100, threads, [&](int64_t i) {
        if (i % 30 == 17) throw std::runtime_error("task " + std::to_string(i));
      });
      ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "task 17");
    }
  }
}

}  // namespace
}  // namespace deepchip::sim
