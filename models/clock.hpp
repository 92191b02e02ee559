// Simulated time base: one accelerator clock cycle is one SystemC nanosecond. Seconds are derived from the
// configured clock (cycles / clock_hz) in the stats, so the time base never rounds a clock period.
#pragma once
#include <cstddef>
#include <new>
#include <string>
#include <systemc>

namespace deepchip::models {

// SystemC times are integers of its time resolution (1 ps unless changed before the first sc_time), so
// cycles convert exactly, with integer arithmetic (no double seconds on the hot path).
inline sc_core::sc_time::value_type resolution_units_per_cycle() {
  static const sc_core::sc_time::value_type units = sc_core::sc_time(1, sc_core::SC_NS).value();
  return units;
}
inline sc_core::sc_time cycles_to_time(int64_t cycles) {
  return sc_core::sc_time::from_value(static_cast<sc_core::sc_time::value_type>(cycles) *
                                      resolution_units_per_cycle());
}
// A duration (e.g. a TLM annotated delay) in cycles, rounded to the nearest cycle.
inline int64_t time_to_cycles(const sc_core::sc_time& t) {
  const auto units = resolution_units_per_cycle();
  return static_cast<int64_t>((t.value() + units / 2) / units);
}
inline int64_t now_cycles() { return time_to_cycles(sc_core::sc_time_stamp()); }
// Blocks the calling SystemC thread until `cycle` (returns at once if it has passed).
inline void wait_until(int64_t cycle) {
  const int64_t now = now_cycles();
  if (cycle > now) sc_core::wait(cycles_to_time(cycle - now));
}
constexpr int64_t kNever = INT64_MAX;

// Stack of the SystemC threads that run kernels (array folds, golden layers on the ARM). SystemC's default
// coroutine stack is 256 KiB; Eigen's GEMM puts its packing buffers on the stack (up to
// EIGEN_STACK_ALLOCATION_LIMIT each, which CMake bounds to 32 KiB), and a 128x128 fold of a large layer used
// to overflow the default stack. 8 MiB is what a main thread gets; it is reserved, not committed.
constexpr std::size_t kKernelThreadStackBytes = std::size_t{8} << 20;

// sc_start() for a design point. SystemC reports running out of memory as its own errors (E518 "failed to
// allocate stack memory" for a coroutine, E549 for a std::bad_alloc thrown in a process); they become the
// std::bad_alloc they are, so that a worker over its memory limit says so.
inline void simulate() {
  try {
    sc_core::sc_start();
  } catch (const sc_core::sc_report& r) {
    const std::string what = r.what();
    if (what.find("bad_alloc") != std::string::npos || what.find("failed to allocate") != std::string::npos)
      throw std::bad_alloc();
    throw;
  }
}

}  // namespace deepchip::models
