// Evaluates one design point: checks that it can work, elaborates the SystemC accelerator, simulates the
// network, compares every layer with the golden executor and fills the stats. One call per process
// (SystemC elaborates once per process).
#pragma once
#include <map>
#include <string>

#include "sim/energy.hpp"
#include "sim/hardware.hpp"
#include "sim/mapper.hpp"
#include "sim/model.hpp"
#include "sim/stats.hpp"
#include "sim/zero_macs.hpp"

namespace deepchip::models {

// What the golden executor gives a point: the tensors an executed point is compared with, and the zero-MAC
// counts the `timing` level takes instead of counting them on data. Both depend only on the compressed model
// and the accumulator width, so a sweep computes them once per model in the parent (explorer::WorkloadCache)
// and the workers share them copy-on-write.
struct GoldenReference {
  std::map<std::string, sim::IntTensor> tensors;
  sim::ZeroMacCounts zero_macs;
  std::map<std::string, int64_t> worst_case_sums;  // sim::worst_case_accumulators, for the overflow check
};
GoldenReference golden_reference(const sim::QuantModel& model, int accumulator_bits);

// nullptr: the reference is computed here.
sim::PointResult evaluate_point(const sim::QuantModel& model, const sim::HardwareConfig& hw,
                                const sim::EnergyTable& energy, const GoldenReference* golden = nullptr);

// The schedules of every conv/fc layer (skipping all-zero folds when the hardware skips).
std::map<std::string, sim::LayerSchedule> map_network(const sim::QuantModel& model,
                                                      const sim::HardwareConfig& hw);
sim::Precision precision_of(const sim::QuantModel& model, const sim::Layer& layer,
                            const sim::HardwareConfig& hw);

// The weight storage columns of a layer (or of the network's total) from its WeightStorage.
void fill_storage(sim::LayerStats& st, const sim::WeightStorage& ws);

// Energy of one MAC of a conv/fc layer on the array (0 for other layers).
double layer_mac_pj(const sim::QuantModel& model, const sim::Layer& layer, const sim::HardwareConfig& hw,
                    const sim::EnergyTable& energy);

// The checks alone (no simulation): empty if the point can run, else the reason. `worst_case_sums`: the
// model's sim::worst_case_accumulators when already known (else computed); `schedules`: the point's
// map_network when already made (else each layer is mapped here).
std::string infeasibility_reason(const sim::QuantModel& model, const sim::HardwareConfig& hw,
                                 const std::map<std::string, int64_t>* worst_case_sums = nullptr,
                                 const std::map<std::string, sim::LayerSchedule>* schedules = nullptr);

}  // namespace deepchip::models
