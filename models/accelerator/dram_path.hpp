// How a unit of the accelerator (read DMA, output stage, vector unit) reaches DRAM.
//
// By default, a TLM-2.0 transfer through the unit's initiator socket: the interconnect, the top's port, and
// whatever the owner bound that to (in a system, the AXI port and the shared DDR, models/soc).
//
// A standalone accelerator is its DRAM's only initiator and plays each layer ahead of SystemC time, so its
// units call the DRAM's channel directly (Ddr::serve, the function the DRAM's b_transport calls). The
// transfer, its cycle, its order and its counters are the same; what goes is the transport path: three
// socket hops and two time conversions per transfer, about a third of a timing-level point's time in its
// worker and a fifth of a whole sweep's CPU (tests/bench/results.md). This is the idea of TLM-2.0's direct
// memory interface, which lets an initiator that knows its target bypass the transport path, applied to the
// transfer's timing. Memory.ReachingTheDramDirectlyChangesNoStatAndNoTimelineSlice checks that both paths
// give the same stats and timeline.
#pragma once
#include <cstdint>
#include <tlm>

#include "models/memory/ddr.hpp"
#include "models/timed_transfer.hpp"

namespace deepchip::models {

class DramPath {
 public:
  // From now on, transfers go to `dram` directly, counted under `initiator` (the binding index its socket
  // would have had).
  void bypass_sockets(Ddr& dram, int initiator) {
    direct_ = &dram;
    initiator_ = initiator;
  }

  // Issued at `at_cycle` (>= SystemC's now); returns the cycle the transfer's data is complete. `what`: a
  // string literal naming the data.
  template <typename Socket>
  int64_t transfer(Socket& socket, tlm::tlm_command command, int64_t bytes, int64_t at_cycle,
                   const char* what) {
    if (direct_) return direct_->serve(initiator_, command == tlm::TLM_WRITE_COMMAND, bytes, at_cycle, what);
    return timed_transfer(socket, payload_, command, bytes, at_cycle, what);
  }

 private:
  Ddr* direct_ = nullptr;
  int initiator_ = 0;
  tlm::tlm_generic_payload payload_;
};

}  // namespace deepchip::models
