// Simulated time base: one accelerator clock cycle is one SystemC nanosecond. Seconds are derived from the
// configured clock (cycles / clock_hz) in the stats, so the time base never rounds a clock period.
#pragma once
#include <systemc>

namespace deepchip::models {

inline sc_core::sc_time cycles_to_time(int64_t cycles) {
  return sc_core::sc_time(static_cast<double>(cycles), sc_core::SC_NS);
}
inline int64_t now_cycles() {
  return static_cast<int64_t>(sc_core::sc_time_stamp().to_seconds() * 1e9 + 0.5);
}
constexpr int64_t kNever = INT64_MAX;

}  // namespace deepchip::models
