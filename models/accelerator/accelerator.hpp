// The accelerator: a SystemC top that builds and binds its units around one systolic array (as SystemC's
// TLM examples build their tops):
//
//   controller ── plays each conv/fc layer's Schedule, the array's side of the handshake
//   read DMA ──► weight decoder ──► weight buffer ─┐
//            └─────────────────────► input buffer ─┴─► array ──► output stage (output buffer)
//   vector unit: pooling, ReLU, residual add
//   read DMA, output stage, vector unit ──► interconnect ──► dram_port ──► DRAM (or the system's DDR)
//   (standalone, the accelerator's own DRAM: read DMA, output stage, vector unit ──► DRAM,
//   models/accelerator/dram_path.hpp)
//
// Layers run one after another through DRAM. For a conv/fc layer the read DMA fetches each fold's weights
// and input chunks into free buffer slots (in order), the array streams them, the output stage accumulates
// fold results (partial sums of K-folds) and, after the last K-fold, requantizes and writes to DRAM.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/accelerator/controller.hpp"
#include "models/accelerator/interconnect.hpp"
#include "models/accelerator/output_stage.hpp"
#include "models/accelerator/read_dma.hpp"
#include "models/accelerator/sram_buffer.hpp"
#include "models/accelerator/vector_unit.hpp"
#include "models/accelerator/weight_decoder.hpp"
#include "models/array/array_if.hpp"
#include "models/memory/ddr.hpp"
#include "sim/cost/stats.hpp"
#include "sim/exec/zero_macs.hpp"
#include "sim/ir/model.hpp"
#include "sim/map/mapper.hpp"

namespace deepchip::models {

class Accelerator : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Accelerator);
  tlm::tlm_initiator_socket<> dram_port;  // the interconnect's way out, bound to a DRAM target socket
  // Standalone: the accelerator owns its DRAM and plays every layer of the network from time 0. It is the
  // DRAM's only initiator, so the array runs each layer ahead of SystemC time and syncs once, and its units
  // reach the DRAM directly rather than through the sockets (models/accelerator/dram_path.hpp).
  // `zero_macs` (required with array_impl timing, which computes no data): each layer's MACs with a zero
  // operand, from the golden tensors (sim/exec/zero_macs.hpp); the executing levels count them themselves.
  // `gemm_weights` (optional): the model's lowered weights (sim::GoldenReference), else each layer's are
  // lowered when it runs. `observers` (optional): the timeline every unit records on, the array's waveforms.
  Accelerator(sc_core::sc_module_name name, const sim::HardwareConfig& hw, const sim::QuantModel& model,
              const std::map<std::string, sim::LayerSchedule>& schedules,
              const sim::ZeroMacCounts* zero_macs = nullptr, const sim::GemmWeights* gemm_weights = nullptr,
              const sim::Observers& observers = {});
  // In a system (models/soc): dram_port is bound by the owner to the shared DDR, and layers run when the
  // owner's thread calls run_layer, on the tensors it sets. The array runs ahead of SystemC time by up to
  // the TLM global quantum at construction (tlm::tlm_global_quantum; 0, its default, keeps it in step with
  // other initiators on the DDR).
  struct InSystem {};
  Accelerator(sc_core::sc_module_name name, const sim::HardwareConfig& hw, const sim::QuantModel& model,
              const std::map<std::string, sim::LayerSchedule>& schedules, InSystem,
              const sim::ZeroMacCounts* zero_macs = nullptr, const sim::GemmWeights* gemm_weights = nullptr,
              const sim::Observers& observers = {});
  // Runs one layer in the calling SystemC thread; its inputs must be in the tensor store (with numerics;
  // `timing` reads no tensor and writes none).
  sim::LayerStats run_layer(const sim::Layer& layer);
  void set_tensor(const std::string& name, const sim::IntTensor& t) { tensors_[name] = t; }

  bool finished() const { return finished_; }
  const std::vector<sim::LayerStats>& layer_stats() const { return stats_; }
  const std::map<std::string, sim::IntTensor>& tensors() const { return tensors_; }

 private:
  Accelerator(sc_core::sc_module_name name, const sim::HardwareConfig& hw, const sim::QuantModel& model,
              const std::map<std::string, sim::LayerSchedule>& schedules, const sim::ZeroMacCounts* zero_macs,
              const sim::GemmWeights* gemm_weights, const sim::Observers& observers, int64_t quantum_cycles);
  void control();

  const sim::HardwareConfig hw_;  // a copy: every unit refers to it
  const sim::Observers observers_;
  const bool numerics_;  // false for `timing`: no tensor is read, computed or written
  const sim::QuantModel& model_;
  SramBuffer input_buffer_, weight_buffer_, output_buffer_;
  WeightDecoder decoder_;
  ReadDma read_dma_;
  OutputStage output_stage_;
  VectorUnit vector_unit_;
  Interconnect interconnect_;
  std::unique_ptr<ArrayIf> array_;
  Controller controller_;
  std::unique_ptr<Ddr> dram_;  // standalone only

  std::map<std::string, sim::IntTensor> tensors_;
  std::vector<sim::LayerStats> stats_;
  bool finished_ = false;
};

}  // namespace deepchip::models
