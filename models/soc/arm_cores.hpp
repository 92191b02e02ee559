// The ARM cores of the ARM+FPGA system (models/soc/soc.hpp), with the cycle model of sim/soc/arm.hpp.
#pragma once
#include <tlm_utils/simple_initiator_socket.h>

#include <map>
#include <string>
#include <systemc>
#include <tlm>

#include "sim/cost/stats.hpp"
#include "sim/cost/timeline.hpp"
#include "sim/exec/golden.hpp"
#include "sim/soc/arm.hpp"

namespace deepchip::models {

// The ARM cluster: runs layers with the golden kernels in the caller's thread, taking the model's time
// (sim/soc/arm.hpp) while reading the layer's weights from DDR through its port.
class ArmCores : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<ArmCores> port;
  ArmCores(sc_core::sc_module_name name, const sim::ArmCluster& arm, double fabric_hz,
           sim::Timeline* timeline);
  int64_t to_fabric_cycles(int64_t arm_cycles) const;
  // ARM cycles and DDR bytes of a layer (no simulation).
  int64_t layer_cycles(const sim::QuantModel& model, const sim::Layer& layer) const;
  static int64_t weight_bytes(const sim::QuantModel& model, const sim::Layer& layer);
  // Runs `layer` on `tensors` (adds its output; with golden null, the `timing` level, computes nothing);
  // returns its stats (cycles in fabric time).
  sim::LayerStats run_layer(const sim::QuantModel& model, const sim::GoldenRunner* golden,
                            const sim::Layer& layer, std::map<std::string, sim::IntTensor>& tensors);
  // A DDR transfer issued now; returns the fabric cycle it completes (does not wait).
  int64_t transfer(tlm::tlm_command command, int64_t bytes);

 private:
  sim::ArmCluster arm_;
  double fabric_hz_;
  sim::Timeline* timeline_;
  tlm::tlm_generic_payload payload_;
};

}  // namespace deepchip::models
