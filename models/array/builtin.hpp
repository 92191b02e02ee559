// Factories of the array implementations built into models/ (registry.cpp maps the config's array_impl to
// them; `rtl` registers itself from hw/).
#pragma once
#include <memory>

#include "models/array/array_if.hpp"

namespace deepchip::models {

std::unique_ptr<ArrayIf> make_cycle_array(const sim::HardwareConfig& hw,
                                          const sim::Observers& observers);  // cycle.cpp
std::unique_ptr<ArrayIf> make_output_stationary_cycle_array(const sim::HardwareConfig& hw,
                                                            const sim::Observers& observers);  // cycle_os.cpp
std::unique_ptr<ArrayIf> make_tile_array(const sim::HardwareConfig& hw,
                                         const sim::Observers& observers);  // tile.cpp
std::unique_ptr<ArrayIf> make_timing_array(const sim::HardwareConfig& hw,
                                           const sim::Observers& observers);  // timing.cpp

}  // namespace deepchip::models
