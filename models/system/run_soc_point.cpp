#include "models/system/run_soc_point.hpp"

#include "models/clock.hpp"
#include "models/system/run_point.hpp"
#include "sim/executor.hpp"

namespace deepchip::models {

namespace {

void fill_resources(sim::SocSummary& s, const sim::FpgaResources& used, const sim::FpgaDevice& d) {
  s.luts = used.luts, s.ffs = used.ffs, s.bram36 = used.bram36, s.uram = used.uram, s.dsps = used.dsps;
  s.luts_available = d.luts, s.ffs_available = d.ffs, s.bram36_available = d.bram36;
  s.uram_available = d.uram, s.dsps_available = d.dsps;
}

const char* strategy_name(PartitionStrategy s) {
  switch (s) {
    case PartitionStrategy::kAllFpga:
      return "all_fpga";
    case PartitionStrategy::kAllArm:
      return "all_arm";
    case PartitionStrategy::kFixed:
      return "fixed";
    case PartitionStrategy::kAuto:
      return "auto";
  }
  return "?";
}

const char* objective_name(sim::PartitionObjective o) {
  return o == sim::PartitionObjective::kLatency ? "latency"
                                                : (o == sim::PartitionObjective::kEnergy ? "energy" : "edp");
}

}  // namespace

sim::PointResult evaluate_soc_point(const sim::QuantModel& model, const sim::HardwareConfig& hw,
                                    const sim::EnergyTable& energy, const SocConfig& soc,
                                    const sim::PeResources& pe, const GoldenReference* given) {
  sim::PointResult result;
  const sim::FpgaDevice& device = sim::fpga_device(soc.device);
  sim::SocSummary summary;
  summary.device = soc.device;
  summary.arm = soc.arm.name;
  summary.strategy = strategy_name(soc.strategy);
  summary.objective = objective_name(soc.objective);
  const bool uses_fabric = soc.strategy != PartitionStrategy::kAllArm;
  if (uses_fabric) {
    const sim::FpgaResources used = sim::accelerator_resources(hw, pe, device);
    fill_resources(summary, used, device);
    result.soc = summary;
    const std::string fit = sim::fit_problem(used, device);
    if (!fit.empty()) {
      result.reason = "does not fit " + device.name + ": " + fit;
      return result;
    }
    result.reason = infeasibility_reason(model, hw, given ? &given->worst_case_sums : nullptr);
    if (!result.reason.empty()) return result;
  } else {
    fill_resources(summary, {}, device);
  }

  const GoldenReference computed = given ? GoldenReference{} : golden_reference(model, hw.accumulator_bits);
  const GoldenReference& golden = given ? *given : computed;
  const auto schedules = map_network(model, hw);
  Soc system("soc", hw, model, schedules, soc, energy, &golden.zero_macs);
  simulate();
  if (!system.finished()) {
    result.reason = "simulation ended before the last layer (deadlock in the memory system)";
    return result;
  }
  result.verified = sim::executes_numerics(hw.impl);
  result.golden_match = result.verified;
  result.total.name = "total";
  result.total.kind = "network";
  for (size_t i = 0; i < system.layer_stats().size(); ++i) {
    sim::LayerStats st = system.layer_stats()[i];
    const sim::Layer& layer = model.net.layers[i];
    st.golden_match = result.verified && system.tensors().at(st.name).data == golden.tensors.at(st.name).data;
    result.golden_match = result.golden_match && st.golden_match;
    if (layer.is_gemm()) fill_storage(st, model.storage.at(st.name));
    if (st.on_arm) summary.arm_layers.push_back(st.name);
    summary.arm_cycles += st.arm_cycles;
    summary.fpga_cycles += st.on_arm ? 0 : st.cycles - st.transfer_cycles;
    summary.transfer_bytes += st.transfer_bytes;
    result.total.add(st);
    result.layers.push_back(st);
  }
  summary.predicted_seconds = system.predicted_seconds();
  result.total.golden_match = result.golden_match;
  result.total.cycles = system.run_cycles();
  const double pe_cycles =
      static_cast<double>(hw.array_rows) * hw.array_cols * static_cast<double>(result.total.cycles);
  result.total.utilization = pe_cycles > 0 ? static_cast<double>(result.total.macs) / pe_cycles : 0.0;
  sim::WeightStorage network_storage;
  for (const auto& [name, ws] : model.storage) network_storage.add(ws);
  fill_storage(result.total, network_storage);
  result.seconds = static_cast<double>(result.total.cycles) / hw.clock_hz;
  result.soc = summary;
  result.ok = true;
  if (result.verified && !result.golden_match)
    result.reason = "SystemC outputs differ from the golden executor";
  return result;
}

}  // namespace deepchip::models
