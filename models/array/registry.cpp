// The array implementations by the config's array_impl: the built-in ones, and those registered from
// outside models/ (the Verilated RTL in hw/).
#include <map>
#include <stdexcept>

#include "models/array/array_if.hpp"
#include "models/array/builtin.hpp"

namespace deepchip::models {

namespace {

struct Registered {
  ArrayFactory make = nullptr;
  ArrayProblem problem = nullptr;
};

std::string no_problem(const sim::HardwareConfig&) { return ""; }

std::map<sim::ArrayImpl, Registered>& registry() {
  static std::map<sim::ArrayImpl, Registered> r = {
      {sim::ArrayImpl::kCycle, {&make_cycle_array, &no_problem}},
      {sim::ArrayImpl::kTile, {&make_tile_array, &no_problem}},
      {sim::ArrayImpl::kTiming, {&make_timing_array, &no_problem}},
  };
  return r;
}

}  // namespace

bool register_array_impl(sim::ArrayImpl impl, ArrayFactory make, ArrayProblem problem) {
  registry()[impl] = {make, problem};
  return true;
}

std::string array_impl_problem(const sim::HardwareConfig& hw) {
  const auto it = registry().find(hw.impl);
  if (it == registry().end()) return "array implementation not built into this binary";
  return it->second.problem(hw);
}

std::unique_ptr<ArrayIf> make_array(const sim::HardwareConfig& hw, const sim::Observers& observers) {
  const auto it = registry().find(hw.impl);
  if (it == registry().end()) throw std::logic_error("array implementation not registered");
  return it->second.make(hw, observers);
}

}  // namespace deepchip::models
