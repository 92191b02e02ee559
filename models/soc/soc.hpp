// The ARM+FPGA system (README "ARM+FPGA systems"): an ARM cluster and the accelerator in the fabric share
// one DDR through AXI-like ports, all TLM-2.0 (loosely timed, b_transport with annotated delays):
//
//   ArmCores.port ---------> AxiPort "ps_port" --+
//                                                 +--> SharedDdr (one FCFS channel, multi-initiator target)
//   Accelerator.dram_port -> AxiPort "hp_port" --+
//
// SystemC time is the fabric clock (one cycle per ns, models/clock.hpp); the ARM runs in its own clock
// domain and its cycles map to fabric time by the clock ratio, rounded up to a fabric cycle.
// Layers run one after another in topological order on the side the partition gives them; an edge between
// the sides costs a handoff (ARM cycles) and one transfer of the tensor through the ARM's port and DDR.
#pragma once
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <map>
#include <memory>
#include <optional>
#include <systemc>
#include <vector>

#include "models/accelerator/accelerator.hpp"
#include "sim/arm.hpp"
#include "sim/energy.hpp"
#include "sim/executor.hpp"
#include "sim/interconnect.hpp"
#include "sim/partition.hpp"
#include "sim/soc_config.hpp"
#include "sim/timeline.hpp"

namespace deepchip::models {

// One DDR channel shared by every initiator bound to its socket.
class SharedDdr : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<SharedDdr> socket;
  // `timeline` (optional): the channel's transfers are recorded there.
  SharedDdr(sc_core::sc_module_name name, const sim::DdrChannel& channel, sim::Timeline* timeline);
  int64_t bytes(int initiator) const;  // transferred so far, by the initiator's binding index

 private:
  void b_transport(int initiator, tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
  sim::DdrChannel channel_;
  sim::Timeline* timeline_;
  std::map<int, int64_t> bytes_;
};

// An AXI-like port (sim::PortTiming) between one master and the DDR.
class AxiPort : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<AxiPort> target;
  tlm_utils::simple_initiator_socket<AxiPort> initiator;
  // `timeline` (optional): the port's transfers are recorded there on `track`.
  AxiPort(sc_core::sc_module_name name, const sim::PortTiming& timing, bool ideal, sim::Timeline* timeline,
          sim::Track track);

 private:
  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
  sim::PortTiming timing_;
  bool ideal_;
  sim::Timeline* timeline_;
  sim::Track track_;
};

// The ARM cluster: runs layers with the golden kernels in the caller's thread, taking the model's time
// (sim/arm.hpp) while reading the layer's weights from DDR through its port.
class ArmCores : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<ArmCores> port;
  ArmCores(sc_core::sc_module_name name, const sim::ArmCluster& arm, double fabric_hz,
           sim::Timeline* timeline);
  int64_t to_fabric_cycles(int64_t arm_cycles) const;
  // ARM cycles and DDR bytes of a layer (no simulation).
  int64_t layer_cycles(const sim::QuantModel& model, const sim::Layer& layer) const;
  static int64_t weight_bytes(const sim::QuantModel& model, const sim::Layer& layer);
  // Runs `layer` on `tensors` (adds its output; with golden null, the `timing` level, computes nothing);
  // returns its stats (cycles in fabric time).
  sim::LayerStats run_layer(const sim::QuantModel& model, const sim::GoldenRunner* golden,
                            const sim::Layer& layer, std::map<std::string, sim::IntTensor>& tensors);
  // A DDR transfer issued now; returns the fabric cycle it completes (does not wait).
  int64_t transfer(tlm::tlm_command command, int64_t bytes);

 private:
  sim::ArmCluster arm_;
  double fabric_hz_;
  sim::Timeline* timeline_;
  tlm::tlm_generic_payload payload_;
};

// The system around one network: decides the placement (probing the accelerator on every layer first when
// the strategy is auto), then runs the network.
class Soc : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Soc);
  Soc(sc_core::sc_module_name name, const sim::HardwareConfig& hw, const sim::QuantModel& model,
      const std::map<std::string, sim::LayerSchedule>& schedules, const sim::SocConfig& config,
      const sim::EnergyTable& energy, const sim::ZeroMacCounts* zero_macs = nullptr,
      const sim::GemmWeights* gemm_weights = nullptr);

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
  const sim::QuantModel& model_;
  sim::SocConfig config_;
  const sim::EnergyTable& energy_;
  std::optional<sim::GoldenRunner> golden_;  // the ARM's kernels; none for `timing` (no numerics)
  SharedDdr ddr_;
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
