// An AXI-like port of the ARM+FPGA system (models/soc/soc.hpp): between one master and the DDR, with the
// timing of sim::PortTiming (sim/soc/ddr_timing.hpp).
#pragma once
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <systemc>
#include <tlm>

#include "sim/cost/timeline.hpp"
#include "sim/soc/ddr_timing.hpp"

namespace deepchip::models {

// An AXI-like port (sim::PortTiming) between one master and the DDR.
class AxiPort : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<AxiPort> target;
  tlm_utils::simple_initiator_socket<AxiPort> initiator;
  // `timeline` (optional): the port's transfers are recorded there on `track`.
  AxiPort(sc_core::sc_module_name name, const sim::PortTiming& timing, bool ideal, sim::Timeline* timeline,
          sim::Track track);

 private:
  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
  sim::PortTiming timing_;
  bool ideal_;
  sim::Timeline* timeline_;
  sim::Track track_;
};

}  // namespace deepchip::models
