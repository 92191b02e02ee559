#include "models/system/run_point.hpp"

#include <map>

#include "models/accelerator.hpp"
#include "sim/executor.hpp"
#include "sim/mapper.hpp"

namespace deepchip::models {

namespace {

sim::Precision precision_of(const sim::QuantModel& model, const sim::HardwareConfig& hw) {
  return {model.config.weight_bits, model.config.activation_bits, hw.accumulator_bits};
}

std::map<std::string, sim::LayerSchedule> map_network(const sim::QuantModel& model,
                                                      const sim::HardwareConfig& hw) {
  std::map<std::string, sim::LayerSchedule> schedules;
  for (const auto& l : model.net.layers)
    if (l.is_gemm()) schedules[l.name] = sim::map_layer(l, hw, precision_of(model, hw));
  return schedules;
}

}  // namespace

std::string infeasibility_reason(const sim::QuantModel& model, const sim::HardwareConfig& hw) {
  const sim::Precision p = precision_of(model, hw);
  for (const auto& l : model.net.layers) {
    if (!l.is_gemm()) continue;
    if (hw.overflow == sim::OverflowPolicy::kReject) {
      const int64_t worst = sim::worst_case_accumulator(model, l);
      const int64_t limit =
          hw.accumulator_bits >= 64 ? INT64_MAX : (int64_t{1} << (hw.accumulator_bits - 1)) - 1;
      if (worst > limit)
        return "accumulator too narrow for layer " + l.name + ": worst case |sum| " + std::to_string(worst) +
               " needs more than " + std::to_string(hw.accumulator_bits) + " bits";
    }
    const std::string why = sim::check_schedule(sim::map_layer(l, hw, p), hw, p);
    if (!why.empty()) return why;
  }
  return "";
}

sim::PointResult evaluate_point(const sim::QuantModel& model, const sim::HardwareConfig& hw,
                                const sim::EnergyTable& energy) {
  sim::PointResult result;
  result.reason = infeasibility_reason(model, hw);
  if (!result.reason.empty()) return result;

  const auto schedules = map_network(model, hw);
  Accelerator accelerator("accelerator", hw, model, schedules);
  sc_core::sc_start();
  if (!accelerator.finished()) {
    result.reason = "simulation ended before the last layer (deadlock in the memory system)";
    return result;
  }
  const auto golden = sim::run_golden(model, hw.accumulator_bits);
  result.golden_match = true;
  result.total.name = "total";
  result.total.kind = "network";
  result.total.golden_match = true;
  for (sim::LayerStats st : accelerator.layer_stats()) {
    st.golden_match = accelerator.tensors().at(st.name).data == golden.at(st.name).data;
    result.golden_match = result.golden_match && st.golden_match;
    sim::apply_energy(st, energy, hw, model.config.weight_bits, model.config.activation_bits);
    result.total.add(st);
    result.layers.push_back(st);
  }
  result.total.golden_match = result.golden_match;
  result.total.utilization =
      result.total.cycles > 0 ? static_cast<double>(result.total.macs) /
                                    (static_cast<double>(hw.array_rows) * hw.array_cols * result.total.cycles)
                              : 0.0;
  result.seconds = static_cast<double>(result.total.cycles) / hw.clock_hz;
  result.ok = true;
  if (!result.golden_match) result.reason = "SystemC outputs differ from the golden executor";
  return result;
}

}  // namespace deepchip::models
