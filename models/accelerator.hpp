// The accelerator: controller, read DMA, output stage and vector unit around one systolic array, with an
// input, a weight and an output SRAM buffer and a DRAM. Layers run one after another through DRAM.
// For a conv/fc layer the controller plays the mapper's Schedule: the read DMA fetches each fold's weights
// and input chunks into free buffer slots (in order), the array streams them, the output stage accumulates
// fold results (partial sums of K-folds) and, after the last K-fold, requantizes and writes to DRAM.
#pragma once
#include <tlm_utils/simple_initiator_socket.h>

#include <map>
#include <memory>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/array/array_if.hpp"
#include "models/dram.hpp"
#include "sim/compression.hpp"
#include "sim/mapper.hpp"
#include "sim/model.hpp"
#include "sim/stats.hpp"
#include "sim/zero_macs.hpp"

namespace deepchip::models {

class Accelerator : public sc_core::sc_module, private ArrayDataPort {
 public:
  SC_HAS_PROCESS(Accelerator);
  tlm_utils::simple_initiator_socket<Accelerator> dram_port;  // bound to the DRAM's target socket
  // Standalone: the accelerator owns its DRAM and plays every layer of the network from time 0.
  // `zero_macs` (required with array_impl timing, which computes no data): each layer's MACs with a zero
  // operand, from the golden tensors (sim/zero_macs.hpp); the executing levels count them themselves.
  Accelerator(sc_core::sc_module_name name, const sim::HardwareConfig& hw, const sim::QuantModel& model,
              const std::map<std::string, sim::LayerSchedule>& schedules,
              const sim::ZeroMacCounts* zero_macs = nullptr);
  // In a system (models/soc): dram_port is bound by the owner to the shared DDR, and layers run when the
  // owner's thread calls run_layer, on the tensors it sets. The array runs ahead of SystemC time by up to
  // the TLM global quantum at construction (tlm::tlm_global_quantum; 0, its default, keeps it in step with
  // other initiators on the DDR). Standalone, the accelerator is its DRAM's only initiator and syncs once
  // per layer.
  struct InSystem {};
  Accelerator(sc_core::sc_module_name name, const sim::HardwareConfig& hw, const sim::QuantModel& model,
              const std::map<std::string, sim::LayerSchedule>& schedules, InSystem,
              const sim::ZeroMacCounts* zero_macs = nullptr);
  // Runs one layer in the calling SystemC thread; its inputs must be in the tensor store (with numerics;
  // `timing` reads no tensor and writes none).
  sim::LayerStats run_layer(const sim::Layer& layer);
  void set_tensor(const std::string& name, const sim::IntTensor& t) { tensors_[name] = t; }

  bool finished() const { return finished_; }
  const std::vector<sim::LayerStats>& layer_stats() const { return stats_; }
  const std::map<std::string, sim::IntTensor>& tensors() const { return tensors_; }

 private:
  void control();
  void run_gemm_layer(const sim::Layer& layer, sim::LayerStats& st);
  void run_vector_layer(const sim::Layer& layer, sim::LayerStats& st);
  sim::IntTensor vector_unit_output(const sim::Layer& layer) const;
  void prepare_gemm_data(const sim::Layer& layer, const sim::QuantLayer& q);
  // Issues fold's weight transfer at cycle `now`; returns the cycle its weights are in the weight buffer.
  int64_t fetch_weights(size_t fold, int64_t now);
  void decode_fold(size_t fold);
  void finish_gemm_outputs(const sim::Layer& layer, const sim::QuantLayer& q);
  // Issues a DRAM transfer at `at_cycle` (TLM-2.0 b_transport, annotated with the time ahead of SystemC's);
  // returns the cycle at which its data is complete.
  int64_t dram_transfer(tlm::tlm_command command, int64_t bytes, int64_t at_cycle);

  // ArrayDataPort
  int64_t weights_ready_cycle(size_t fold) const override { return weights_ready_[fold]; }
  int64_t inputs_ready_cycle(size_t fold, size_t chunk) const override { return inputs_ready_[fold][chunk]; }
  bool issue_transfers(int64_t now) override;
  int64_t quantum_cycles() const override { return quantum_cycles_; }
  void weights_loaded(size_t fold, int64_t now) override;
  void chunk_consumed(size_t fold, size_t chunk, int64_t now) override;
  void fold_done(size_t fold, int64_t now) override;

  const sim::HardwareConfig hw_;  // a copy; dram_ refers to it
  const bool numerics_;           // false for `timing`: no tensor is read, computed or written
  const sim::ZeroMacCounts* zero_macs_;
  const int64_t quantum_cycles_;
  const sim::QuantModel& model_;
  const std::map<std::string, sim::LayerSchedule>& schedules_;
  std::unique_ptr<ArrayIf> array_;
  std::unique_ptr<Dram> dram_;  // standalone only
  tlm::tlm_generic_payload payload_;

  // State of the layer being played.
  const sim::LayerSchedule* schedule_ = nullptr;
  sim::LayerStats* current_ = nullptr;
  std::vector<int64_t> weights_ready_;
  std::vector<std::vector<int64_t>> inputs_ready_;
  int weight_slots_free_ = 0, input_slots_free_ = 0;
  size_t dma_fold_ = 0, dma_chunk_ = 0;  // the read DMA's next transfer: fold, then its weights or a chunk
  bool dma_weights_issued_ = false;
  std::vector<sim::RowMatrix<int32_t>> group_inputs_, group_weights_;
  std::vector<sim::RowMatrix<int64_t>> group_sums_;  // M x N raw sums per group (the accumulator buffer)
  std::vector<sim::RowMatrix<int64_t>> fold_out_;
  std::vector<sim::RowMatrix<int64_t>> spare_fold_out_;  // accumulated folds' buffers, reused
  std::vector<FoldWork> work_;
  int64_t writes_done_cycle_ = 0;
  const sim::Layer* layer_ = nullptr;
  const sim::QuantLayer* quant_ = nullptr;
  sim::LayerStream stream_;                       // the layer's weight stream (encoded when Huffman is on)
  std::vector<int64_t> weight_data_complete_;     // when each fold's (compressed) weights left DRAM
  int64_t decoder_free_ = 0;                      // the Huffman decoder is busy until this cycle
  std::optional<sim::HuffmanCode> decoder_code_;  // rebuilt by the decoder from the layer's stored table

  std::map<std::string, sim::IntTensor> tensors_;
  std::vector<sim::LayerStats> stats_;
  bool finished_ = false;
};

}  // namespace deepchip::models
