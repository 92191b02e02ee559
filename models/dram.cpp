#include "models/dram.hpp"

#include <algorithm>
#include <cmath>

#include "models/clock.hpp"

namespace deepchip::models {

Dram::Dram(sc_core::sc_module_name name, const sim::HardwareConfig& hw)
    : sc_module(name), socket("socket"), hw_(hw) {
  socket.register_b_transport(this, &Dram::b_transport);
}

void Dram::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
  const auto bytes = static_cast<int64_t>(payload.get_data_length());
  payload.set_response_status(tlm::TLM_OK_RESPONSE);
  if (bytes == 0 || hw_.memory == sim::MemoryModel::kIdeal) return;
  (payload.is_write() ? bytes_written_ : bytes_read_) += bytes;
  const int64_t arrival = now_cycles() + static_cast<int64_t>(delay / cycles_to_time(1) + 0.5);
  const int64_t start = std::max(arrival, busy_until_);
  const auto occupancy =
      static_cast<int64_t>(std::ceil(static_cast<double>(bytes) / hw_.dram_bandwidth_bytes_per_cycle));
  busy_until_ = start + occupancy;
  delay = cycles_to_time(busy_until_ + hw_.dram_latency_cycles - now_cycles());
}

}  // namespace deepchip::models
