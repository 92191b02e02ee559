// A timing-only TLM-2.0 transfer (loosely timed): the payload carries the command and the length, the data
// travels as C++ objects beside it. Issued with b_transport; the target annotates when the data is complete
// and the initiator does not wait (it may keep several transfers in flight).
#pragma once
#include <cstdint>
#include <tlm>

#include "models/clock.hpp"

namespace deepchip::models {

// What a transfer moves ("weights", "inputs", "outputs", ...), as a generic-payload extension, so that a
// memory recording its timeline (sim/cost/timeline.hpp) can name the transfers it serves. The payload owns
// it.
struct TransferLabel : tlm::tlm_extension<TransferLabel> {
  const char* what = "";
  tlm::tlm_extension_base* clone() const override { return new TransferLabel(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    what = static_cast<const TransferLabel&>(other).what;
  }
};

inline const char* transfer_label(const tlm::tlm_generic_payload& payload) {
  const auto* label = payload.get_extension<TransferLabel>();
  return label ? label->what : "transfer";
}

// Issued at `at_cycle` (>= SystemC's now: an initiator running ahead of SystemC time annotates the
// difference); returns the cycle at which the transfer's data is complete. `what`: a string literal.
template <typename Socket>
int64_t timed_transfer(Socket& socket, tlm::tlm_generic_payload& payload, tlm::tlm_command command,
                       int64_t bytes, int64_t at_cycle, const char* what) {
  const int64_t now = now_cycles();
  payload.set_command(command);
  payload.set_address(0);
  payload.set_data_ptr(nullptr);
  payload.set_data_length(static_cast<unsigned int>(bytes));
  payload.set_streaming_width(static_cast<unsigned int>(bytes));
  payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  auto* label = payload.get_extension<TransferLabel>();
  if (!label) {
    label = new TransferLabel;
    payload.set_extension(label);
  }
  label->what = what;
  sc_core::sc_time delay = cycles_to_time(at_cycle - now);
  socket->b_transport(payload, delay);
  return now + time_to_cycles(delay);
}

}  // namespace deepchip::models
