#include "models/soc/soc.hpp"

#include <algorithm>
#include <cmath>

#include "models/clock.hpp"
#include "models/timed_transfer.hpp"
#include "sim/map/mapper.hpp"

namespace deepchip::models {

Soc::Soc(sc_core::sc_module_name name, const sim::HardwareConfig& hw, const sim::QuantModel& model,
         const std::map<std::string, sim::LayerSchedule>& schedules, const sim::SocConfig& config,
         const sim::EnergyTable& energy, const sim::ZeroMacCounts* zero_macs,
         const sim::GemmWeights* gemm_weights, const sim::Observers& observers)
    : sc_module(name),
      hw_(hw),
      timeline_(observers.timeline),
      model_(model),
      config_(config),
      energy_(energy),
      ddr_("ddr", config.ddr, observers.timeline),
      hp_port_("hp_port", config.pl_port, config.ddr.ideal, observers.timeline, sim::Track::kHpPort),
      ps_port_("ps_port", config.arm_port, config.ddr.ideal, observers.timeline, sim::Track::kPsPort),
      accelerator_("accelerator", hw, model, schedules, Accelerator::InSystem{}, zero_macs, gemm_weights,
                   observers),
      arm_("arm", config.arm, hw.clock_hz, observers.timeline) {
  if (sim::executes_numerics(hw.impl)) golden_.emplace(model, hw.accumulator_bits);
  accelerator_.dram_port.bind(hp_port_.target);
  hp_port_.initiator.bind(ddr_.socket);
  arm_.port.bind(ps_port_.target);
  ps_port_.initiator.bind(ddr_.socket);
  SC_THREAD(run);
  set_stack_size(kKernelThreadStackBytes);
}

int64_t Soc::tensor_bytes(const std::string& tensor) const {
  return sim::packed_bytes(model_.net.tensor_shape(tensor).elements(), model_.config.activation_bits);
}

void Soc::add_static_energy(sim::LayerStats& st) const {
  const auto& soc = *energy_.soc;
  const double watts = soc.ps_static_w.at(config_.arm.name) + soc.pl_static_w.at(config_.device);
  st.energy_static_pj = watts * static_cast<double>(st.cycles) / hw_.clock_hz * 1e12;
  st.energy_total_pj += st.energy_static_pj;
}

double Soc::arm_dynamic_pj(const sim::Layer& l) const {
  const auto& soc = *energy_.soc;
  if (!l.on_array())
    return static_cast<double>(sim::vector_ops(l)) * soc.arm_pj_per_vector_op.at(config_.arm.name);
  const char* precision = sim::to_string(sim::arm_precision_of(model_.layers.at(l.params())));
  return static_cast<double>(sim::layer_macs(l)) * soc.arm_pj_per_mac.at(config_.arm.name).at(precision);
}

// A handoff and one transfer of `bytes` through the ARM's port, into an idle DDR.
sim::Cost Soc::transfer_cost(int64_t bytes) const {
  sim::LayerStats st;
  st.cycles = arm_.to_fabric_cycles(config_.handoff_arm_cycles) +
              sim::isolated_transfer_cycles(config_.arm_port, config_.ddr, bytes);
  st.energy_total_pj = static_cast<double>(bytes) * 8 * energy_.dram_pj_per_bit;
  add_static_energy(st);
  return {static_cast<double>(st.cycles) / hw_.clock_hz, st.energy_total_pj};
}

// Every layer on the accelerator, one after another, as in the partitioned run (the probe of `auto`).
std::vector<sim::LayerStats> Soc::probe_fpga() {
  std::vector<sim::LayerStats> stats;
  if (golden_)
    for (const auto& [name, t] : model_.inputs) accelerator_.set_tensor(name, t);
  for (const auto& l : model_.net.layers) {
    sim::LayerStats st = accelerator_.run_layer(l);
    sim::apply_energy(st, energy_, hw_, sim::layer_mac_pj(model_, l, hw_, energy_),
                      sim::layer_vector_op_pj(model_, l, energy_), sim::layer_pe_bits(model_, l, hw_, st));
    add_static_energy(st);
    stats.push_back(st);
  }
  return stats;
}

sim::PartitionProblem Soc::cost_model(const std::vector<sim::LayerStats>& fpga) const {
  sim::PartitionProblem p;
  p.net = &model_.net;
  for (size_t i = 0; i < model_.net.layers.size(); ++i) {
    const sim::Layer& l = model_.net.layers[i];
    sim::LayerStats arm;
    const int64_t weights = ArmCores::weight_bytes(model_, l);
    arm.cycles = std::max(arm_.to_fabric_cycles(arm_.layer_cycles(model_, l)),
                          sim::isolated_transfer_cycles(config_.arm_port, config_.ddr, weights));
    arm.energy_total_pj = arm_dynamic_pj(l) + static_cast<double>(weights) * 8 * energy_.dram_pj_per_bit;
    add_static_energy(arm);
    p.layer.push_back({sim::Cost{static_cast<double>(fpga[i].cycles) / hw_.clock_hz, fpga[i].energy_total_pj},
                       sim::Cost{static_cast<double>(arm.cycles) / hw_.clock_hz, arm.energy_total_pj}});
  }
  for (const auto& in : model_.net.inputs) {
    const sim::Cost c = transfer_cost(tensor_bytes(in.name));
    p.transfer[in.name] = {c, c};
  }
  for (const auto& l : model_.net.layers) {
    const sim::Cost c = transfer_cost(tensor_bytes(l.name));
    p.transfer[l.name] = {c, c};
  }
  return p;
}

void Soc::run() {
  const size_t n = model_.net.layers.size();
  switch (config_.strategy) {
    case sim::PartitionStrategy::kAllFpga:
      sides_.assign(n, sim::Side::kFpga);
      break;
    case sim::PartitionStrategy::kAllArm:
      sides_.assign(n, sim::Side::kArm);
      break;
    case sim::PartitionStrategy::kFixed:
      for (const auto& l : model_.net.layers)
        sides_.push_back(std::count(config_.arm_layers.begin(), config_.arm_layers.end(), l.name) > 0
                             ? sim::Side::kArm
                             : sim::Side::kFpga);
      break;
    case sim::PartitionStrategy::kAuto: {
      const sim::Partition best = sim::optimal_partition(cost_model(probe_fpga()), config_.objective);
      sides_ = best.side;
      predicted_seconds_ = best.total.seconds;
      break;
    }
  }
  tensors_ = model_.inputs;
  std::map<std::string, sim::Side> where;  // network inputs live in DDR (the FPGA side)
  const int64_t start = now_cycles();
  if (timeline_) timeline_->restart_at(start);  // the auto probe is not part of the run
  for (size_t i = 0; i < n; ++i) {
    const sim::Layer& l = model_.net.layers[i];
    const sim::Side side = sides_[i];
    const int64_t transfers_start = now_cycles();
    int64_t moved = 0;
    for (const auto& t : l.inputs) {
      const auto it = where.find(t);
      if ((it == where.end() ? sim::Side::kFpga : it->second) == side) continue;
      // ARM -> FPGA: the cores write the tensor back to DDR; FPGA -> ARM: they read it from DDR.
      const int64_t handoff_start = now_cycles();
      sc_core::wait(cycles_to_time(arm_.to_fabric_cycles(config_.handoff_arm_cycles)));
      wait_until(arm_.transfer(side == sim::Side::kArm ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND,
                               tensor_bytes(t)));
      if (timeline_)
        timeline_->slice(sim::Track::kHandoff, t + (side == sim::Side::kArm ? " to ARM" : " to FPGA"),
                         handoff_start, now_cycles(), {{"bytes", tensor_bytes(t)}});
      moved += tensor_bytes(t);
    }
    const int64_t transfer_cycles = now_cycles() - transfers_start;
    sim::LayerStats st;
    if (side == sim::Side::kFpga) {
      if (golden_)
        for (const auto& t : l.inputs) accelerator_.set_tensor(t, tensors_.at(t));
      st = accelerator_.run_layer(l);
      if (golden_) tensors_[l.name] = accelerator_.tensors().at(l.name);
      sim::apply_energy(st, energy_, hw_, sim::layer_mac_pj(model_, l, hw_, energy_),
                        sim::layer_vector_op_pj(model_, l, energy_), sim::layer_pe_bits(model_, l, hw_, st));
    } else {
      const int64_t layer_start = now_cycles();
      st = arm_.run_layer(model_, golden_ ? &*golden_ : nullptr, l, tensors_);
      if (timeline_)
        timeline_->slice(sim::Track::kLayers, l.name + " (ARM)", layer_start, now_cycles(),
                         {{"arm_cycles", st.arm_cycles}});
      st.energy_arm_pj = arm_dynamic_pj(l);
      st.energy_dram_pj = static_cast<double>(st.dram_weight_read_bytes) * 8 * energy_.dram_pj_per_bit;
      st.energy_total_pj = st.energy_arm_pj + st.energy_dram_pj;
    }
    st.transfer_bytes = moved;
    st.transfer_cycles = transfer_cycles;
    st.cycles += transfer_cycles;
    const double transfer_pj = static_cast<double>(moved) * 8 * energy_.dram_pj_per_bit;
    st.energy_dram_pj += transfer_pj;
    st.energy_total_pj += transfer_pj;
    add_static_energy(st);
    where[l.name] = side;
    stats_.push_back(st);
  }
  run_cycles_ = now_cycles() - start;
  finished_ = true;
}

}  // namespace deepchip::models
