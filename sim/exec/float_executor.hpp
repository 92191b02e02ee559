// The float reference executor: a float model run layer by layer, every tensor kept by name.
#pragma once
#include <map>
#include <memory>
#include <string>

#include "sim/exec/weight_keeping.hpp"
#include "sim/ir/model.hpp"

namespace deepchip::sim {

// Runs the float model; returns every tensor (network inputs and layer outputs) by name.
std::map<std::string, FloatTensor> run_float(const FloatModel& model);
// The same on other inputs than the model's own (no copy of the model).
std::map<std::string, FloatTensor> run_float(const FloatModel& model,
                                             const std::map<std::string, FloatTensor>& inputs);

class FloatRunner {
 public:
  explicit FloatRunner(const FloatModel& model, WeightKeeping keeping = WeightKeeping::kKept);
  ~FloatRunner();
  std::map<std::string, FloatTensor> run(const std::map<std::string, FloatTensor>& inputs) const;

 private:
  struct Weights;
  const FloatModel& model_;
  std::unique_ptr<const Weights> weights_;
};

}  // namespace deepchip::sim
