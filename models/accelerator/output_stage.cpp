#include "models/accelerator/output_stage.hpp"

#include <algorithm>

#include "sim/cost/timeline.hpp"

namespace deepchip::models {

OutputStage::OutputStage(sc_core::sc_module_name name, const sim::HardwareConfig& hw, sim::Timeline* timeline,
                         bool numerics, int activation_bits, SramBuffer& output_buffer)
    : sc_module(name),
      dram("dram"),
      hw_(hw),
      timeline_(timeline),
      numerics_(numerics),
      activation_bits_(activation_bits),
      output_buffer_(output_buffer) {}

void OutputStage::start_layer(const sim::LayerSchedule& schedule, int groups, int64_t now) {
  schedule_ = &schedule;
  group_sums_.clear();
  if (numerics_)
    for (int g = 0; g < groups; ++g)
      group_sums_.push_back(sim::RowMatrix<int64_t>::Zero(schedule.gemm.m, schedule.gemm.n));
  writes_done_cycle_ = now;
  psum_bytes_ = output_bytes_ = 0;
}

FoldSums OutputStage::fold_sums(size_t fold) {
  if (!numerics_) return {};
  const sim::Fold& f = schedule_->folds[fold];
  sim::RowMatrix<int64_t>& sums = group_sums_[static_cast<size_t>(f.group)];
  return {sums.data() + f.m0 * sums.cols() + f.n0, sums.cols()};
}

int64_t OutputStage::transfer(int64_t bytes, int64_t now) {
  return dram_path_.transfer(dram, tlm::TLM_WRITE_COMMAND, bytes, now, "outputs and partial sums");
}

void OutputStage::fold_done(size_t fold, int64_t now) {
  const sim::Fold& f = schedule_->folds[fold];
  const int64_t psum_words = f.m * output_buffer_.words(f.nt, hw_.accumulator_bits);
  output_buffer_.write(psum_words);
  if (!f.first_k) output_buffer_.read(psum_words);  // read-modify-write of the accumulator
  int64_t write_bytes = 0;
  if (f.psum_write_dram_bytes > 0) {
    output_buffer_.read(psum_words);
    psum_bytes_ += f.psum_write_dram_bytes;
    write_bytes += f.psum_write_dram_bytes;
  }
  if (f.output_write_dram_bytes > 0) {
    output_buffer_.read(f.m * output_buffer_.words(f.nt, activation_bits_));
    output_bytes_ += f.output_write_dram_bytes;
    write_bytes += f.output_write_dram_bytes;
  }
  const int64_t written = transfer(write_bytes, now);
  writes_done_cycle_ = std::max(writes_done_cycle_, written);
  if (timeline_)
    timeline_->slice(sim::Track::kOutputStage, "fold " + std::to_string(fold) + " write-back", now, written,
                     {{"fold", static_cast<int64_t>(fold)},
                      {"psum_bytes", f.psum_write_dram_bytes},
                      {"output_bytes", f.output_write_dram_bytes}});
}

void OutputStage::write_bias_only(int64_t bytes, int64_t now) {
  output_bytes_ += bytes;
  const int64_t written = transfer(bytes, now);
  writes_done_cycle_ = std::max(writes_done_cycle_, written);
  if (timeline_)
    timeline_->slice(sim::Track::kOutputStage, "bias-only outputs", now, written,
                     {{"psum_bytes", 0}, {"output_bytes", bytes}});
}

sim::IntTensor OutputStage::finish(const sim::Layer& layer, const sim::QuantLayer& quant) const {
  const sim::LayerSchedule& s = *schedule_;
  sim::IntTensor out(layer.out_shape);
  for (int g = 0; g < layer.groups; ++g)
    for (int64_t m = 0; m < s.gemm.m; ++m)
      for (int64_t n = 0; n < s.gemm.n; ++n) {
        const int ch = sim::gemm_output_channel(layer, s.gemm, g, n);
        out.data[static_cast<size_t>(sim::gemm_output_index(layer, s.gemm, g, m, n))] =
            sim::finish_output(group_sums_[static_cast<size_t>(g)](m, n), ch, quant, hw_.accumulator_bits);
      }
  return out;
}

}  // namespace deepchip::models
