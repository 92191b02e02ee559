#include "models/accelerator/read_dma.hpp"

#include <cmath>

#include "models/clock.hpp"
#include "models/timed_transfer.hpp"
#include "sim/timeline.hpp"

namespace deepchip::models {

ReadDma::ReadDma(sc_core::sc_module_name name, const sim::HardwareConfig& hw, SramBuffer& input_buffer,
                 SramBuffer& weight_buffer, SramBuffer& output_buffer, WeightDecoder& decoder)
    : sc_module(name),
      dram("dram"),
      hw_(hw),
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
  weights_issued_ = false;
  weights_ready_.assign(schedule.folds.size(), kNever);
  weight_data_complete_.assign(schedule.folds.size(), kNever);
  inputs_ready_.clear();
  for (const auto& fold : schedule.folds) inputs_ready_.emplace_back(fold.chunks.size(), kNever);
  weight_bytes_ = input_bytes_ = psum_bytes_ = 0;
}

bool ReadDma::issue(int64_t now) {
  const sim::LayerSchedule& s = *schedule_;
  bool issued = false;
  while (fold_ < s.folds.size()) {
    if (!weights_issued_) {
      if (!weight_buffer_.take_slot()) return issued;
      weights_ready_[fold_] = fetch_weights(fold_, now);
      weights_issued_ = issued = true;
    } else if (chunk_ < s.folds[fold_].chunks.size()) {
      if (!s.ifmap_resident && !input_buffer_.take_slot()) return issued;
      fetch_chunk(fold_, chunk_++, now);
      issued = true;
    } else {
      ++fold_;
      chunk_ = 0;
      weights_issued_ = false;
    }
  }
  return issued;
}

int64_t ReadDma::transfer(int64_t bytes, int64_t now, const char* what) {
  return timed_transfer(dram, payload_, tlm::TLM_READ_COMMAND, bytes, now, what);
}

// Returns the cycle fold f's weights are in the weight buffer: when the data is complete, or with Huffman
// on, when the decoder has turned the segment into weights.
int64_t ReadDma::fetch_weights(size_t f, int64_t now) {
  const sim::Fold& fold = schedule_->folds[f];
  const int64_t bytes = stream_->folds[f].dram_bytes;
  const int64_t complete = transfer(bytes, now, "weights");
  weight_data_complete_[f] = complete;
  if (hw_.timeline)
    hw_.timeline->slice(sim::Track::kDmaWeights, "fold " + std::to_string(f) + " weights", now, complete,
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

// A chunk's input vectors, and the partial sums of earlier K-folds it continues, which go to the output
// (accumulator) buffer.
void ReadDma::fetch_chunk(size_t f, size_t j, int64_t now) {
  const sim::Chunk& c = schedule_->folds[f].chunks[j];
  inputs_ready_[f][j] = transfer(c.input_dram_bytes + c.psum_dram_bytes, now, "inputs and partial sums");
  if (hw_.timeline) record_chunk(f, j, now);
  input_bytes_ += c.input_dram_bytes;
  psum_bytes_ += c.psum_dram_bytes;
  input_buffer_.write(input_buffer_.words(c.input_dram_bytes * 8, 1));
  output_buffer_.write(output_buffer_.words(c.psum_dram_bytes * 8, 1));
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
    hw_.timeline->slice(sim::Track::kDmaInputs, name + " inputs", now, inputs_ready_[f][j],
                        with_bytes(c.input_dram_bytes));
  if (c.psum_dram_bytes > 0)
    hw_.timeline->slice(sim::Track::kDmaPsums, name + " partial sums", now, inputs_ready_[f][j],
                        with_bytes(c.psum_dram_bytes));
}

}  // namespace deepchip::models
