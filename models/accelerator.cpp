#include "models/accelerator.hpp"

#include <algorithm>

#include "models/clock.hpp"
#include "sim/kernels.hpp"

namespace deepchip::models {

using sim::words_for;

Accelerator::Accelerator(sc_core::sc_module_name name, const sim::HardwareConfig& hw,
                         const sim::QuantModel& model,
                         const std::map<std::string, sim::LayerSchedule>& schedules)
    : sc_module(name),
      dram_port("dram_port"),
      hw_(hw),
      model_(model),
      schedules_(schedules),
      array_(make_array(hw)),
      dram_("dram", hw) {
  dram_port.bind(dram_.socket);
  tensors_ = model.inputs;
  SC_THREAD(control);
  SC_THREAD(read_dma);
}

void Accelerator::wait_until(int64_t cycle) {
  const int64_t now = now_cycles();
  if (cycle > now) sc_core::wait(cycles_to_time(cycle - now));
}

int64_t Accelerator::dram_transfer(tlm::tlm_command command, int64_t bytes) {
  payload_.set_command(command);
  payload_.set_address(0);
  payload_.set_data_ptr(nullptr);  // timing only: the data lives in tensors_
  payload_.set_data_length(static_cast<unsigned int>(bytes));
  payload_.set_streaming_width(static_cast<unsigned int>(bytes));
  payload_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  dram_port->b_transport(payload_, delay);
  return now_cycles() + static_cast<int64_t>(delay / cycles_to_time(1) + 0.5);
}

void Accelerator::control() {
  for (const auto& layer : model_.net.layers) {
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
    stats_.push_back(st);
  }
  finished_ = true;
}

void Accelerator::run_gemm_layer(const sim::Layer& layer, sim::LayerStats& st) {
  const sim::LayerSchedule& s = schedules_.at(layer.name);
  const sim::QuantLayer& q = model_.layers.at(layer.name);
  const sim::IntTensor& input = tensors_.at(layer.inputs[0]);
  schedule_ = &s;
  current_ = &st;
  st.macs = sim::layer_macs(layer);
  st.folds = static_cast<int64_t>(s.folds.size());

  group_inputs_.clear();
  group_weights_.clear();
  group_sums_.clear();
  for (int g = 0; g < layer.groups; ++g) {
    group_inputs_.push_back(sim::im2col(input, layer, g));
    group_weights_.push_back(sim::gemm_weights(q.weights, layer, g));
    group_sums_.push_back(sim::RowMatrix<int64_t>::Zero(s.gemm.m, s.gemm.n));
  }
  fold_out_.assign(s.folds.size(), sim::RowMatrix<int64_t>());
  work_.clear();
  std::vector<int64_t> fold_vectors;
  for (size_t f = 0; f < s.folds.size(); ++f) {
    const sim::Fold& fold = s.folds[f];
    FoldWork w;
    w.inputs = &group_inputs_[static_cast<size_t>(fold.group)];
    w.weights = &group_weights_[static_cast<size_t>(fold.group)];
    w.k0 = fold.k0, w.kt = fold.kt, w.n0 = fold.n0, w.nt = fold.nt, w.m = fold.m;
    for (const auto& c : fold.chunks) w.chunk_starts.push_back(c.m0);
    w.out = &fold_out_[f];
    work_.push_back(std::move(w));
    fold_vectors.push_back(fold.m);
  }
  st.ideal_array_cycles =
      sim::ideal_array_cycles(fold_vectors, hw_.array_rows, hw_.array_cols, hw_.weight_buffering);

  weights_ready_.assign(s.folds.size(), kNever);
  inputs_ready_.clear();
  for (const auto& fold : s.folds) inputs_ready_.emplace_back(fold.chunks.size(), kNever);
  weight_slots_free_ = hw_.weight_buffer.slots();
  input_slots_free_ = hw_.input_buffer.slots();
  writes_done_cycle_ = now_cycles();
  layer_start_.notify(sc_core::SC_ZERO_TIME);

  array_->run(work_, *this);
  wait_until(writes_done_cycle_);

  // Output stage: bias, accumulator wrap, requantization, clamp (sim::finish_output).
  sim::IntTensor out(layer.out_shape);
  for (int g = 0; g < layer.groups; ++g)
    for (int64_t m = 0; m < s.gemm.m; ++m)
      for (int64_t n = 0; n < s.gemm.n; ++n) {
        const int ch = static_cast<int>(g * s.gemm.n + n);
        out.data[static_cast<size_t>(m * layer.out_channels + ch)] =
            sim::finish_output(group_sums_[static_cast<size_t>(g)](m, n), ch, q, hw_.accumulator_bits);
      }
  tensors_[layer.name] = std::move(out);
  schedule_ = nullptr;
}

// The read DMA: for each fold in order, its weights then its input chunks, each into a free buffer slot.
void Accelerator::read_dma() {
  for (;;) {
    sc_core::wait(layer_start_);
    const sim::LayerSchedule& s = *schedule_;
    for (size_t f = 0; f < s.folds.size(); ++f) {
      const sim::Fold& fold = s.folds[f];
      while (weight_slots_free_ == 0) sc_core::wait(slot_freed_);
      --weight_slots_free_;
      weights_ready_[f] = dram_transfer(tlm::TLM_READ_COMMAND, fold.weight_dram_bytes);
      current_->dram_weight_read_bytes += fold.weight_dram_bytes;
      current_->sram_weight_writes += words_for(fold.weight_dram_bytes * 8, 1, hw_.weight_buffer.word_bits);
      issued_.notify(sc_core::SC_ZERO_TIME);
      for (size_t j = 0; j < fold.chunks.size(); ++j) {
        const sim::Chunk& c = fold.chunks[j];
        if (!s.ifmap_resident) {
          while (input_slots_free_ == 0) sc_core::wait(slot_freed_);
          --input_slots_free_;
        }
        inputs_ready_[f][j] = dram_transfer(tlm::TLM_READ_COMMAND, c.input_dram_bytes + c.psum_dram_bytes);
        current_->dram_input_read_bytes += c.input_dram_bytes;
        current_->dram_psum_read_bytes += c.psum_dram_bytes;
        current_->sram_input_writes += words_for(c.input_dram_bytes * 8, 1, hw_.input_buffer.word_bits);
        current_->sram_output_writes += words_for(c.psum_dram_bytes * 8, 1, hw_.output_buffer.word_bits);
        issued_.notify(sc_core::SC_ZERO_TIME);
      }
    }
  }
}

void Accelerator::weights_loaded(size_t fold) {
  const sim::Fold& f = schedule_->folds[fold];
  // One row of the fold's weights per load cycle.
  current_->sram_weight_reads +=
      f.kt * words_for(f.nt, model_.config.weight_bits, hw_.weight_buffer.word_bits);
  ++weight_slots_free_;
  slot_freed_.notify(sc_core::SC_ZERO_TIME);
}

void Accelerator::chunk_consumed(size_t fold, size_t chunk) {
  const sim::Fold& f = schedule_->folds[fold];
  const sim::Chunk& c = f.chunks[chunk];
  current_->sram_input_reads +=
      c.count * words_for(f.kt, model_.config.activation_bits, hw_.input_buffer.word_bits);
  if (!schedule_->ifmap_resident) {
    ++input_slots_free_;
    slot_freed_.notify(sc_core::SC_ZERO_TIME);
  }
}

void Accelerator::fold_done(size_t fold) {
  const sim::Fold& f = schedule_->folds[fold];
  auto& sums = group_sums_[static_cast<size_t>(f.group)];
  sums.block(0, f.n0, f.m, f.nt) += fold_out_[fold];
  fold_out_[fold] = sim::RowMatrix<int64_t>();  // accumulated: release it
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
  writes_done_cycle_ = std::max(writes_done_cycle_, dram_transfer(tlm::TLM_WRITE_COMMAND, write_bytes));
}

// Pooling, ReLU and residual add run on a vector unit of `array_cols` lanes: read the inputs from DRAM,
// one operation per lane per cycle (a pooling window counts kernel_h * kernel_w operations), write back.
void Accelerator::run_vector_layer(const sim::Layer& layer, sim::LayerStats& st) {
  const int abits = model_.config.activation_bits;
  const sim::IntTensor& a = tensors_.at(layer.inputs[0]);
  int64_t in_bytes = sim::packed_bytes(a.shape.elements(), abits);
  if (layer.kind == sim::LayerKind::kAdd) in_bytes *= 2;
  const int64_t out_bytes = sim::packed_bytes(layer.out_shape.elements(), abits);
  wait_until(dram_transfer(tlm::TLM_READ_COMMAND, in_bytes));
  st.dram_input_read_bytes = in_bytes;
  int64_t ops = layer.out_shape.elements();
  if (layer.kind == sim::LayerKind::kMaxPool || layer.kind == sim::LayerKind::kAvgPool)
    ops *= int64_t{layer.kernel_h} * layer.kernel_w;
  sim::IntTensor out;
  switch (layer.kind) {
    case sim::LayerKind::kMaxPool:
      out = sim::int_maxpool(a, layer);
      break;
    case sim::LayerKind::kAvgPool:
      out = sim::int_avgpool(a, layer);
      break;
    case sim::LayerKind::kRelu:
      out = sim::int_relu(a);
      break;
    case sim::LayerKind::kAdd:
      out = sim::int_add(a, tensors_.at(layer.inputs[1]), model_.layers.at(layer.name));
      break;
    default:
      break;
  }
  const int64_t compute_cycles = (ops + hw_.array_cols - 1) / hw_.array_cols;
  st.ideal_array_cycles = compute_cycles;  // for a vector layer: its compute time with data present
  sc_core::wait(cycles_to_time(compute_cycles));
  wait_until(dram_transfer(tlm::TLM_WRITE_COMMAND, out_bytes));
  st.dram_output_write_bytes = out_bytes;
  tensors_[layer.name] = std::move(out);
}

}  // namespace deepchip::models
