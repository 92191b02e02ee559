// The read DMA: for each fold in order, its stationary operand (ws: its weights, through the weight decoder
// when Huffman is on; is: its input block; os: nothing), then its chunks of streamed data (ws: input
// vectors; is: filters' weights; os: both) with the partial sums a chunk brings back from DRAM, each into a
// free slot of the buffer it fills (none for an operand that stays resident).
// It runs in the controller's thread at the array's local cycle (issue) and stops at the first transfer
// that has to wait for a slot; the controller calls it again when a slot is freed.
#pragma once
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/accelerator/dram_path.hpp"
#include "models/accelerator/sram_buffer.hpp"
#include "models/accelerator/weight_decoder.hpp"
#include "models/clock.hpp"
#include "sim/compress/compression.hpp"
#include "sim/cost/observers.hpp"
#include "sim/map/mapper.hpp"

namespace deepchip::models {

class ReadDma : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<ReadDma> dram;
  DramPath& dram_path() { return dram_path_; }  // the socket's path, or a direct one

  ReadDma(sc_core::sc_module_name name, const sim::HardwareConfig& hw, sim::Timeline* timeline,
          SramBuffer& input_buffer, SramBuffer& weight_buffer, SramBuffer& output_buffer,
          WeightDecoder& decoder);

  // The layer's schedule and weight stream (both outlive the layer).
  void start_layer(const sim::LayerSchedule& schedule, const sim::LayerStream& stream,
                   const sim::QuantLayer& quant);
  // Issues at cycle `now` every transfer the free slots allow; true if it issued any.
  bool issue(int64_t now);

  // When fold f's stationary operand is in its buffer (os: from the start).
  int64_t stationary_ready_cycle(size_t fold) const { return stationary_ready_[fold]; }
  // When chunk j of fold f (and its weights, decoded) is in the buffers.
  int64_t chunk_ready_cycle(size_t fold, size_t chunk) const {
    return fold < chunk_first_.size() ? chunk_ready_[chunk_first_[fold] + chunk] : kNever;
  }
  // When fold f's (compressed) weight data had left DRAM (is/os: its first chunk's), for the decoder's
  // stall accounting.
  int64_t weight_data_complete_cycle(size_t fold) const { return weight_data_complete_[fold]; }

  // Bytes read from DRAM since the layer started, by operand.
  int64_t weight_bytes() const { return weight_bytes_; }
  int64_t input_bytes() const { return input_bytes_; }
  int64_t psum_bytes() const { return psum_bytes_; }

 private:
  void reach_fold(const sim::Fold& fold);
  bool take_stationary_slot();
  bool take_chunk_slots();
  int64_t fetch_stationary(size_t fold, int64_t now);
  int64_t fetch_weights(size_t fold, int64_t now);
  void fetch_chunk(size_t fold, size_t chunk, int64_t now);
  int64_t chunk_weight_bytes(size_t fold, size_t chunk) const;
  int64_t transfer(int64_t bytes, int64_t now, const char* what);
  void record_chunk(size_t fold, size_t chunk, int64_t now);

  const sim::HardwareConfig& hw_;
  sim::Timeline* const timeline_;  // optional: what the unit did when
  SramBuffer &input_buffer_, &weight_buffer_, &output_buffer_;
  WeightDecoder& decoder_;
  DramPath dram_path_;

  const sim::LayerSchedule* schedule_ = nullptr;
  const sim::LayerStream* stream_ = nullptr;
  const sim::QuantLayer* quant_ = nullptr;
  size_t fold_ = 0, chunk_ = 0;  // the next transfer: this fold's stationary operand, then its chunks
  bool stationary_issued_ = false;
  std::vector<int64_t> stationary_ready_, weight_data_complete_;
  std::vector<int64_t> chunk_ready_;  // the chunks of the folds reached so far, fold by fold
  std::vector<size_t> chunk_first_;   // each reached fold's first chunk in chunk_ready_
  int64_t weight_bytes_ = 0, input_bytes_ = 0, psum_bytes_ = 0;
};

}  // namespace deepchip::models
