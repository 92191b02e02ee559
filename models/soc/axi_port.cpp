#include "models/soc/axi_port.hpp"

#include "models/clock.hpp"
#include "models/timed_transfer.hpp"

namespace deepchip::models {

AxiPort::AxiPort(sc_core::sc_module_name name, const sim::PortTiming& timing, bool ideal,
                 sim::Timeline* timeline, sim::Track track)
    : sc_module(name),
      target("target"),
      initiator("initiator"),
      timing_(timing),
      ideal_(ideal),
      timeline_(timeline),
      track_(track) {
  target.register_b_transport(this, &AxiPort::b_transport);
}

void AxiPort::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
  payload.set_response_status(tlm::TLM_OK_RESPONSE);
  if (ideal_) return;
  const int64_t now = now_cycles();
  const int64_t arrival = now + time_to_cycles(delay);
  const auto bytes = static_cast<int64_t>(payload.get_data_length());
  const int64_t complete = timing_.transfer(arrival, bytes, [&](int64_t at, int64_t) {
    sc_core::sc_time d = cycles_to_time(at - now);
    initiator->b_transport(payload, d);
    return now + time_to_cycles(d);
  });
  delay = cycles_to_time(complete - now);
  if (timeline_) timeline_->slice(track_, transfer_label(payload), arrival, complete, {{"bytes", bytes}});
}

}  // namespace deepchip::models
