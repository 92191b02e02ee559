// The output stage below the array: it accumulates each fold's sums into the accumulator (output) buffer
// (read-modify-write after the first K-fold), writes a fold's partial sums to DRAM when they do not stay in
// the buffer, and after the last K-fold of a column block applies bias, accumulator wrap, requantization
// and clamp (sim::finish_output) and writes the outputs to DRAM.
#pragma once
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/accelerator/dram_path.hpp"
#include "models/accelerator/sram_buffer.hpp"
#include "models/array/array_if.hpp"
#include "sim/cost/observers.hpp"
#include "sim/exec/kernels.hpp"
#include "sim/ir/model.hpp"
#include "sim/map/mapper.hpp"

namespace deepchip::models {

class OutputStage : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<OutputStage> dram;
  DramPath& dram_path() { return dram_path_; }  // the socket's path, or a direct one

  OutputStage(sc_core::sc_module_name name, const sim::HardwareConfig& hw, sim::Timeline* timeline,
              bool numerics, int activation_bits, SramBuffer& output_buffer);

  void start_layer(const sim::LayerSchedule& schedule, int groups, int64_t now);
  // Where the array adds fold f's M x nt sums: its block of the group's accumulators (null without numerics).
  FoldSums fold_sums(size_t fold);
  // Every output of fold f has left the array at cycle `now`.
  void fold_done(size_t fold, int64_t now);
  // Column blocks whose folds were all skipped still write their bias-only outputs.
  void write_bias_only(int64_t bytes, int64_t now);
  int64_t writes_done_cycle() const { return writes_done_cycle_; }
  // The layer's output tensor from the accumulators.
  sim::IntTensor finish(const sim::Layer& layer, const sim::QuantLayer& quant) const;

  // Bytes written to DRAM since the layer started.
  int64_t psum_bytes() const { return psum_bytes_; }
  int64_t output_bytes() const { return output_bytes_; }

 private:
  int64_t transfer(int64_t bytes, int64_t now);

  const sim::HardwareConfig& hw_;
  sim::Timeline* const timeline_;  // optional: what the unit did when
  const bool numerics_;
  const int activation_bits_;
  SramBuffer& output_buffer_;
  DramPath dram_path_;

  const sim::LayerSchedule* schedule_ = nullptr;
  std::vector<sim::RowMatrix<int64_t>> group_sums_;  // M x N raw sums per group (the accumulators)
  int64_t writes_done_cycle_ = 0;
  int64_t psum_bytes_ = 0, output_bytes_ = 0;
};

}  // namespace deepchip::models
