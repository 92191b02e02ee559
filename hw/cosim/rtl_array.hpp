// The `rtl` array: the Verilated SystemVerilog array (hw/rtl/ws_array.sv) as a third implementation of the
// array interface. It is a C++ model clocked from the array's SystemC process rather than Verilator's --sc
// output: the shared sequencer (models/array/sequencer.hpp) already decides, event by event, what enters the
// array and when, so the wrapper only has to drive the RTL's ports for each elapsed cycle and read its
// outputs
// -- one clock edge per cycle, no SystemC signal per port (which would cost a delta cycle per port per edge).
// With observers.trace_vcd set, the array writes a VCD of its ports and registers (two dumps per cycle).
// Built sizes: DEEPCHIP_RTL_SIZES (square), accumulators up to 32 bits, activations up to 16 bits unsigned
// or 17 signed, weights up to 16 bits.
#pragma once
#include <memory>
#include <string>

#include "models/array/array_if.hpp"
#include "sim/map/hardware.hpp"

namespace deepchip::hw {

// "" if the rtl array can run this hardware, else why not.
std::string rtl_problem(const sim::HardwareConfig& hw);

// A 4x4 rtl array built with SKEW_BUG=1 (its last row's input arrives a cycle late), for the test of the
// co-simulation checker itself.
std::unique_ptr<models::ArrayIf> make_broken_rtl_array(const sim::HardwareConfig& hw,
                                                       const sim::Observers& observers);

// Forces registration of the implementation (the static registration may otherwise be dropped by the linker).
bool rtl_array_registered();

}  // namespace deepchip::hw
