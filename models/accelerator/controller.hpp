// The controller: plays a conv/fc layer's Schedule (sim/map/mapper.hpp). It sets up the layer's data and the
// units, hands the folds to the array and is the array's side of the handshake (ArrayDataPort): the read DMA
// says when data is ready, a loaded fold frees its weight slot, a consumed chunk its input slot, a finished
// fold goes to the output stage. After the last fold it waits for the last DRAM write and reports the
// layer's counters from the units and buffers.
#pragma once
#include <map>
#include <string>
#include <systemc>
#include <vector>

#include "models/accelerator/output_stage.hpp"
#include "models/accelerator/read_dma.hpp"
#include "models/accelerator/sram_buffer.hpp"
#include "models/accelerator/weight_decoder.hpp"
#include "models/array/array_if.hpp"
#include "sim/compress/compression.hpp"
#include "sim/cost/observers.hpp"
#include "sim/cost/stats.hpp"
#include "sim/exec/zero_macs.hpp"
#include "sim/ir/model.hpp"
#include "sim/map/mapper.hpp"

namespace deepchip::models {

// The units the controller drives.
struct AcceleratorUnits {
  SramBuffer& input_buffer;
  SramBuffer& weight_buffer;
  SramBuffer& output_buffer;
  WeightDecoder& decoder;
  ReadDma& read_dma;
  OutputStage& output_stage;
  ArrayIf& array;
};

class Controller : public sc_core::sc_module, private ArrayDataPort {
 public:
  // `zero_macs`: each layer's MACs with a zero operand, required when numerics do not run (`timing`);
  // `gemm_weights`: the model's lowered weights, or null to lower each layer's here;
  // `quantum_cycles`: how far the array may run ahead of SystemC time (ArrayDataPort::quantum_cycles).
  Controller(sc_core::sc_module_name name, const sim::HardwareConfig& hw, sim::Timeline* timeline,
             bool numerics, const sim::QuantModel& model,
             const std::map<std::string, sim::LayerSchedule>& schedules, const sim::ZeroMacCounts* zero_macs,
             const sim::GemmWeights* gemm_weights, int64_t quantum_cycles, AcceleratorUnits units);

  // Runs `layer` in the calling SystemC thread on `tensors` (adds its output when numerics run).
  void run_gemm_layer(const sim::Layer& layer, std::map<std::string, sim::IntTensor>& tensors,
                      sim::LayerStats& st);

 private:
  void prepare_data(const sim::Layer& layer, const sim::QuantLayer& q,
                    const std::map<std::string, sim::IntTensor>& tensors);
  void prepare_folds(const sim::QuantLayer& q);
  void count_layer(sim::LayerStats& st, const ArrayRunStats& run) const;
  void record_array(const ArrayRunStats& run) const;

  // ArrayDataPort: which operand is stationary and which streams depends on the dataflow.
  int64_t stationary_ready_cycle(size_t fold) const override;
  int64_t stream_ready_cycle(size_t fold, size_t chunk) const override;
  bool issue_transfers(int64_t now) override { return units_.read_dma.issue(now); }
  int64_t quantum_cycles() const override { return quantum_cycles_; }
  void stationary_loaded(size_t fold, int64_t now) override;
  int64_t decoder_stall_cycles(const ArrayRunStats& run) const;
  void chunk_consumed(size_t fold, size_t chunk, int64_t now) override;
  void fold_done(size_t fold, int64_t now) override;

  const sim::HardwareConfig& hw_;
  sim::Timeline* const timeline_;  // optional: what the unit did when
  const bool numerics_;
  const sim::QuantModel& model_;
  const std::map<std::string, sim::LayerSchedule>& schedules_;
  const sim::ZeroMacCounts* zero_macs_;
  const sim::GemmWeights* gemm_weights_;
  const int64_t quantum_cycles_;
  AcceleratorUnits units_;
  sim::ZeroMacCounter zero_mac_counter_;  // counts shared weights' nonzeros once (a decoding's steps)

  // The layer being played.
  const sim::LayerSchedule* schedule_ = nullptr;
  const sim::QuantLayer* quant_ = nullptr;
  const sim::LayerStream* stream_ = nullptr;  // the layer's weight stream (encoded when Huffman is on): the
  sim::LayerStream own_stream_;               // schedule's when it has one, else coded here
  // Its functional data per group: im2col inputs (the input buffer's contents) and GEMM weights (the
  // weight buffer's; with Huffman on they start at zero and the decoder fills them fold by fold).
  // Without Huffman the weights are the model's lowered ones when given (weights_ points to them).
  std::vector<sim::RowMatrix<int32_t>> group_inputs_, group_weights_;
  const std::vector<sim::RowMatrix<int32_t>>* weights_ = nullptr;
  std::vector<FoldWork> work_;
};

}  // namespace deepchip::models
