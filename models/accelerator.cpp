#include "models/accelerator.hpp"

#include <algorithm>
#include <cmath>

#include "models/clock.hpp"
#include "models/timed_transfer.hpp"
#include "sim/kernels.hpp"

namespace deepchip::models {

using sim::words_for;

namespace {
int64_t global_quantum_cycles() {
  const sc_core::sc_time q = tlm::tlm_global_quantum::instance().get();
  return q == sc_core::sc_max_time() ? kNever : time_to_cycles(q);
}
}  // namespace

Accelerator::Accelerator(sc_core::sc_module_name name, const sim::HardwareConfig& hw,
                         const sim::QuantModel& model,
                         const std::map<std::string, sim::LayerSchedule>& schedules,
                         const sim::ZeroMacCounts* zero_macs)
    : sc_module(name),
      dram_port("dram_port"),
      hw_(hw),
      numerics_(sim::executes_numerics(hw.impl)),
      zero_macs_(zero_macs),
      quantum_cycles_(kNever),
      model_(model),
      schedules_(schedules),
      array_(make_array(hw)),
      dram_(std::make_unique<Dram>("dram", hw_)) {
  if (!numerics_ && !zero_macs_) throw std::logic_error("the timing array needs the zero-MAC counts");
  dram_port.bind(dram_->socket);
  if (numerics_) tensors_ = model.inputs;  // `timing` reads no tensor
  SC_THREAD(control);
  set_stack_size(kKernelThreadStackBytes);
}

Accelerator::Accelerator(sc_core::sc_module_name name, const sim::HardwareConfig& hw,
                         const sim::QuantModel& model,
                         const std::map<std::string, sim::LayerSchedule>& schedules, InSystem,
                         const sim::ZeroMacCounts* zero_macs)
    : sc_module(name),
      dram_port("dram_port"),
      hw_(hw),
      numerics_(sim::executes_numerics(hw.impl)),
      zero_macs_(zero_macs),
      quantum_cycles_(global_quantum_cycles()),
      model_(model),
      schedules_(schedules),
      array_(make_array(hw)) {
  if (!numerics_ && !zero_macs_) throw std::logic_error("the timing array needs the zero-MAC counts");
  if (numerics_) tensors_ = model.inputs;
}

int64_t Accelerator::dram_transfer(tlm::tlm_command command, int64_t bytes, int64_t at_cycle) {
  return timed_transfer(dram_port, payload_, command, bytes, at_cycle);
}

void Accelerator::control() {
  for (const auto& layer : model_.net.layers) stats_.push_back(run_layer(layer));
  finished_ = true;
}

sim::LayerStats Accelerator::run_layer(const sim::Layer& layer) {
  sim::LayerStats st;
  st.name = layer.name;
  st.kind = sim::to_string(layer.kind);
  const int64_t start = now_cycles();
  if (layer.is_gemm())
    run_gemm_layer(layer, st);
  else
    run_vector_layer(layer, st);
  st.cycles = now_cycles() - start;
  st.stall_cycles = st.cycles - st.ideal_array_cycles;
  st.utilization = st.cycles > 0 ? static_cast<double>(st.macs) /
                                       (static_cast<double>(hw_.array_rows) * hw_.array_cols * st.cycles)
                                 : 0.0;
  return st;
}

// Functional data of a layer: im2col inputs and GEMM weights per group. With Huffman on, the weight
// matrices start empty and the decoder fills them fold by fold from the encoded stream.
void Accelerator::prepare_gemm_data(const sim::Layer& layer, const sim::QuantLayer& q) {
  const sim::LayerSchedule& s = *schedule_;
  const sim::IntTensor& input = tensors_.at(layer.inputs[0]);
  group_inputs_.clear();
  group_weights_.clear();
  group_sums_.clear();
  for (int g = 0; g < layer.groups; ++g) {
    group_inputs_.push_back(sim::im2col(input, layer, g));
    group_weights_.push_back(stream_.code ? sim::RowMatrix<int32_t>::Zero(s.gemm.k, s.gemm.n)
                                          : sim::gemm_weights(q.weights, layer, g));
    group_sums_.push_back(sim::RowMatrix<int64_t>::Zero(s.gemm.m, s.gemm.n));
  }
}

void Accelerator::run_gemm_layer(const sim::Layer& layer, sim::LayerStats& st) {
  const sim::LayerSchedule& s = schedules_.at(layer.name);
  const sim::QuantLayer& q = model_.layers.at(layer.name);
  schedule_ = &s;
  current_ = &st;
  layer_ = &layer;
  quant_ = &q;
  st.macs = sim::layer_macs(layer);
  st.folds = static_cast<int64_t>(s.folds.size());
  st.folds_skipped = s.folds_skipped;
  st.cycles_skipped = s.cycles_skipped;
  stream_ = sim::build_layer_stream(layer, q, s, model_.config.huffman);
  if (numerics_) {
    prepare_gemm_data(layer, q);
    st.zero_macs = sim::gemm_zero_macs(layer, q, group_inputs_);
  } else {
    st.zero_macs = zero_macs_->at(layer.name);
  }

  fold_out_.assign(numerics_ ? s.folds.size() : 0, sim::RowMatrix<int64_t>());
  spare_fold_out_.clear();  // sized for the previous layer
  work_.clear();
  std::vector<int64_t> fold_vectors;
  for (size_t f = 0; f < s.folds.size(); ++f) {
    const sim::Fold& fold = s.folds[f];
    FoldWork w;
    if (numerics_) {
      w.inputs = &group_inputs_[static_cast<size_t>(fold.group)];
      w.weights = &group_weights_[static_cast<size_t>(fold.group)];
      w.out = &fold_out_[f];
    }
    w.k0 = fold.k0, w.kt = fold.kt, w.n0 = fold.n0, w.nt = fold.nt, w.m = fold.m;
    for (const auto& c : fold.chunks) w.chunk_starts.push_back(c.m0);
    w.multiplier_free = q.format != sim::WeightFormat::kInt;
    w.pos_scale = q.pos_scale;
    w.neg_scale = q.neg_scale;
    work_.push_back(std::move(w));
    fold_vectors.push_back(fold.m);
  }
  st.ideal_array_cycles =
      sim::ideal_array_cycles(fold_vectors, hw_.array_rows, hw_.array_cols, hw_.weight_buffering);

  weights_ready_.assign(s.folds.size(), kNever);
  weight_data_complete_.assign(s.folds.size(), kNever);
  inputs_ready_.clear();
  for (const auto& fold : s.folds) inputs_ready_.emplace_back(fold.chunks.size(), kNever);
  weight_slots_free_ = hw_.weight_buffer.slots();
  input_slots_free_ = hw_.input_buffer.slots();
  writes_done_cycle_ = now_cycles();
  decoder_free_ = now_cycles();
  dma_fold_ = dma_chunk_ = 0;
  dma_weights_issued_ = false;

  const ArrayRunStats run = array_->run(work_, *this);
  if (stream_.code)
    for (size_t f = 0; f < s.folds.size(); ++f)
      st.decoder_stall_cycles += std::max<int64_t>(
          0, run.load_start_cycle[f] - std::max(run.bank_free_cycle[f], weight_data_complete_[f]));
  if (s.bias_only_output_bytes > 0) {  // column blocks whose folds were all skipped: bias-only outputs
    st.dram_output_write_bytes += s.bias_only_output_bytes;
    writes_done_cycle_ = std::max(
        writes_done_cycle_, dram_transfer(tlm::TLM_WRITE_COMMAND, s.bias_only_output_bytes, now_cycles()));
  }
  wait_until(writes_done_cycle_);
  if (numerics_) finish_gemm_outputs(layer, q);
  schedule_ = nullptr;
}

// Output stage: bias, accumulator wrap, requantization, clamp (sim::finish_output).
void Accelerator::finish_gemm_outputs(const sim::Layer& layer, const sim::QuantLayer& q) {
  const sim::LayerSchedule& s = *schedule_;
  sim::IntTensor out(layer.out_shape);
  for (int g = 0; g < layer.groups; ++g)
    for (int64_t m = 0; m < s.gemm.m; ++m)
      for (int64_t n = 0; n < s.gemm.n; ++n) {
        const int ch = static_cast<int>(g * s.gemm.n + n);
        out.data[static_cast<size_t>(m * layer.out_channels + ch)] =
            sim::finish_output(group_sums_[static_cast<size_t>(g)](m, n), ch, q, hw_.accumulator_bits);
      }
  tensors_[layer.name] = std::move(out);
}

// Fetches fold f's weights; with Huffman on, the decoder (decoder_symbols_per_cycle) turns the encoded
// segment into weights while it streams in: it starts when the data starts arriving and the decoder is
// free, and finishes no earlier than the last byte.
int64_t Accelerator::fetch_weights(size_t f, int64_t now) {
  const sim::Fold& fold = schedule_->folds[f];
  const int64_t bytes = stream_.folds[f].dram_bytes;
  const int64_t complete = dram_transfer(tlm::TLM_READ_COMMAND, bytes, now);
  weight_data_complete_[f] = complete;
  current_->dram_weight_read_bytes += bytes;
  current_->sram_weight_writes +=
      words_for(fold.kt * fold.nt, quant_->stored_weight_bits, hw_.weight_buffer.word_bits);
  if (!stream_.code) return complete;
  const int64_t transfer_cycles =
      hw_.memory == sim::MemoryModel::kIdeal
          ? 0
          : static_cast<int64_t>(std::ceil(static_cast<double>(bytes) / hw_.dram_bandwidth_bytes_per_cycle));
  const int64_t data_start = complete - transfer_cycles;
  const auto decode_cycles = static_cast<int64_t>(
      std::ceil(static_cast<double>(stream_.folds[f].symbols) / hw_.decoder_symbols_per_cycle));
  const int64_t done = std::max(complete, std::max(decoder_free_, data_start) + decode_cycles);
  decoder_free_ = done;
  if (numerics_) decode_fold(f);
  return done;
}

// The decoder's function: the fold's segment back to weights, written where the array will read them.
void Accelerator::decode_fold(size_t f) {
  const sim::Fold& fold = schedule_->folds[f];
  const sim::FoldStream& fs = stream_.folds[f];
  // The decoder builds its code from the stored table, which arrives with the first fold.
  if (f == 0 || !decoder_code_)
    decoder_code_ = sim::HuffmanCode::read_table(stream_.table, stream_.table_bits,
                                                 sim::symbol_format(*quant_, stream_.mode));
  const auto symbols = decoder_code_->decode(fs.bytes, 0, static_cast<size_t>(fs.symbols));
  std::vector<int32_t> codes;
  if (stream_.mode == sim::HuffmanMode::kZeroRle)
    codes = sim::expand_zero_rle(symbols);
  else
    codes.assign(symbols.begin(), symbols.end());
  auto& w = group_weights_[static_cast<size_t>(fold.group)];
  size_t i = 0;
  for (int64_t k = fold.k0; k < fold.k0 + fold.kt; ++k)
    for (int64_t n = fold.n0; n < fold.n0 + fold.nt; ++n)
      w(k, n) = i < codes.size() ? sim::weight_of_code(*quant_, codes[i++]) : 0;
}

// The read DMA: for each fold in order, its weights then its input chunks, each into a free buffer slot.
// It issues at the array's local cycle `now` whatever the free slots allow and stops at the first transfer
// that has to wait for a slot.
bool Accelerator::issue_transfers(int64_t now) {
  const sim::LayerSchedule& s = *schedule_;
  bool issued = false;
  while (dma_fold_ < s.folds.size()) {
    const size_t f = dma_fold_;
    const sim::Fold& fold = s.folds[f];
    if (!dma_weights_issued_) {
      if (weight_slots_free_ == 0) return issued;
      --weight_slots_free_;
      if (numerics_ && !spare_fold_out_.empty()) {  // the array writes this fold's sums once it streams
        fold_out_[f] = std::move(spare_fold_out_.back());
        spare_fold_out_.pop_back();
      }
      weights_ready_[f] = fetch_weights(f, now);
      dma_weights_issued_ = issued = true;
      continue;
    }
    if (dma_chunk_ == fold.chunks.size()) {
      ++dma_fold_;
      dma_chunk_ = 0;
      dma_weights_issued_ = false;
      continue;
    }
    const size_t j = dma_chunk_;
    const sim::Chunk& c = fold.chunks[j];
    if (!s.ifmap_resident) {
      if (input_slots_free_ == 0) return issued;
      --input_slots_free_;
    }
    inputs_ready_[f][j] = dram_transfer(tlm::TLM_READ_COMMAND, c.input_dram_bytes + c.psum_dram_bytes, now);
    current_->dram_input_read_bytes += c.input_dram_bytes;
    current_->dram_psum_read_bytes += c.psum_dram_bytes;
    current_->sram_input_writes += words_for(c.input_dram_bytes * 8, 1, hw_.input_buffer.word_bits);
    current_->sram_output_writes += words_for(c.psum_dram_bytes * 8, 1, hw_.output_buffer.word_bits);
    ++dma_chunk_;
    issued = true;
  }
  return issued;
}

void Accelerator::weights_loaded(size_t fold, int64_t) {
  const sim::Fold& f = schedule_->folds[fold];
  // One row of the fold's weights per load cycle.
  current_->sram_weight_reads +=
      f.kt * words_for(f.nt, quant_->stored_weight_bits, hw_.weight_buffer.word_bits);
  ++weight_slots_free_;
}

void Accelerator::chunk_consumed(size_t fold, size_t chunk, int64_t) {
  const sim::Fold& f = schedule_->folds[fold];
  const sim::Chunk& c = f.chunks[chunk];
  current_->sram_input_reads +=
      c.count * words_for(f.kt, model_.config.activation_bits, hw_.input_buffer.word_bits);
  if (!schedule_->ifmap_resident) ++input_slots_free_;
}

void Accelerator::fold_done(size_t fold, int64_t now) {
  const sim::Fold& f = schedule_->folds[fold];
  if (numerics_) {
    auto& sums = group_sums_[static_cast<size_t>(f.group)];
    sums.block(0, f.n0, f.m, f.nt) += fold_out_[fold];
    // Accumulated: its memory serves a later fold (allocating M x nt sums per fold faulted in fresh pages).
    spare_fold_out_.push_back(std::move(fold_out_[fold]));
  }
  const int acc = hw_.accumulator_bits, abits = model_.config.activation_bits;
  const int word = hw_.output_buffer.word_bits;
  const int64_t psum_words = f.m * words_for(f.nt, acc, word);
  current_->sram_output_writes += psum_words;
  if (!f.first_k) current_->sram_output_reads += psum_words;  // read-modify-write of the accumulator
  int64_t write_bytes = 0;
  if (f.psum_write_dram_bytes > 0) {
    current_->sram_output_reads += psum_words;
    current_->dram_psum_write_bytes += f.psum_write_dram_bytes;
    write_bytes += f.psum_write_dram_bytes;
  }
  if (f.output_write_dram_bytes > 0) {
    current_->sram_output_reads += f.m * words_for(f.nt, abits, word);
    current_->dram_output_write_bytes += f.output_write_dram_bytes;
    write_bytes += f.output_write_dram_bytes;
  }
  writes_done_cycle_ = std::max(writes_done_cycle_, dram_transfer(tlm::TLM_WRITE_COMMAND, write_bytes, now));
}

// Pooling, ReLU and residual add run on a vector unit of `array_cols` lanes: read the inputs from DRAM,
// one operation per lane per cycle (a pooling window counts kernel_h * kernel_w operations), write back.
void Accelerator::run_vector_layer(const sim::Layer& layer, sim::LayerStats& st) {
  const int abits = model_.config.activation_bits;
  int64_t in_bytes = sim::packed_bytes(model_.net.tensor_shape(layer.inputs[0]).elements(), abits);
  if (layer.kind == sim::LayerKind::kAdd) in_bytes *= 2;
  const int64_t out_bytes = sim::packed_bytes(layer.out_shape.elements(), abits);
  wait_until(dram_transfer(tlm::TLM_READ_COMMAND, in_bytes, now_cycles()));
  st.dram_input_read_bytes = in_bytes;
  if (numerics_) tensors_[layer.name] = vector_unit_output(layer);
  const int64_t compute_cycles = (sim::vector_ops(layer) + hw_.array_cols - 1) / hw_.array_cols;
  st.ideal_array_cycles = compute_cycles;  // for a vector layer: its compute time with data present
  sc_core::wait(cycles_to_time(compute_cycles));
  wait_until(dram_transfer(tlm::TLM_WRITE_COMMAND, out_bytes, now_cycles()));
  st.dram_output_write_bytes = out_bytes;
}

sim::IntTensor Accelerator::vector_unit_output(const sim::Layer& layer) const {
  const sim::IntTensor& a = tensors_.at(layer.inputs[0]);
  switch (layer.kind) {
    case sim::LayerKind::kMaxPool:
      return sim::int_maxpool(a, layer);
    case sim::LayerKind::kAvgPool:
      return sim::int_avgpool(a, layer);
    case sim::LayerKind::kRelu:
      return sim::int_relu(a);
    case sim::LayerKind::kAdd:
      return sim::int_add(a, tensors_.at(layer.inputs[1]), model_.layers.at(layer.name));
    default:
      return sim::IntTensor{};
  }
}

}  // namespace deepchip::models
