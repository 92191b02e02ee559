#include "models/array/cycle.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <stdexcept>

#include "models/array/builtin.hpp"
#include "models/clock.hpp"

namespace deepchip::models {

namespace {

// Weight stationary: PE(r, c) holds w[k0 + r][n0 + c] and vector v is input row v. Input stationary is the
// same array on the transposed product: PE(r, c) holds in[m0 + c][k0 + r], vector v is filter n0 + v, and
// its column-c sum is out[m0 + c][n0 + v].
bool input_stationary(const FoldWork& w) { return w.dataflow == sim::Dataflow::kIs; }
int64_t columns_used(const FoldWork& w) { return input_stationary(w) ? w.m : w.nt; }
int32_t streamed_value(const FoldWork& w, int64_t v, int r) {
  return input_stationary(w) ? (*w.weights)(w.k0 + r, w.n0 + v) : (*w.inputs)(w.m0 + v, w.k0 + r);
}
int32_t stationary_value(const FoldWork& w, int r, int c) {
  return input_stationary(w) ? (*w.inputs)(w.m0 + c, w.k0 + r) : (*w.weights)(w.k0 + r, w.n0 + c);
}
void emit_sum(const FoldWork& w, int64_t v, int c, int64_t raw) {
  if (input_stationary(w))
    w.out.add(c, v, raw);
  else
    w.out.add(v, c, raw);
}

}  // namespace

template <typename Acc>
CycleArray<Acc>::CycleArray(const sim::HardwareConfig& hw, const sim::Observers& observers)
    : SequencedArray(hw, observers),
      rows_(hw.array_rows),
      cols_(hw.array_cols),
      ring_(hw.array_rows, hw.array_cols) {}

template <typename Acc>
void CycleArray<Acc>::begin_run(const std::vector<FoldWork>& folds, int64_t start_cycle) {
  folds_ = &folds;
  const size_t pes = static_cast<size_t>(rows_) * cols_;
  history_.assign(static_cast<size_t>(rows_) * (kSlack + cols_), 0);
  pos_ = kSlack;
  weights_.assign(pes, 0);
  psum_.assign(pes, 0);
  // Input stationary holds inputs in the PEs: its streamed ternary weights multiply as effective integers.
  multiplier_free_ = !folds.empty() && folds.front().multiplier_free && !input_stationary(folds.front());
  weights_neg_.assign(multiplier_free_ ? pes : 0, 0);
  psum_neg_.assign(multiplier_free_ ? pes : 0, 0);
  zeros_.assign(static_cast<size_t>(cols_), 0);
  ring_.reset();
  wave_fold_ = 0;
  quiet_from_ = start_cycle;
  if (!observers_.trace_vcd.empty() && !vcd_) {  // one file for every run (layer) of this array
    vcd_ = std::make_unique<VcdWriter>(
        sim::OutputSet::open_in(observers_.outputs, observers_.trace_vcd, "--trace"));
    vcd_inject_valid_ = vcd_->declare("array", "inject_valid", 1);
    vcd_inject_fold_ = vcd_->declare("array", "inject_fold", 32);
    vcd_inject_vector_ = vcd_->declare("array", "inject_vector", 32);
    vcd_load_fold_ = vcd_->declare("array", "load_fold", 32);
    vcd_load_row_ = vcd_->declare("array", "load_row", 32);
    for (int r = 0; r < rows_; ++r)
      vcd_row_in_.push_back(vcd_->declare("array", "row_in_" + std::to_string(r), 32));
    for (int c = 0; c < cols_; ++c)
      vcd_bottom_.push_back(vcd_->declare("array", "psum_bottom_" + std::to_string(c), 64));
  }
}

// The cycle's control and data, as the waveform shows them (value after the clock edge of cycle t).
template <typename Acc>
void CycleArray<Acc>::trace_cycle(const ArraySequencer& seq, int64_t t) {
  const bool injected = ring_.fold(t) != kNone;
  vcd_->change(t, vcd_inject_valid_, injected);
  vcd_->change(t, vcd_inject_fold_, injected ? static_cast<uint64_t>(ring_.fold(t)) : 0);
  vcd_->change(t, vcd_inject_vector_, injected ? static_cast<uint64_t>(ring_.vector(t)) : 0);
  int64_t load_fold = -1, load_row = 0;
  const auto& starts = seq.load_start_cycle();
  for (size_t f = 0; f < starts.size(); ++f)
    if (starts[f] != kNever && starts[f] <= t && t < starts[f] + rows_)
      load_fold = static_cast<int64_t>(f), load_row = t - starts[f];
  vcd_->change(t, vcd_load_fold_, static_cast<uint64_t>(load_fold));
  vcd_->change(t, vcd_load_row_, static_cast<uint64_t>(load_row));
  const size_t stride = static_cast<size_t>(kSlack + cols_);
  for (int r = 0; r < rows_; ++r)
    vcd_->change(
        t, vcd_row_in_[static_cast<size_t>(r)],
        static_cast<uint64_t>(static_cast<int64_t>(history_[r * stride + static_cast<size_t>(pos_)])));
  for (int c = 0; c < cols_; ++c)
    vcd_->change(t, vcd_bottom_[static_cast<size_t>(c)],
                 static_cast<uint64_t>(psum_[static_cast<size_t>(rows_ - 1) * cols_ + c]));
}

template <typename Acc>
void CycleArray<Acc>::elapse(const ArraySequencer& seq, int64_t from, int64_t to) {
  const auto& runs = seq.runs();
  for (int64_t t = from; t < to; ++t) {
    if (!ring_.injecting(runs, t) && t >= quiet_from_) {
      // Every register is zero and stays zero until the next injection: skip to it.
      ring_.clear();
      t = std::min(ring_.next_start(runs, to), to) - 1;
      continue;
    }
    clock_edge(seq, t);
  }
}

template <typename Acc>
void CycleArray<Acc>::clock_edge(const ArraySequencer& seq, int64_t t) {
  note_injection(seq, t);
  shift_in_activations(seq, t);
  apply_weight_wavefronts(seq, t);
  update_partial_sums();
  collect_outputs(t);
  if (vcd_) trace_cycle(seq, t);
}

// Records in the ring whether a vector enters row 0 at cycle t.
template <typename Acc>
void CycleArray<Acc>::note_injection(const ArraySequencer& seq, int64_t t) {
  if (ring_.note(seq.runs(), t)) quiet_from_ = t + rows_ + cols_;
}

// Row r receives element r of the vector injected at cycle t - r; every activation register shifts right.
template <typename Acc>
void CycleArray<Acc>::shift_in_activations(const ArraySequencer&, int64_t t) {
  const size_t stride = static_cast<size_t>(kSlack + cols_);
  if (pos_ == 0) {
    for (int r = 0; r < rows_; ++r) {
      int32_t* row = history_.data() + r * stride;
      std::memmove(row + kSlack, row, static_cast<size_t>(cols_) * sizeof(int32_t));
    }
    pos_ = kSlack;
  }
  --pos_;
  for (int r = 0; r < rows_; ++r) {
    int32_t value = 0;
    const int64_t fold = ring_.fold(t - r);
    if (fold != kNone) {
      const FoldWork& w = (*folds_)[static_cast<size_t>(fold)];
      if (r < w.kt) value = streamed_value(w, ring_.vector(t - r), r);
    }
    history_[r * stride + static_cast<size_t>(pos_)] = value;
  }
}

// PE(r, c) switches to fold f's weight when f's first vector reaches it: cycle s_f + r + c.
template <typename Acc>
void CycleArray<Acc>::apply_weight_wavefronts(const ArraySequencer& seq, int64_t t) {
  const auto& starts = seq.stream_start();
  const int64_t span = int64_t{rows_} + cols_ - 2;
  while (wave_fold_ < starts.size() && starts[wave_fold_] != kNever && starts[wave_fold_] + span < t)
    ++wave_fold_;
  for (size_t f = wave_fold_; f < starts.size() && starts[f] != kNever && starts[f] <= t; ++f) {
    const int64_t d = t - starts[f];
    const FoldWork& w = (*folds_)[f];
    const int r_lo = static_cast<int>(std::max<int64_t>(0, d - cols_ + 1));
    const int r_hi = static_cast<int>(std::min<int64_t>(rows_ - 1, d));
    for (int r = r_lo; r <= r_hi; ++r) {
      const int c = static_cast<int>(d - r);
      const bool used = r < w.kt && c < columns_used(w);
      const int64_t weight = used ? stationary_value(w, r, c) : 0;
      const size_t pe = static_cast<size_t>(r) * cols_ + c;
      if (multiplier_free_) {
        weights_[pe] = weight > 0 ? 1 : 0;
        weights_neg_[pe] = weight < 0 ? 1 : 0;
      } else {
        weights_[pe] = static_cast<Acc>(weight);
      }
    }
  }
}

namespace {
template <typename Acc>
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
__attribute__((target_clones("avx2", "default")))
#endif
void mac_row(Acc* __restrict out, const Acc* __restrict above, const int32_t* __restrict act,
             const Acc* __restrict w, int n) {
  for (int c = 0; c < n; ++c) out[c] = above[c] + static_cast<Acc>(static_cast<int64_t>(act[c])) * w[c];
}
}  // namespace

// Bottom-up so that each row reads the row above's register value from the previous cycle.
template <typename Acc>
void CycleArray<Acc>::update_partial_sums() {
  const size_t stride = static_cast<size_t>(kSlack + cols_);
  for (int r = rows_ - 1; r >= 0; --r) {
    Acc* out = psum_.data() + static_cast<size_t>(r) * cols_;
    const Acc* above = r > 0 ? psum_.data() + static_cast<size_t>(r - 1) * cols_ : zeros_.data();
    const int32_t* act = history_.data() + r * stride + pos_;
    mac_row<Acc>(out, above, act, weights_.data() + static_cast<size_t>(r) * cols_, cols_);
    if (multiplier_free_) {  // the -1 weights' chain: add x or nothing
      Acc* out_neg = psum_neg_.data() + static_cast<size_t>(r) * cols_;
      const Acc* above_neg = r > 0 ? psum_neg_.data() + static_cast<size_t>(r - 1) * cols_ : zeros_.data();
      mac_row<Acc>(out_neg, above_neg, act, weights_neg_.data() + static_cast<size_t>(r) * cols_, cols_);
    }
  }
}

// The bottom row's register in column c holds the sum of the vector injected at t - (R - 1) - c.
template <typename Acc>
void CycleArray<Acc>::collect_outputs(int64_t t) {
  const Acc* bottom = psum_.data() + static_cast<size_t>(rows_ - 1) * cols_;
  for (int c = 0; c < cols_; ++c) {
    const int64_t injected = t - (rows_ - 1) - c;
    if (injected < 0) break;
    const int64_t fold = ring_.fold(injected);
    if (fold == kNone) continue;
    const FoldWork& w = (*folds_)[static_cast<size_t>(fold)];
    const int64_t vector = ring_.vector(injected);
    if (c == cols_ - 1 && w.emerged) {
      if (w.emerged->size() != static_cast<size_t>(w.vectors))
        w.emerged->assign(static_cast<size_t>(w.vectors), -1);
      (*w.emerged)[static_cast<size_t>(vector)] = t;
    }
    if (c >= columns_used(w)) continue;
    Acc sum = bottom[c];
    if (multiplier_free_) {  // the output stage applies the two scales (wrap-around arithmetic)
      const Acc neg = psum_neg_[static_cast<size_t>(rows_ - 1) * cols_ + c];
      sum = static_cast<Acc>(static_cast<Acc>(w.pos_scale) * sum - static_cast<Acc>(w.neg_scale) * neg);
    }
    const int64_t raw =
        sizeof(Acc) == 4 ? static_cast<int64_t>(static_cast<int32_t>(sum)) : static_cast<int64_t>(sum);
    emit_sum(w, vector, c, raw);
  }
}

template class CycleArray<uint32_t>;
template class CycleArray<uint64_t>;

std::unique_ptr<ArrayIf> make_cycle_array(const sim::HardwareConfig& hw, const sim::Observers& observers) {
  if (hw.dataflow == sim::Dataflow::kOs) return make_output_stationary_cycle_array(hw, observers);
  if (hw.accumulator_bits <= 32) return std::make_unique<CycleArray<uint32_t>>(hw, observers);
  return std::make_unique<CycleArray<uint64_t>>(hw, observers);
}

}  // namespace deepchip::models
