#include "models/system/run_point.hpp"

#include <map>

#include "models/accelerator.hpp"
#include "models/clock.hpp"
#include "sim/executor.hpp"
#include "sim/mapper.hpp"

namespace deepchip::models {

namespace {

// With skipping, pruning blocks must tile the folds so that whole folds can be zero.
std::string block_alignment_problem(const sim::QuantConfig& q, const sim::HardwareConfig& hw) {
  if (hw.zero_handling != sim::ZeroHandling::kSkipping || (q.block_k == 1 && q.block_n == 1)) return "";
  auto aligned = [](int block, int array) { return array % block == 0 || block % array == 0; };
  if (aligned(q.block_k, hw.array_rows) && aligned(q.block_n, hw.array_cols)) return "";
  return "pruning block " + std::to_string(q.block_k) + "x" + std::to_string(q.block_n) +
         " does not align with the " + std::to_string(hw.array_rows) + "x" + std::to_string(hw.array_cols) +
         " array folds: with zero_handling=skipping each block side must divide or be a multiple of the "
         "array side";
}

}  // namespace

void fill_storage(sim::LayerStats& st, const sim::WeightStorage& ws) {
  st.weight_count = ws.weights;
  st.weight_bits_stored = ws.stored_bits;
  st.compression_vs_fp32 = ws.compression_vs_fp32();
  st.weight_table_bits = ws.table_bits;
  st.bits_per_weight =
      ws.weights > 0 ? static_cast<double>(ws.stored_bits) / static_cast<double>(ws.weights) : 0.0;
}

double layer_mac_pj(const sim::QuantModel& model, const sim::Layer& l, const sim::HardwareConfig& hw,
                    const sim::EnergyTable& energy) {
  if (!l.is_gemm()) return 0.0;
  const sim::QuantLayer& q = model.layers.at(l.name);
  if (q.format != sim::WeightFormat::kInt) return energy.add_pj(hw.accumulator_bits);  // no multiplier
  return energy.mac_pj(q.stored_weight_bits, model.config.activation_bits, hw.accumulator_bits);
}

sim::Precision precision_of(const sim::QuantModel& model, const sim::Layer& layer,
                            const sim::HardwareConfig& hw) {
  return {model.layers.at(layer.name).stored_weight_bits, model.config.activation_bits, hw.accumulator_bits};
}

std::map<std::string, sim::LayerSchedule> map_network(const sim::QuantModel& model,
                                                      const sim::HardwareConfig& hw) {
  std::map<std::string, sim::LayerSchedule> schedules;
  for (const auto& l : model.net.layers)
    if (l.is_gemm())
      schedules[l.name] = sim::map_layer(l, hw, precision_of(model, l, hw), &model.layers.at(l.name).weights);
  return schedules;
}

std::string infeasibility_reason(const sim::QuantModel& model, const sim::HardwareConfig& hw,
                                 const std::map<std::string, int64_t>* worst_case_sums,
                                 const std::map<std::string, sim::LayerSchedule>* schedules) {
  // Buffer checks are made on the full schedule: a skipping schedule has had its all-zero folds removed.
  const bool reuse_schedules = schedules && hw.zero_handling != sim::ZeroHandling::kSkipping;
  const std::string blocks = block_alignment_problem(model.config, hw);
  if (!blocks.empty()) return blocks;
  const std::string impl = array_impl_problem(hw);
  if (!impl.empty()) return impl;
  for (const auto& l : model.net.layers) {
    if (!l.is_gemm()) continue;
    if (hw.overflow == sim::OverflowPolicy::kReject) {
      const int64_t worst =
          worst_case_sums ? worst_case_sums->at(l.name) : sim::worst_case_accumulator(model, l);
      const int64_t limit =
          hw.accumulator_bits >= 64 ? INT64_MAX : (int64_t{1} << (hw.accumulator_bits - 1)) - 1;
      if (worst > limit)
        return "accumulator too narrow for layer " + l.name + ": worst case |sum| " + std::to_string(worst) +
               " needs more than " + std::to_string(hw.accumulator_bits) + " bits";
    }
    const sim::Precision p = precision_of(model, l, hw);
    const std::string why =
        sim::check_schedule(reuse_schedules ? schedules->at(l.name) : sim::map_layer(l, hw, p), hw, p);
    if (!why.empty()) return why;
  }
  return "";
}

GoldenReference golden_reference(const sim::QuantModel& model, int accumulator_bits) {
  GoldenReference g;
  g.tensors = sim::run_golden(model, accumulator_bits);
  g.zero_macs = sim::zero_mac_counts(model, g.tensors);
  g.worst_case_sums = sim::worst_case_accumulators(model);
  return g;
}

sim::PointResult evaluate_point(const sim::QuantModel& model, const sim::HardwareConfig& hw,
                                const sim::EnergyTable& energy, const GoldenReference* given) {
  sim::PointResult result;
  const auto schedules = map_network(model, hw);
  result.reason = infeasibility_reason(model, hw, given ? &given->worst_case_sums : nullptr, &schedules);
  if (!result.reason.empty()) return result;

  const GoldenReference computed = given ? GoldenReference{} : golden_reference(model, hw.accumulator_bits);
  const GoldenReference& golden = given ? *given : computed;
  Accelerator accelerator("accelerator", hw, model, schedules, &golden.zero_macs);
  simulate();
  if (!accelerator.finished()) {
    result.reason = "simulation ended before the last layer (deadlock in the memory system)";
    return result;
  }
  result.verified = sim::executes_numerics(hw.impl);
  result.golden_match = result.verified;
  result.total.name = "total";
  result.total.kind = "network";
  for (sim::LayerStats st : accelerator.layer_stats()) {
    const sim::Layer& layer = model.net.layer(st.name);
    st.golden_match =
        result.verified && accelerator.tensors().at(st.name).data == golden.tensors.at(st.name).data;
    result.golden_match = result.golden_match && st.golden_match;
    sim::apply_energy(st, energy, hw, layer_mac_pj(model, layer, hw, energy));
    if (layer.is_gemm()) fill_storage(st, model.storage.at(st.name));
    result.total.add(st);
    result.layers.push_back(st);
  }
  result.total.golden_match = result.golden_match;
  const double pe_cycles =
      static_cast<double>(hw.array_rows) * hw.array_cols * static_cast<double>(result.total.cycles);
  result.total.utilization = pe_cycles > 0 ? static_cast<double>(result.total.macs) / pe_cycles : 0.0;
  sim::WeightStorage network_storage;
  for (const auto& [name, ws] : model.storage) network_storage.add(ws);
  fill_storage(result.total, network_storage);
  result.seconds = static_cast<double>(result.total.cycles) / hw.clock_hz;
  result.ok = true;
  if (result.verified && !result.golden_match)
    result.reason = "SystemC outputs differ from the golden executor";
  return result;
}

}  // namespace deepchip::models
