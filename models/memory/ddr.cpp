#include "models/memory/ddr.hpp"

#include <algorithm>

#include "models/clock.hpp"
#include "models/timed_transfer.hpp"

namespace deepchip::models {

Ddr::Ddr(sc_core::sc_module_name name, const sim::DdrChannel& channel, sim::Timeline* timeline)
    : sc_module(name), socket("socket"), channel_(channel), timeline_(timeline) {
  socket.register_b_transport(this, &Ddr::b_transport);
}

Ddr::Ddr(sc_core::sc_module_name name, const sim::HardwareConfig& hw, sim::Timeline* timeline)
    : Ddr(name,
          sim::DdrChannel{hw.dram_bandwidth_bytes_per_cycle, hw.dram_latency_cycles,
                          hw.memory == sim::MemoryModel::kIdeal, 0},
          timeline) {}

int64_t Ddr::bytes(int initiator) const {
  return initiator >= 0 && static_cast<size_t>(initiator) < bytes_.size()
             ? bytes_[static_cast<size_t>(initiator)]
             : 0;
}

void Ddr::b_transport(int initiator, tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
  payload.set_response_status(tlm::TLM_OK_RESPONSE);
  const int64_t now = now_cycles();
  const int64_t arrival = now + time_to_cycles(delay);
  const int64_t done = serve(initiator, payload.is_write(), static_cast<int64_t>(payload.get_data_length()),
                             arrival, timeline_ ? transfer_label(payload) : "");
  // Done at once (an ideal channel, no bytes): the delay stays as it came, which may hold a fraction of a
  // cycle.
  if (done != arrival) delay = cycles_to_time(done - now);
}

int64_t Ddr::serve(int initiator, bool write, int64_t bytes, int64_t arrival, const char* what) {
  if (static_cast<size_t>(initiator) >= bytes_.size()) bytes_.resize(static_cast<size_t>(initiator) + 1);
  bytes_[static_cast<size_t>(initiator)] += bytes;
  (write ? bytes_written_ : bytes_read_) += bytes;
  if (bytes == 0 || channel_.ideal) return arrival;
  const int64_t served_from = std::max(arrival, channel_.busy_until);
  const int64_t done = channel_.schedule(arrival, bytes);
  if (timeline_)
    timeline_->slice(sim::Track::kDram, what, served_from, channel_.busy_until,
                     {{"bytes", bytes}, {"write", write ? 1 : 0}, {"arrival_cycle", arrival}});
  return done;
}

}  // namespace deepchip::models
