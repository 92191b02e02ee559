#include "models/accelerator/read_dma.hpp"

#include <cmath>

#include "models/clock.hpp"
#include "sim/cost/timeline.hpp"

namespace deepchip::models {

ReadDma::ReadDma(sc_core::sc_module_name name, const sim::HardwareConfig& hw, sim::Timeline* timeline,
                 SramBuffer& input_buffer, SramBuffer& weight_buffer, SramBuffer& output_buffer,
                 WeightDecoder& decoder)
    : sc_module(name),
      dram("dram"),
      hw_(hw),
      timeline_(timeline),
      input_buffer_(input_buffer),
      weight_buffer_(weight_buffer),
      output_buffer_(output_buffer),
      decoder_(decoder) {}

void ReadDma::start_layer(const sim::LayerSchedule& schedule, const sim::LayerStream& stream,
                          const sim::QuantLayer& quant) {
  schedule_ = &schedule;
  stream_ = &stream;
  quant_ = &quant;
  fold_ = chunk_ = 0;
  stationary_issued_ = false;
  // os has no stationary operand: ready from the start.
  stationary_ready_.assign(schedule.folds.size(), schedule.dataflow == sim::Dataflow::kOs ? 0 : kNever);
  weight_data_complete_.assign(schedule.folds.size(), kNever);
  chunk_first_.clear();  // filled fold by fold as the DMA reaches them (reach_fold)
  chunk_first_.reserve(schedule.folds.size());
  chunk_ready_.clear();
  weight_bytes_ = input_bytes_ = psum_bytes_ = 0;
}

// The slot a fold's stationary operand fills: ws a weight slot, is an input slot (none when resident).
bool ReadDma::take_stationary_slot() {
  switch (schedule_->dataflow) {
    case sim::Dataflow::kWs:
      return weight_buffer_.take_slot();
    case sim::Dataflow::kIs:
      return schedule_->ifmap_resident || input_buffer_.take_slot();
    case sim::Dataflow::kOs:
      break;
  }
  return true;
}

// The slots a chunk fills: an input slot for streamed inputs (ws, os), a weight slot for streamed weights
// (is, os), none for a resident operand; all or nothing.
bool ReadDma::take_chunk_slots() {
  const sim::Dataflow df = schedule_->dataflow;
  const bool inputs = df != sim::Dataflow::kIs && !schedule_->ifmap_resident;
  const bool weights = df != sim::Dataflow::kWs && !schedule_->weights_resident;
  if ((inputs && !input_buffer_.has_free_slot()) || (weights && !weight_buffer_.has_free_slot()))
    return false;
  if (inputs) input_buffer_.take_slot();
  if (weights) weight_buffer_.take_slot();
  return true;
}

bool ReadDma::issue(int64_t now) {
  const sim::LayerSchedule& s = *schedule_;
  bool issued = false;
  while (fold_ < s.folds.size()) {
    if (!stationary_issued_) {
      if (!take_stationary_slot()) return issued;
      reach_fold(s.folds[fold_]);
      if (s.dataflow != sim::Dataflow::kOs) stationary_ready_[fold_] = fetch_stationary(fold_, now);
      stationary_issued_ = issued = true;
    } else if (chunk_ < s.folds[fold_].chunks.size()) {
      if (!take_chunk_slots()) return issued;
      fetch_chunk(fold_, chunk_++, now);
      issued = true;
    } else {
      ++fold_;
      chunk_ = 0;
      stationary_issued_ = false;
    }
  }
  return issued;
}

// The DMA starts on the next fold: its chunks get their places in chunk_ready_, none ready yet. (Done here
// rather than for every fold at the layer's start, which walked the whole fold list once more.)
void ReadDma::reach_fold(const sim::Fold& fold) {
  chunk_first_.push_back(chunk_ready_.size());
  chunk_ready_.insert(chunk_ready_.end(), fold.chunks.size(), kNever);
}

// ws: the fold's weights; is: its input block.
int64_t ReadDma::fetch_stationary(size_t f, int64_t now) {
  if (schedule_->dataflow == sim::Dataflow::kWs) return fetch_weights(f, now);
  const int64_t bytes = schedule_->folds[f].input_block_dram_bytes;
  const int64_t ready = transfer(bytes, now, "inputs");
  if (timeline_ && bytes > 0)
    timeline_->slice(sim::Track::kDmaInputs, "fold " + std::to_string(f) + " inputs", now, ready,
                     {{"fold", static_cast<int64_t>(f)}, {"bytes", bytes}});
  input_bytes_ += bytes;
  input_buffer_.write(input_buffer_.words(bytes * 8, 1));
  return ready;
}

int64_t ReadDma::transfer(int64_t bytes, int64_t now, const char* what) {
  return dram_path_.transfer(dram, tlm::TLM_READ_COMMAND, bytes, now, what);
}

// Returns the cycle fold f's weights are in the weight buffer: when the data is complete, or with Huffman
// on, when the decoder has turned the segment into weights.
int64_t ReadDma::fetch_weights(size_t f, int64_t now) {
  const sim::Fold& fold = schedule_->folds[f];
  const int64_t bytes = stream_->folds[f].dram_bytes;
  const int64_t complete = transfer(bytes, now, "weights");
  weight_data_complete_[f] = complete;
  if (timeline_)
    timeline_->slice(sim::Track::kDmaWeights, "fold " + std::to_string(f) + " weights", now, complete,
                     {{"fold", static_cast<int64_t>(f)}, {"bytes", bytes}});
  weight_bytes_ += bytes;
  weight_buffer_.write(weight_buffer_.words(fold.kt * fold.nt, quant_->stored_weight_bits));
  if (!stream_->code) return complete;
  const int64_t transfer_cycles =
      hw_.memory == sim::MemoryModel::kIdeal
          ? 0
          : static_cast<int64_t>(std::ceil(static_cast<double>(bytes) / hw_.dram_bandwidth_bytes_per_cycle));
  return decoder_.decode(fold, f, complete - transfer_cycles, complete);
}

// The streamed bytes of a chunk's weights (is/os): its share of the fold's (encoded) segment.
int64_t ReadDma::chunk_weight_bytes(size_t f, size_t j) const {
  const sim::Fold& fold = schedule_->folds[f];
  const sim::Chunk& c = fold.chunks[j];
  const int64_t total = stream_->folds[f].dram_bytes;
  return total * (c.m0 + c.count) / fold.vectors - total * c.m0 / fold.vectors;
}

// A chunk's streamed data: ws its input vectors, is its filters' weights, os both, with the partial sums
// of earlier K-folds it continues, which go to the output (accumulator) buffer. is/os weights pass the
// decoder when Huffman is on.
void ReadDma::fetch_chunk(size_t f, size_t j, int64_t now) {
  const sim::Fold& fold = schedule_->folds[f];
  const sim::Chunk& c = fold.chunks[j];
  const int64_t weight_bytes = schedule_->dataflow == sim::Dataflow::kWs ? 0 : chunk_weight_bytes(f, j);
  const int64_t complete =
      transfer(c.input_dram_bytes + weight_bytes + c.psum_dram_bytes, now,
               weight_bytes > 0 ? "streamed weights, inputs and partial sums" : "inputs and partial sums");
  chunk_ready_[chunk_first_[f] + j] = complete;
  if (timeline_) record_chunk(f, j, now);
  input_bytes_ += c.input_dram_bytes;
  psum_bytes_ += c.psum_dram_bytes;
  input_buffer_.write(input_buffer_.words(c.input_dram_bytes * 8, 1));
  output_buffer_.write(output_buffer_.words(c.psum_dram_bytes * 8, 1));
  if (schedule_->dataflow == sim::Dataflow::kWs || fold.weights_cached) return;
  weight_bytes_ += weight_bytes;
  weight_buffer_.write(weight_buffer_.words(c.weight_elements, quant_->stored_weight_bits));
  if (j == 0) weight_data_complete_[f] = complete;
  if (!stream_->code) return;
  const int64_t symbols = stream_->folds[f].symbols;
  const int64_t part = symbols * (c.m0 + c.count) / fold.vectors - symbols * c.m0 / fold.vectors;
  const int64_t transfer_cycles = hw_.memory == sim::MemoryModel::kIdeal
                                      ? 0
                                      : static_cast<int64_t>(std::ceil(static_cast<double>(weight_bytes) /
                                                                       hw_.dram_bandwidth_bytes_per_cycle));
  chunk_ready_[chunk_first_[f] + j] =
      decoder_.decode_part(fold, f, part, j == 0, complete - transfer_cycles, complete);
}

// The chunk's transfer on the input track and, when it brings partial sums back, on the partial-sum track.
void ReadDma::record_chunk(size_t f, size_t j, int64_t now) {
  const sim::Chunk& c = schedule_->folds[f].chunks[j];
  const std::string name = "fold " + std::to_string(f) + " chunk " + std::to_string(j);
  const std::vector<std::pair<const char*, int64_t>> where = {{"fold", static_cast<int64_t>(f)},
                                                              {"chunk", static_cast<int64_t>(j)}};
  auto with_bytes = [&](int64_t bytes) {
    auto args = where;
    args.emplace_back("bytes", bytes);
    return args;
  };
  if (c.input_dram_bytes > 0)
    timeline_->slice(sim::Track::kDmaInputs, name + " inputs", now, chunk_ready_[chunk_first_[f] + j],
                     with_bytes(c.input_dram_bytes));
  if (schedule_->dataflow != sim::Dataflow::kWs && !schedule_->folds[f].weights_cached)
    timeline_->slice(sim::Track::kDmaWeights, name + " weights", now, chunk_ready_[chunk_first_[f] + j],
                     with_bytes(chunk_weight_bytes(f, j)));
  if (c.psum_dram_bytes > 0)
    timeline_->slice(sim::Track::kDmaPsums, name + " partial sums", now, chunk_ready_[chunk_first_[f] + j],
                     with_bytes(c.psum_dram_bytes));
}

}  // namespace deepchip::models
