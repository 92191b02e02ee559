#include "models/system/evaluate.hpp"

#include <tlm>

#include "models/accelerator/accelerator.hpp"
#include "models/clock.hpp"
#include "models/kernel.hpp"
#include "models/soc/soc.hpp"
#include "sim/cost/decoding_stats.hpp"
#include "sim/exec/golden.hpp"
#include "sim/map/feasibility.hpp"
#include "sim/map/mapper.hpp"
#include "sim/util/enum_names.hpp"

namespace deepchip::models {

namespace {

void fill_resources(sim::SocSummary& s, const sim::FpgaResources& used, const sim::FpgaDevice& d) {
  s.used = {used.luts, used.ffs, used.bram36, used.uram, used.dsps};
  s.available = {d.luts, d.ffs, d.bram36, d.uram, d.dsps};
}

// What the SystemC run of a point leaves: per-layer stats in network order, whether it got to the end,
// and (for a system) its run's cycles and the partitioner's prediction.
struct Simulation {
  bool finished = false;
  std::vector<sim::LayerStats> layers;
  std::optional<int64_t> run_cycles;  // a system's partitioned run; else the layers' sum
  double predicted_seconds = 0;
};

// What a finished SystemC top (Accelerator or Soc) leaves: its layers' stats, each compared with the golden
// executor's outputs when the array level computed them.
template <typename Top>
Simulation collect(const Top& top, const sim::HardwareConfig& hw, const sim::GoldenReference& golden) {
  Simulation s;
  s.finished = top.finished();
  if (!s.finished) return s;
  s.layers = top.layer_stats();
  const bool executed = sim::executes_numerics(hw.impl);
  for (auto& st : s.layers)
    st.golden_match = executed && top.tensors().at(st.name).data == golden.tensors.at(st.name).data;
  return s;
}

// The golden reference's lowered weights, or none (each layer lowers its own) when it was made without them.
const sim::GemmWeights* lowered_weights(const sim::GoldenReference& golden) {
  return golden.gemm_weights.empty() ? nullptr : &golden.gemm_weights;
}

Simulation simulate_accelerator(const sim::HardwareConfig& hw, const Workload& w,
                                const sim::GoldenReference& golden,
                                const std::map<std::string, sim::LayerSchedule>& schedules,
                                const sim::Observers& observers, double static_w) {
  Accelerator accelerator("accelerator", hw, w.model, schedules, &golden.zero_macs, lowered_weights(golden),
                          observers);
  simulate();
  Simulation s = collect(accelerator, hw, golden);
  for (auto& st : s.layers) {
    const sim::Layer& l = w.model.net.layer(st.name);
    sim::apply_energy(st, w.energy, hw, sim::layer_mac_pj(w.model, l, hw, w.energy),
                      sim::layer_vector_op_pj(w.model, l, w.energy), sim::layer_pe_bits(w.model, l, hw, st),
                      static_w);
  }
  return s;
}

// The system applies energy itself (its partitioner needs it per layer and side).
Simulation simulate_system(const sim::HardwareConfig& hw, const sim::SocConfig& soc, const Workload& w,
                           const sim::GoldenReference& golden,
                           const std::map<std::string, sim::LayerSchedule>& schedules,
                           const sim::Observers& observers) {
  // The system runs its layers one after another from one thread, so during an accelerator layer nothing
  // else reaches the DDR: an unbounded quantum (one wait per layer) is exact.
  tlm::tlm_global_quantum::instance().set(sc_core::sc_max_time());
  Soc system("soc", hw, w.model, schedules, soc, w.energy, &golden.zero_macs, lowered_weights(golden),
             observers);
  simulate();
  Simulation s = collect(system, hw, golden);
  if (!s.finished) return s;
  s.run_cycles = system.run_cycles();
  s.predicted_seconds = system.predicted_seconds();
  return s;
}

// The point's totals over its layers (and the placement summary of a system).
void total_up(sim::PointResult& result, const Simulation& s, const sim::QuantModel& model,
              const sim::HardwareConfig& hw) {
  result.golden_match = result.verified;
  result.total.name = "total";
  result.total.kind = "network";
  for (sim::LayerStats st : s.layers) {
    const sim::Layer& layer = model.net.layer(st.name);
    result.golden_match = result.golden_match && st.golden_match;
    if (layer.is_gemm()) sim::fill_storage(st, model.storage.at(layer.params()));
    if (result.soc) {
      if (st.on_arm) result.soc->arm_layers.push_back(st.name);
      result.soc->arm_cycles += st.arm_cycles;
      result.soc->fpga_cycles += st.on_arm ? 0 : st.cycles - st.transfer_cycles;
      result.soc->transfer_bytes += st.transfer_bytes;
    }
    result.total.add(st);
    result.layers.push_back(st);
  }
  if (result.soc) result.soc->predicted_seconds = s.predicted_seconds;
  result.total.golden_match = result.golden_match;
  if (s.run_cycles) result.total.cycles = *s.run_cycles;
  const double pe_cycles =
      static_cast<double>(hw.array_rows) * hw.array_cols * static_cast<double>(result.total.cycles);
  result.total.utilization = pe_cycles > 0 ? static_cast<double>(result.total.macs) / pe_cycles : 0.0;
  sim::WeightStorage network_storage;
  for (const auto& [name, ws] : model.storage) network_storage.add(ws);
  sim::fill_storage(result.total, network_storage);
  result.seconds = static_cast<double>(result.total.cycles) / hw.clock_hz;
}

// A system's resources and fit on its device; the reason when it does not fit.
std::string system_problem(sim::PointResult& result, const PointSpec& spec, const Workload& w) {
  if (!w.pe) return "no synthesized PE in configs/rtl_area.csv for this network's weight formats";
  const sim::SocConfig& soc = *spec.soc;
  const sim::FpgaDevice& device = sim::fpga_device(soc.device);
  sim::SocSummary summary;
  summary.device = soc.device;
  summary.arm = soc.arm.name;
  summary.strategy = sim::name_of(soc.strategy);
  summary.objective = sim::name_of(soc.objective);
  const bool uses_fabric = soc.strategy != sim::PartitionStrategy::kAllArm;
  if (!uses_fabric) {
    fill_resources(summary, {}, device);
    result.soc = summary;
    return "";
  }
  const sim::FpgaResources used = sim::accelerator_resources(spec.hw, *w.pe, device);
  fill_resources(summary, used, device);
  result.soc = summary;
  const std::string fit = sim::fit_problem(used, device);
  return fit.empty() ? "" : "does not fit " + device.name + ": " + fit;
}

}  // namespace

std::string infeasibility_reason(const sim::QuantModel& model, const sim::HardwareConfig& hw,
                                 const std::map<std::string, int64_t>* worst_case_sums,
                                 const std::map<std::string, sim::LayerSchedule>* schedules) {
  const std::string blocks = sim::block_alignment_problem(model.config, hw);
  if (!blocks.empty()) return blocks;
  const std::string impl = array_impl_problem(hw);
  if (!impl.empty()) return impl;
  return sim::layer_mapping_problem(model, hw, worst_case_sums, schedules);
}

sim::PointResult evaluate(const PointSpec& spec, const Workload& w, const sim::Observers& observers) {
  sim::PointResult result;
  const sim::HardwareConfig& hw = spec.hw;
  if (spec.soc) {
    result.reason = system_problem(result, spec, w);
    if (!result.reason.empty()) return result;
  }
  const std::shared_ptr<const sim::NetworkSchedules> mapped =
      w.schedules ? w.schedules->schedules(hw)
                  : std::make_shared<const sim::NetworkSchedules>(sim::map_network(w.model, hw));
  const sim::NetworkSchedules& schedules = *mapped;
  if (!spec.soc || spec.soc->strategy != sim::PartitionStrategy::kAllArm) {
    // A timing exploration is checked as the configured point, so that its reasons are the same.
    sim::HardwareConfig checked = hw;
    if (spec.explored_for) checked.impl = *spec.explored_for;
    result.reason =
        infeasibility_reason(w.model, checked, w.golden ? &w.golden->worst_case_sums : nullptr, &schedules);
    if (!result.reason.empty()) return result;
  }
  const sim::GoldenReference computed =
      w.golden ? sim::GoldenReference{} : sim::golden_reference(w.model, hw.accumulator_bits);
  const sim::GoldenReference& golden = w.golden ? *w.golden : computed;
  // A standalone accelerator's area and leakage (a system's area is its FPGA resources, its static power
  // the PS's and PL's).
  if (!spec.soc && w.energy.silicon) result.silicon = sim::estimate_silicon(w.model, hw, *w.energy.silicon);
  use_fresh_kernel();  // a process evaluates many points, one after another
  const Simulation s = spec.soc ? simulate_system(hw, *spec.soc, w, golden, schedules, observers)
                                : simulate_accelerator(hw, w, golden, schedules, observers,
                                                       result.silicon ? result.silicon->power_static_w : 0.0);
  if (!s.finished) {
    result.reason = "simulation ended before the last layer (deadlock in the memory system)";
    return result;
  }
  result.verified = sim::executes_numerics(hw.impl);
  total_up(result, s, w.model, hw);
  if (result.silicon) sim::fill_power(*result.silicon, result.total, result.seconds);
  result.decoding = sim::summarize_decoding(result.layers, w.model, hw);
  if (result.decoding) result.layers = sim::sum_decode_steps(result.layers, hw);
  result.ok = true;
  if (result.verified && !result.golden_match)
    result.reason = "SystemC outputs differ from the golden executor";
  return result;
}

}  // namespace deepchip::models
