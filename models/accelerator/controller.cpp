#include "models/accelerator/controller.hpp"

#include <algorithm>
#include <stdexcept>

#include "models/clock.hpp"
#include "sim/cost/timeline.hpp"
#include "sim/exec/im2col.hpp"
#include "sim/exec/kernels.hpp"

namespace deepchip::models {

Controller::Controller(sc_core::sc_module_name name, const sim::HardwareConfig& hw, sim::Timeline* timeline,
                       bool numerics, const sim::QuantModel& model,
                       const std::map<std::string, sim::LayerSchedule>& schedules,
                       const sim::ZeroMacCounts* zero_macs, const sim::GemmWeights* gemm_weights,
                       int64_t quantum_cycles, AcceleratorUnits units)
    : sc_module(name),
      hw_(hw),
      timeline_(timeline),
      numerics_(numerics),
      model_(model),
      schedules_(schedules),
      zero_macs_(zero_macs),
      gemm_weights_(gemm_weights),
      quantum_cycles_(quantum_cycles),
      units_(units),
      zero_mac_counter_(model) {
  if (!numerics_ && !zero_macs_) throw std::logic_error("the timing array needs the zero-MAC counts");
}

void Controller::run_gemm_layer(const sim::Layer& layer, std::map<std::string, sim::IntTensor>& tensors,
                                sim::LayerStats& st) {
  const sim::LayerSchedule& s = schedules_.at(layer.name);
  const sim::QuantLayer& q = model_.layers.at(layer.params());
  schedule_ = &s;
  quant_ = &q;
  st.macs = sim::layer_macs(layer);
  st.folds = static_cast<int64_t>(s.folds.size());
  st.mnk_order = s.loop_order == sim::LoopOrder::kMnk ? 1 : 0;
  st.folds_skipped = s.folds_skipped;
  st.cycles_skipped = s.cycles_skipped;
  const bool matmul = layer.kind == sim::LayerKind::kMatMul;
  if (!s.weight_stream) own_stream_ = sim::layer_weight_stream(layer, model_, s);
  stream_ = s.weight_stream ? s.weight_stream.get() : &own_stream_;
  if (numerics_) {
    prepare_data(layer, q, tensors);
    st.zero_macs = matmul ? sim::matmul_zero_macs(layer, group_inputs_, group_weights_)
                          : zero_mac_counter_.gemm(layer, group_inputs_);
  } else {
    st.zero_macs = zero_macs_->at(layer.name);
  }

  const int64_t start = now_cycles();
  units_.input_buffer.start_layer(s.input_transfers_ahead);
  units_.weight_buffer.start_layer(s.weight_transfers_ahead);
  units_.output_buffer.start_layer(hw_.output_buffer.slots());  // the output stage takes no slots
  units_.decoder.start_layer(*stream_, q, numerics_ ? &group_weights_ : nullptr, start);
  units_.read_dma.start_layer(s, *stream_, q);
  units_.output_stage.start_layer(s, layer.groups, start);
  prepare_folds(q);
  st.ideal_array_cycles = sim::ideal_array_cycles(s, hw_);

  const ArrayRunStats run = units_.array.run(work_, *this);
  if (timeline_) record_array(run);
  if (s.bias_only_output_bytes > 0)
    units_.output_stage.write_bias_only(s.bias_only_output_bytes, now_cycles());
  wait_until(units_.output_stage.writes_done_cycle());
  count_layer(st, run);
  if (matmul) std::swap(st.dram_operand_read_bytes, st.dram_weight_read_bytes);
  if (matmul && sim::reads_kv_cache(model_.net, layer))  // its second operand is the cache's region
    std::swap(st.dram_kv_read_bytes, st.dram_operand_read_bytes);
  if (numerics_) tensors[layer.name] = units_.output_stage.finish(layer, q);
  schedule_ = nullptr;
}

// Functional data of the layer: im2col inputs and GEMM weights per group (a matmul's: its second operand,
// per batch).
void Controller::prepare_data(const sim::Layer& layer, const sim::QuantLayer& q,
                              const std::map<std::string, sim::IntTensor>& tensors) {
  const sim::LayerSchedule& s = *schedule_;
  const sim::IntTensor& input = tensors.at(layer.inputs[0]);
  group_inputs_.clear();
  group_weights_.clear();
  const bool matmul = layer.kind == sim::LayerKind::kMatMul;
  const bool lowered = !stream_->code && gemm_weights_ && !matmul;
  for (int g = 0; g < layer.groups; ++g) {
    group_inputs_.push_back(sim::im2col(input, layer, g));
    if (matmul)
      group_weights_.push_back(sim::matmul_operand(tensors.at(layer.inputs[1]), layer, g));
    else if (!lowered)
      group_weights_.push_back(stream_->code ? sim::RowMatrix<int32_t>::Zero(s.gemm.k, s.gemm.n)
                                             : sim::gemm_weights(q.weights, layer, g));
  }
  weights_ = lowered ? &gemm_weights_->at(layer.params()) : &group_weights_;
}

// The array's view of each fold: its block of the group's matrices, its chunks and its sums.
void Controller::prepare_folds(const sim::QuantLayer& q) {
  const sim::LayerSchedule& s = *schedule_;
  work_.clear();
  work_.reserve(s.folds.size());
  for (size_t f = 0; f < s.folds.size(); ++f) {
    const sim::Fold& fold = s.folds[f];
    FoldWork& w = work_.emplace_back();  // filled in place
    if (numerics_) {
      w.inputs = &group_inputs_[static_cast<size_t>(fold.group)];
      w.weights = &(*weights_)[static_cast<size_t>(fold.group)];
      w.out = units_.output_stage.fold_sums(f);
    }
    w.dataflow = s.dataflow;
    w.k0 = fold.k0, w.kt = fold.kt, w.n0 = fold.n0, w.nt = fold.nt, w.m0 = fold.m0, w.m = fold.m;
    w.vectors = fold.vectors;
    w.chunks = fold.chunks.data();  // the schedule outlives the layer's run
    w.chunk_count = fold.chunks.size();
    w.multiplier_free = q.format != sim::WeightFormat::kInt;
    w.pos_scale = q.pos_scale;
    w.neg_scale = q.neg_scale;
  }
}

// The layer's counters, from the buffers and the units that moved its data.
void Controller::count_layer(sim::LayerStats& st, const ArrayRunStats& run) const {
  st.sram_input_reads = units_.input_buffer.reads();
  st.sram_input_writes = units_.input_buffer.writes();
  st.sram_weight_reads = units_.weight_buffer.reads();
  st.sram_weight_writes = units_.weight_buffer.writes();
  st.sram_output_reads = units_.output_buffer.reads();
  st.sram_output_writes = units_.output_buffer.writes();
  st.dram_weight_read_bytes = units_.read_dma.weight_bytes();
  st.dram_input_read_bytes = units_.read_dma.input_bytes();
  st.dram_psum_read_bytes = units_.read_dma.psum_bytes();
  st.dram_psum_write_bytes = units_.output_stage.psum_bytes();
  st.dram_output_write_bytes = units_.output_stage.output_bytes();
  if (stream_->code) st.decoder_stall_cycles = decoder_stall_cycles(run);
}

// A decoder stall: the array could have used the fold's weights (ws: its weight registers were free; is/os:
// its stream could start) and their data (is/os: the first chunk's) had arrived, but the decoder was not
// done. Later chunks of an is/os fold that wait for the decoder show as stalls of the stream.
int64_t Controller::decoder_stall_cycles(const ArrayRunStats& run) const {
  int64_t stalls = 0;
  for (size_t f = 0; f < schedule_->folds.size(); ++f) {
    const int64_t data = units_.read_dma.weight_data_complete_cycle(f);
    if (schedule_->dataflow == sim::Dataflow::kWs) {
      stalls += std::max<int64_t>(0, run.load_start_cycle[f] - std::max(run.bank_free_cycle[f], data));
      continue;
    }
    stalls += std::max<int64_t>(0, run.stream_start_cycle[f] - std::max(run.stream_free_cycle[f], data));
  }
  return stalls;
}

// The array's three tracks: weight loads, input vector runs and folds (weight load or the previous fold's
// end, to the last MAC).
void Controller::record_array(const ArrayRunStats& run) const {
  sim::Timeline& tl = *timeline_;
  for (size_t f = 0; f < schedule_->folds.size(); ++f) {
    const sim::Fold& fold = schedule_->folds[f];
    const std::string name = "fold " + std::to_string(f);
    if (schedule_->dataflow != sim::Dataflow::kOs)  // os loads nothing
      tl.slice(sim::Track::kArrayLoad, name, run.load_start_cycle[f],
               run.load_start_cycle[f] + hw_.array_rows, {{"fold", static_cast<int64_t>(f)}});
    tl.slice(sim::Track::kArray, name, run.load_start_cycle[f], run.fold_done_cycle[f],
             {{"fold", static_cast<int64_t>(f)},
              {"group", fold.group},
              {"k0", fold.k0},
              {"kt", fold.kt},
              {"n0", fold.n0},
              {"nt", fold.nt},
              {"vectors", fold.m}});
  }
  for (const auto& r : run.injections)
    tl.slice(sim::Track::kArrayInject, "fold " + std::to_string(r.fold) + " vectors", r.start_cycle,
             r.start_cycle + r.count,
             {{"fold", static_cast<int64_t>(r.fold)}, {"m0", r.m0}, {"count", r.count}});
}

int64_t Controller::stationary_ready_cycle(size_t fold) const {
  return units_.read_dma.stationary_ready_cycle(fold);
}

int64_t Controller::stream_ready_cycle(size_t fold, size_t chunk) const {
  return units_.read_dma.chunk_ready_cycle(fold, chunk);
}

// The SRAM reads of loading the stationary operand, one row of the array per load cycle.
void Controller::stationary_loaded(size_t fold, int64_t) {
  const sim::Fold& f = schedule_->folds[fold];
  if (schedule_->dataflow == sim::Dataflow::kWs) {
    units_.weight_buffer.read(f.kt * units_.weight_buffer.words(f.nt, quant_->stored_weight_bits));
    units_.weight_buffer.free_slot();
  } else if (schedule_->dataflow == sim::Dataflow::kIs) {
    units_.input_buffer.read(f.kt * units_.input_buffer.words(f.m, model_.config.activation_bits));
    if (!schedule_->ifmap_resident) units_.input_buffer.free_slot();
  }
}

// The SRAM reads of a chunk's streamed vectors: ws an input vector of kt per cycle, is a filter's kt
// weights per cycle, os per step a column of m inputs and a row of nt weights.
void Controller::chunk_consumed(size_t fold, size_t chunk, int64_t) {
  const sim::Fold& f = schedule_->folds[fold];
  const sim::Chunk& c = f.chunks[chunk];
  const int act = model_.config.activation_bits, wbits = quant_->stored_weight_bits;
  const bool ws = schedule_->dataflow == sim::Dataflow::kWs, os = schedule_->dataflow == sim::Dataflow::kOs;
  if (ws || os) {
    units_.input_buffer.read(c.count * units_.input_buffer.words(ws ? f.kt : f.m, act));
    if (!schedule_->ifmap_resident) units_.input_buffer.free_slot();
  }
  if (!ws) {
    units_.weight_buffer.read(c.count * units_.weight_buffer.words(os ? f.nt : f.kt, wbits));
    if (!schedule_->weights_resident) units_.weight_buffer.free_slot();
  }
}

void Controller::fold_done(size_t fold, int64_t now) { units_.output_stage.fold_done(fold, now); }

}  // namespace deepchip::models
