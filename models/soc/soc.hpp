// The ARM+FPGA system (models/README.md "ARM+FPGA systems"): an ARM cluster and the accelerator in the fabric
// share one DDR through AXI-like ports, all TLM-2.0 (loosely timed, b_transport with annotated delays):
//
//   ArmCores.port ---------> AxiPort "ps_port" --+
//                                                 +--> Ddr (models/memory/ddr.hpp: one FCFS channel)
//   Accelerator.dram_port -> AxiPort "hp_port" --+
//
// SystemC time is the fabric clock (one cycle per ns, models/clock.hpp); the ARM runs in its own clock
// domain and its cycles map to fabric time by the clock ratio, rounded up to a fabric cycle.
// Layers run one after another in topological order on the side the partition gives them; an edge between
// the sides costs a handoff (ARM cycles) and one transfer of the tensor through the ARM's port and DDR.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <systemc>
#include <vector>

#include "models/accelerator/accelerator.hpp"
#include "models/memory/ddr.hpp"
#include "models/soc/arm_cores.hpp"
#include "models/soc/axi_port.hpp"
#include "sim/cost/energy.hpp"
#include "sim/cost/timeline.hpp"
#include "sim/exec/golden.hpp"
#include "sim/soc/arm.hpp"
#include "sim/soc/ddr_timing.hpp"
#include "sim/soc/partition.hpp"
#include "sim/soc/soc_config.hpp"

namespace deepchip::models {

// The system around one network: decides the placement (probing the accelerator on every layer first when
// the strategy is auto), then runs the network.
class Soc : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Soc);
  Soc(sc_core::sc_module_name name, const sim::HardwareConfig& hw, const sim::QuantModel& model,
      const std::map<std::string, sim::LayerSchedule>& schedules, const sim::SocConfig& config,
      const sim::EnergyTable& energy, const sim::ZeroMacCounts* zero_macs = nullptr,
      const sim::GemmWeights* gemm_weights = nullptr, const sim::Observers& observers = {});

  bool finished() const { return finished_; }
  const std::vector<sim::LayerStats>& layer_stats() const { return stats_; }
  const std::map<std::string, sim::IntTensor>& tensors() const { return tensors_; }
  const std::vector<sim::Side>& placement() const { return sides_; }
  double predicted_seconds() const { return predicted_seconds_; }
  int64_t run_cycles() const { return run_cycles_; }  // fabric cycles of the partitioned run

  ArmCores& arm() { return arm_; }
  Accelerator& accelerator() { return accelerator_; }

 private:
  void run();
  std::vector<sim::LayerStats> probe_fpga();
  sim::PartitionProblem cost_model(const std::vector<sim::LayerStats>& fpga) const;
  int64_t tensor_bytes(const std::string& tensor) const;
  sim::Cost transfer_cost(int64_t bytes) const;
  void add_static_energy(sim::LayerStats& st) const;
  double arm_dynamic_pj(const sim::Layer& layer) const;

  const sim::HardwareConfig& hw_;
  sim::Timeline* const timeline_;  // optional: what the system did when
  const sim::QuantModel& model_;
  sim::SocConfig config_;
  const sim::EnergyTable& energy_;
  std::optional<sim::GoldenRunner> golden_;  // the ARM's kernels; none for `timing` (no numerics)
  Ddr ddr_;
  AxiPort hp_port_, ps_port_;
  Accelerator accelerator_;
  ArmCores arm_;

  std::vector<sim::Side> sides_;
  std::vector<sim::LayerStats> stats_;
  std::map<std::string, sim::IntTensor> tensors_;
  double predicted_seconds_ = 0;
  int64_t run_cycles_ = 0;
  bool finished_ = false;
};

}  // namespace deepchip::models
