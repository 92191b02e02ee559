// The `cycle` array for the output-stationary dataflow: every PE's activation, weight and accumulator
// register is updated on every clock edge. PE(r, c) accumulates out[m0 + r][n0 + c]. Step k of a fold (one
// input column and one weight row) is injected at a cycle i: input in[m0 + r][k] enters row r from the left
// at i + r, weight w[k][n0 + c] enters column c from the top at i + c (the skew); activations move right and
// weights move down one PE per cycle, so both meet in PE(r, c) at i + r + c. In the cycle the fold's last
// step passes a PE, its sum is complete: it leaves for the fold's accumulators (the output drain) and the
// register starts the next fold at zero, so two folds can share the array during a transition.
// Ternary/binary layers: the PE adds the product of the input and the effective weight (+pos_scale, 0,
// -neg_scale); with wrap-around arithmetic the sums equal the two-chain sums of the weight-stationary PE.
#include <algorithm>
#include <cstring>
#include <memory>

#include "models/array/builtin.hpp"
#include "models/array/injection_ring.hpp"
#include "models/array/sequenced.hpp"
#include "models/array/vcd_writer.hpp"
#include "models/clock.hpp"

namespace deepchip::models {

namespace {

template <typename Acc>  // uint32_t (accumulators <= 32 bits, wrap-around) or uint64_t
class OsCycleArray : public SequencedArray {
 public:
  OsCycleArray(const sim::HardwareConfig& hw, const sim::Observers& observers)
      : SequencedArray(hw, observers),
        rows_(hw.array_rows),
        cols_(hw.array_cols),
        ring_(hw.array_rows, hw.array_cols) {}

 protected:
  void begin_run(const std::vector<FoldWork>& folds, int64_t start_cycle) override {
    folds_ = &folds;
    const size_t pes = static_cast<size_t>(rows_) * cols_;
    act_.assign(pes, 0);
    wgt_.assign(pes, 0);
    acc_.assign(pes, 0);
    ring_.reset();
    completes_.assign(static_cast<size_t>(rows_ + cols_ - 1), kNone);
    quiet_from_ = start_cycle;
    if (!observers_.trace_vcd.empty() && !vcd_) {
      vcd_ = std::make_unique<VcdWriter>(
          sim::OutputSet::open_in(observers_.outputs, observers_.trace_vcd, "--trace"));
      vcd_valid_ = vcd_->declare("array", "inject_valid", 1);
      vcd_fold_ = vcd_->declare("array", "inject_fold", 32);
      vcd_step_ = vcd_->declare("array", "inject_step", 32);
      vcd_corner_ = vcd_->declare("array", "acc_bottom_right", 64);
    }
  }

  void elapse(const ArraySequencer& seq, int64_t from, int64_t to) override {
    const auto& runs = seq.runs();
    for (int64_t t = from; t < to; ++t) {
      if (!ring_.injecting(runs, t) && t >= quiet_from_) {  // every register is zero until the next injection
        ring_.clear();
        t = std::min(ring_.next_start(runs, to), to) - 1;
        continue;
      }
      clock_edge(seq, t);
    }
  }

 private:
  static constexpr int64_t kNone = InjectionRing::kNone;

  void clock_edge(const ArraySequencer& seq, int64_t t) {
    if (ring_.note(seq.runs(), t)) quiet_from_ = t + rows_ + cols_;
    shift_operands(t);
    accumulate_and_drain(t);
    if (vcd_) {
      const bool valid = ring_.fold(t) != kNone;
      vcd_->change(t, vcd_valid_, valid);
      vcd_->change(t, vcd_fold_, valid ? static_cast<uint64_t>(ring_.fold(t)) : 0);
      vcd_->change(t, vcd_step_, valid ? static_cast<uint64_t>(ring_.vector(t)) : 0);
      vcd_->change(t, vcd_corner_, static_cast<uint64_t>(acc_.back()));
    }
  }

  // Activations move right and weights down (far edge first, so each PE takes its neighbour's old value);
  // row r's left edge takes step (t - r)'s input, column c's top edge step (t - c)'s weight.
  void shift_operands(int64_t t) {
    for (int r = 0; r < rows_; ++r) {
      int32_t* row = act_.data() + static_cast<size_t>(r) * cols_;
      std::memmove(row + 1, row, static_cast<size_t>(cols_ - 1) * sizeof(int32_t));
      row[0] = edge_value(t - r, r, true);
    }
    for (int r = rows_ - 1; r > 0; --r)
      std::memcpy(wgt_.data() + static_cast<size_t>(r) * cols_,
                  wgt_.data() + static_cast<size_t>(r - 1) * cols_,
                  static_cast<size_t>(cols_) * sizeof(int32_t));
    for (int c = 0; c < cols_; ++c) wgt_[static_cast<size_t>(c)] = edge_value(t - c, c, false);
  }

  // The input (row `lane`) or weight (column `lane`) of the step injected at cycle `injected`, or 0.
  int32_t edge_value(int64_t injected, int lane, bool input) const {
    const int64_t fold = ring_.fold(injected);
    if (fold == kNone) return 0;
    const FoldWork& w = (*folds_)[static_cast<size_t>(fold)];
    const int64_t k = w.k0 + ring_.vector(injected);
    if (input) return lane < w.m ? (*w.inputs)(w.m0 + lane, k) : 0;
    return lane < w.nt ? (*w.weights)(k, w.n0 + lane) : 0;
  }

  // Every PE adds its product; PEs whose fold's last step passes this cycle (diagonal r + c of a last
  // injection) hand their sum to the fold's accumulators and restart at zero.
  void accumulate_and_drain(int64_t t) {
    for (int d = 0; d < rows_ + cols_ - 1; ++d) {
      completes_[static_cast<size_t>(d)] = kNone;
      const int64_t fold = ring_.fold(t - d);
      if (fold == kNone) continue;
      if (ring_.vector(t - d) == (*folds_)[static_cast<size_t>(fold)].vectors - 1)
        completes_[static_cast<size_t>(d)] = fold;
    }
    for (int r = 0; r < rows_; ++r) {
      const size_t base = static_cast<size_t>(r) * cols_;
      for (int c = 0; c < cols_; ++c)
        acc_[base + c] += static_cast<Acc>(static_cast<int64_t>(act_[base + c])) *
                          static_cast<Acc>(static_cast<int64_t>(wgt_[base + c]));
      for (int c = 0; c < cols_; ++c) {
        const int64_t fold = completes_[static_cast<size_t>(r + c)];
        if (fold == kNone) continue;
        const FoldWork& w = (*folds_)[static_cast<size_t>(fold)];
        if (r < w.m && c < w.nt) {
          const Acc sum = acc_[base + c];
          w.out.add(
              r, c,
              sizeof(Acc) == 4 ? static_cast<int64_t>(static_cast<int32_t>(sum)) : static_cast<int64_t>(sum));
        }
        acc_[base + c] = 0;
      }
    }
  }

  int rows_, cols_;
  const std::vector<FoldWork>* folds_ = nullptr;
  std::vector<int32_t> act_, wgt_;  // operand registers, row-major R x C
  std::vector<Acc> acc_;            // accumulators
  InjectionRing ring_;              // which (fold, step) entered in each of the last cycles
  std::vector<int64_t> completes_;  // per diagonal r + c: the fold whose last step passes it, or kNone
  int64_t quiet_from_ = 0;
  std::unique_ptr<VcdWriter> vcd_;
  int vcd_valid_ = 0, vcd_fold_ = 0, vcd_step_ = 0, vcd_corner_ = 0;
};

}  // namespace

std::unique_ptr<ArrayIf> make_output_stationary_cycle_array(const sim::HardwareConfig& hw,
                                                            const sim::Observers& observers) {
  if (hw.accumulator_bits <= 32) return std::make_unique<OsCycleArray<uint32_t>>(hw, observers);
  return std::make_unique<OsCycleArray<uint64_t>>(hw, observers);
}

}  // namespace deepchip::models
