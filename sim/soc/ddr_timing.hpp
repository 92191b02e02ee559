// Timing of the shared DDR and of the AXI-like ports in front of it, in fabric (accelerator) clock cycles.
// The SystemC modules (models/soc) and the partitioner's cost model both use these, so a transfer that
// meets no other traffic costs exactly what the partitioner assumed.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>

namespace deepchip::sim {

// One DDR channel shared by every initiator, first come first served: a transfer of B bytes arriving at
// cycle t starts at max(t, busy_until), occupies the channel ceil(B / bandwidth) cycles, and its data is
// complete `latency` cycles later.
struct DdrChannel {
  double bytes_per_cycle = 16;
  int64_t latency_cycles = 100;
  bool ideal = false;  // every transfer completes at once
  int64_t busy_until = 0;

  int64_t schedule(int64_t arrival, int64_t bytes) {
    if (ideal || bytes == 0) return arrival;
    const int64_t start = std::max(arrival, busy_until);
    busy_until = start + static_cast<int64_t>(std::ceil(static_cast<double>(bytes) / bytes_per_cycle));
    return busy_until + latency_cycles;
  }
};

// An AXI-like port (S_AXI_HP of the PL, or the cluster's path to DDR): `width_bytes` per beat at its own
// clock, a request latency, and at most `outstanding` transactions in flight (a new one waits for the oldest
// to complete). A transfer starts when the port is free and a slot is, streams its beats, reaches the DDR
// `latency` cycles after its start, and completes when both its beats and the DDR are done.
struct PortTiming {
  int64_t width_bytes = 16;
  double fabric_cycles_per_beat = 1.0;  // fabric clock / port clock
  int64_t latency_cycles = 0;           // fabric cycles
  int outstanding = 8;
  int64_t busy_until = 0;
  std::multiset<int64_t> in_flight;  // completion cycles

  // Returns the completion cycle of `bytes` arriving at `arrival`, scheduling its DDR part on `ddr`.
  int64_t transfer(int64_t arrival, int64_t bytes, DdrChannel& ddr) {
    if (ddr.ideal) return arrival;
    return transfer(arrival, bytes, [&](int64_t at, int64_t b) { return ddr.schedule(at, b); });
  }
  // The same with the DDR behind a callable (at, bytes) -> completion cycle (a TLM socket in models/soc).
  template <typename DdrSchedule>
  int64_t transfer(int64_t arrival, int64_t bytes, DdrSchedule&& ddr_schedule) {
    if (bytes == 0) return arrival;
    while (!in_flight.empty() && *in_flight.begin() <= arrival) in_flight.erase(in_flight.begin());
    int64_t start = std::max(arrival, busy_until);
    if (static_cast<int>(in_flight.size()) >= outstanding) {
      start = std::max(start, *in_flight.begin());
      in_flight.erase(in_flight.begin());
    }
    const int64_t beats = (bytes + width_bytes - 1) / width_bytes;
    busy_until = start + static_cast<int64_t>(std::ceil(static_cast<double>(beats) * fabric_cycles_per_beat));
    const int64_t complete =
        std::max(ddr_schedule(start + latency_cycles, bytes), busy_until + latency_cycles);
    in_flight.insert(complete);
    return complete;
  }
};

// Cycles of one transfer through a port into an idle DDR.
inline int64_t isolated_transfer_cycles(PortTiming port, DdrChannel ddr, int64_t bytes) {
  port.busy_until = ddr.busy_until = 0;
  port.in_flight.clear();
  return port.transfer(0, bytes, ddr);
}

}  // namespace deepchip::sim
