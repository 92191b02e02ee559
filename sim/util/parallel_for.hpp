// task(i) for i in [0, count) on up to `threads` threads (<= 0: the machine's cores), each index once. The
// tasks must write disjoint results, so that the outcome is the same on any number of threads (the
// preparation of a sweep's workload: synthetic weights, the golden run). An exception thrown by a task is
// rethrown here after every thread has finished: the lowest index's, as a serial loop would have thrown it
// first.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

namespace deepchip::sim {

inline int parallel_threads(int threads) {
  return threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

template <typename Task>
void parallel_for(int64_t count, int threads, Task&& task) {
  const int64_t workers = std::min<int64_t>(parallel_threads(threads), count);
  if (workers <= 1) {
    for (int64_t i = 0; i < count; ++i) task(i);
    return;
  }
  std::atomic<int64_t> next{0};
  std::vector<std::exception_ptr> errors(static_cast<size_t>(count));
  auto run = [&] {
    for (int64_t i = next++; i < count; i = next++) try {
        task(i);
      } catch (...) {
        errors[static_cast<size_t>(i)] = std::current_exception();
      }
  };
  std::vector<std::thread> pool;
  for (int64_t t = 1; t < workers; ++t) pool.emplace_back(run);
  run();
  for (auto& th : pool) th.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace deepchip::sim
