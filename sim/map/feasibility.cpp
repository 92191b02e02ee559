#include "sim/map/feasibility.hpp"

#include "sim/exec/golden.hpp"

namespace deepchip::sim {

std::string block_alignment_problem(const QuantConfig& q, const HardwareConfig& hw) {
  if (hw.zero_handling != ZeroHandling::kSkipping || (q.block_k == 1 && q.block_n == 1)) return "";
  auto aligned = [](int block, int array) { return array % block == 0 || block % array == 0; };
  if (aligned(q.block_k, hw.array_rows) && aligned(q.block_n, hw.array_cols)) return "";
  return "pruning block " + std::to_string(q.block_k) + "x" + std::to_string(q.block_n) +
         " does not align with the " + std::to_string(hw.array_rows) + "x" + std::to_string(hw.array_cols) +
         " array folds: with zero_handling=skipping each block side must divide or be a multiple of the "
         "array side";
}

std::string layer_mapping_problem(const QuantModel& model, const HardwareConfig& hw,
                                  const std::map<std::string, int64_t>* worst_case_sums,
                                  const std::map<std::string, LayerSchedule>* schedules) {
  // Buffer checks are made on the full schedule: a skipping schedule has had its all-zero folds removed.
  const bool reuse_schedules = schedules && hw.zero_handling != ZeroHandling::kSkipping;
  for (const auto& l : model.net.layers) {
    if (!l.on_array()) continue;
    if (hw.overflow == OverflowPolicy::kReject) {
      const int64_t worst = worst_case_sums ? worst_case_sums->at(l.name) : worst_case_accumulator(model, l);
      const std::string narrow = accumulator_problem(l, worst, hw.accumulator_bits);
      if (!narrow.empty()) return narrow;
    }
    const Precision p = precision_of(model, l, hw);
    // The point's own schedule when it has one (referenced, not copied: a small array's has 10^5 folds).
    const std::string why = reuse_schedules ? check_schedule(schedules->at(l.name), hw, p)
                                            : check_schedule(map_layer(l, hw, p), hw, p);
    if (!why.empty()) return why;
  }
  return "";
}

}  // namespace deepchip::sim
