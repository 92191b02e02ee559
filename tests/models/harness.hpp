// Elaborates several accelerators in one SystemC process (SystemC elaborates once per process, so a test
// builds every design point it needs before a single sc_start) and runs them side by side.
#pragma once
#include <deque>
#include <map>
#include <memory>

#include "models/accelerator/accelerator.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/exec/golden_reference.hpp"
#include "sim/io/network_io.hpp"
#include "sim/ir/synthetic.hpp"
#include "sim/map/mapper.hpp"

namespace deepchip::models::testing {

class Bench {
 public:
  // Returns the instance index; `observers`: what the instance records besides its stats.
  size_t add(const sim::HardwareConfig& hw, const sim::QuantModel& model,
             const sim::Observers& observers = {}) {
    auto inst = std::make_unique<Instance>();
    inst->hw = hw;
    inst->model = model;
    inst->schedules = sim::map_network(inst->model, inst->hw);
    // The timing level takes its zero-MAC counts from the golden tensors, as a sweep gives them.
    if (!sim::executes_numerics(hw.impl))
      inst->zero_macs = sim::golden_reference(inst->model, hw.accumulator_bits).zero_macs;
    const std::string name = "acc" + std::to_string(instances_.size());
    inst->accelerator = std::make_unique<Accelerator>(name.c_str(), inst->hw, inst->model, inst->schedules,
                                                      &inst->zero_macs, nullptr, observers);
    instances_.push_back(std::move(inst));
    return instances_.size() - 1;
  }
  void run() { sc_core::sc_start(); }
  const Accelerator& operator[](size_t i) const { return *instances_[i]->accelerator; }
  const sim::QuantModel& model(size_t i) const { return instances_[i]->model; }

 private:
  struct Instance {
    sim::HardwareConfig hw;
    sim::QuantModel model;
    std::map<std::string, sim::LayerSchedule> schedules;
    sim::ZeroMacCounts zero_macs;
    std::unique_ptr<Accelerator> accelerator;
  };
  std::deque<std::unique_ptr<Instance>> instances_;
};

// A JSON network with synthetic weights, quantized with the default settings (8-bit, per channel).
inline sim::QuantModel model_of_json(const std::string& json) {
  return sim::quantize(sim::make_synthetic_model(sim::parse_network_json(json, "test"), 1),
                       sim::QuantConfig{});
}

}  // namespace deepchip::models::testing
