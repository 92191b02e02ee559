// Whether a point's network can be mapped onto its array, checked without simulating: pruning blocks against
// the array's folds (zero_handling skipping), accumulator widths against each layer's worst-case sums
// (accumulator_overflow reject) and every layer's schedule against the buffers. The models add their array
// implementation's own check (models::infeasibility_reason). Each returns "" when the point can run, else the
// reason (a point's `reason` in results.csv).
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "sim/ir/model.hpp"
#include "sim/map/hardware.hpp"
#include "sim/map/mapper.hpp"

namespace deepchip::sim {

// With skipping, pruning blocks must tile the folds so that whole folds can be zero.
std::string block_alignment_problem(const QuantConfig& q, const HardwareConfig& hw);

// The first array layer whose accumulators are too narrow or whose schedule does not fit.
// `worst_case_sums`: sim::worst_case_accumulators when known (else computed); `schedules`: the point's
// sim::map_network when made (else each layer is mapped here).
std::string layer_mapping_problem(const QuantModel& model, const HardwareConfig& hw,
                                  const std::map<std::string, int64_t>* worst_case_sums = nullptr,
                                  const std::map<std::string, LayerSchedule>* schedules = nullptr);

}  // namespace deepchip::sim
