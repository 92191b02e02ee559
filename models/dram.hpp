// DRAM as a TLM-2.0 target (loosely timed): one channel of `bandwidth` bytes per cycle serving transfers in
// arrival order (first come, first served), plus a fixed latency. A transfer of B bytes arriving at cycle t
// starts at max(t, busy_until), occupies the channel ceil(B / bandwidth) cycles, and its data is complete
// `latency` cycles after that; b_transport returns that point as the annotated delay and does not wait, so
// an initiator can keep several transfers in flight and wait only when it needs the data.
// Payloads carry the command and the length; the functional data lives in the accelerator's tensor store.
// The `ideal` memory model completes every transfer at once.
#pragma once
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <systemc>
#include <tlm>

#include "sim/hardware.hpp"
#include "sim/interconnect.hpp"

namespace deepchip::models {

class Dram : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Dram> socket;

  Dram(sc_core::sc_module_name name, const sim::HardwareConfig& hw);
  int64_t bytes_read() const { return bytes_read_; }
  int64_t bytes_written() const { return bytes_written_; }

 private:
  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);

  const sim::HardwareConfig& hw_;
  sim::DdrChannel channel_;  // the same FCFS timing as the shared DDR of models/soc
  int64_t bytes_read_ = 0, bytes_written_ = 0;
};

}  // namespace deepchip::models
