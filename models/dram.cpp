#include "models/dram.hpp"

#include <algorithm>

#include "models/clock.hpp"
#include "models/timed_transfer.hpp"
#include "sim/timeline.hpp"

namespace deepchip::models {

Dram::Dram(sc_core::sc_module_name name, const sim::HardwareConfig& hw)
    : sc_module(name),
      socket("socket"),
      hw_(hw),
      channel_{hw.dram_bandwidth_bytes_per_cycle, hw.dram_latency_cycles,
               hw.memory == sim::MemoryModel::kIdeal, 0} {
  socket.register_b_transport(this, &Dram::b_transport);
}

void Dram::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
  const auto bytes = static_cast<int64_t>(payload.get_data_length());
  payload.set_response_status(tlm::TLM_OK_RESPONSE);
  if (bytes == 0 || hw_.memory == sim::MemoryModel::kIdeal) return;
  (payload.is_write() ? bytes_written_ : bytes_read_) += bytes;
  const int64_t now = now_cycles();
  const int64_t arrival = now + time_to_cycles(delay);
  const int64_t served_from = std::max(arrival, channel_.busy_until);
  delay = cycles_to_time(channel_.schedule(arrival, bytes) - now);
  if (hw_.timeline)
    hw_.timeline->slice(
        sim::Track::kDram, transfer_label(payload), served_from, channel_.busy_until,
        {{"bytes", bytes}, {"write", payload.is_write() ? 1 : 0}, {"arrival_cycle", arrival}});
}

}  // namespace deepchip::models
