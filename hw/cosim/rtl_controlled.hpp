// The datapath with its RTL tile controller (hw/rtl/ws_top.sv) as an array implementation for
// co-simulation. The wrapper only presents the buffers' valid/ready streams (weight rows, input vectors) with
// valid derived from the data-ready cycles; the RTL controller decides when loads and vectors move. Each
// cycle the wrapper compares that decision with the SystemC sequencer's and keeps the first divergence.
#pragma once
#include <memory>
#include <string>

#include "models/array/array_if.hpp"

namespace deepchip::hw {

class ControlledRtlArray : public models::ArrayIf {
 public:
  // "" while the RTL controller has decided exactly as the sequencer; else the first divergence.
  virtual std::string first_divergence() const = 0;
};

// Built for 4x4 and 8x8; nullptr for other sizes.
std::unique_ptr<ControlledRtlArray> make_controlled_rtl_array(const sim::HardwareConfig& hw);

}  // namespace deepchip::hw
