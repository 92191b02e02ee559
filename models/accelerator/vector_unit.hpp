// The vector unit: every layer but conv and FC (pooling, ReLU, add, mul, concat, lookups, pad, slice,
// shuffle) on `array_cols` lanes. It reads a layer's inputs (and a lookup table) from
// DRAM, performs one operation per lane per cycle (a pooling window counts kernel_h * kernel_w
// operations) and writes the outputs back; it runs in the caller's SystemC thread.
#pragma once
#include <tlm_utils/simple_initiator_socket.h>

#include <map>
#include <string>
#include <systemc>
#include <tlm>

#include "models/accelerator/dram_path.hpp"
#include "sim/cost/observers.hpp"
#include "sim/cost/stats.hpp"
#include "sim/ir/model.hpp"
#include "sim/map/hardware.hpp"

namespace deepchip::models {

class VectorUnit : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<VectorUnit> dram;
  DramPath& dram_path() { return dram_path_; }  // the socket's path, or a direct one

  VectorUnit(sc_core::sc_module_name name, const sim::HardwareConfig& hw, sim::Timeline* timeline,
             bool numerics, const sim::QuantModel& model);
  // Runs `layer` on `tensors` (adds its output when numerics run) and fills its traffic and compute cycles.
  void run(const sim::Layer& layer, std::map<std::string, sim::IntTensor>& tensors, sim::LayerStats& st);

 private:
  sim::IntTensor output(const sim::Layer& layer, const std::map<std::string, sim::IntTensor>& tensors) const;
  int64_t transfer(tlm::tlm_command command, int64_t bytes);

  const sim::HardwareConfig& hw_;
  sim::Timeline* const timeline_;  // optional: what the unit did when
  const bool numerics_;
  const sim::QuantModel& model_;
  DramPath dram_path_;
};

}  // namespace deepchip::models
