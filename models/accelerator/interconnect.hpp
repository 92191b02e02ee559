// The accelerator's memory interconnect: its masters (read DMA, output stage, vector unit) share the one
// DRAM port, transfers passing through in the order they are issued (the DRAM serves them first come,
// first served, models/memory/ddr.hpp).
#pragma once
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <systemc>
#include <tlm>

namespace deepchip::models {

class Interconnect : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<Interconnect> masters;
  tlm_utils::simple_initiator_socket<Interconnect> memory;

  explicit Interconnect(sc_core::sc_module_name name)
      : sc_module(name), masters("masters"), memory("memory") {
    masters.register_b_transport(this, &Interconnect::b_transport);
  }

 private:
  void b_transport(int, tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
    memory->b_transport(payload, delay);
  }
};

}  // namespace deepchip::models
