// The DDR as a TLM-2.0 target (loosely timed), the one memory behind a standalone accelerator and behind
// the ports of the ARM+FPGA system (models/soc): one channel (sim::DdrChannel, sim/soc/ddr_timing.hpp)
// serving every initiator bound to its socket first come, first served. A transfer of B bytes arriving at
// cycle t starts at max(t, busy_until), occupies the channel ceil(B / bandwidth) cycles, and its data is
// complete `latency` cycles after that; b_transport returns that point as the annotated delay and does not
// wait, so an initiator can keep several transfers in flight and wait only when it needs the data.
// Payloads carry the command and the length; the functional data lives in the accelerator's tensor store.
// An ideal channel (memory model `ideal`) completes every transfer at once.
#pragma once
#include <tlm_utils/multi_passthrough_target_socket.h>

#include <cstdint>
#include <systemc>
#include <tlm>
#include <vector>

#include "sim/cost/timeline.hpp"
#include "sim/map/hardware.hpp"
#include "sim/soc/ddr_timing.hpp"

namespace deepchip::models {

class Ddr : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<Ddr> socket;
  // `timeline` (optional): the channel's transfers are recorded there.
  Ddr(sc_core::sc_module_name name, const sim::DdrChannel& channel, sim::Timeline* timeline);
  // A standalone accelerator's DRAM: the channel of hw.dram_* and hw.memory.
  Ddr(sc_core::sc_module_name name, const sim::HardwareConfig& hw, sim::Timeline* timeline);
  int64_t bytes(int initiator) const;  // read and written so far, by the initiator's binding index
  int64_t bytes_read() const { return bytes_read_; }
  int64_t bytes_written() const { return bytes_written_; }
  // A transfer of `bytes` from `initiator` (its binding index) arriving at cycle `arrival`: counted, served
  // on the channel and recorded; returns the cycle its data is complete. b_transport comes here, and so do
  // the units of a standalone accelerator, which reach their own DRAM directly (models/accelerator/
  // dram_path.hpp). `what`: a string literal naming the data, for the timeline.
  int64_t serve(int initiator, bool write, int64_t bytes, int64_t arrival, const char* what);

 private:
  void b_transport(int initiator, tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);

  sim::DdrChannel channel_;
  sim::Timeline* timeline_;
  std::vector<int64_t> bytes_;  // by binding index (a map lookup per transfer cost 2% of a sweep)
  int64_t bytes_read_ = 0, bytes_written_ = 0;
};

}  // namespace deepchip::models
