// The `cycle` array: every PE's activation and partial-sum register is updated on every clock edge.
// Weight-stationary: PE(r, c) holds W[k0 + r][n0 + c]; activations move right one PE per cycle, partial sums
// move down one PE per cycle; vector m enters row r at its injection cycle + r (skew) and its column-c sum
// leaves the bottom row at injection + (R - 1) + c. A fold's weights become active in PE(r, c) together with
// its first vector (a diagonal wavefront), so two folds can share the array during a transition.
// Input stationary runs on the same registers with the operands' roles swapped (cycle.cpp); output
// stationary has its own array (cycle_os.cpp).
#pragma once
#include <memory>
#include <vector>

#include "models/array/injection_ring.hpp"
#include "models/array/sequenced.hpp"
#include "models/array/vcd_writer.hpp"

namespace deepchip::models {

template <typename Acc>  // uint32_t (accumulators <= 32 bits, wrap-around) or uint64_t
class CycleArray : public SequencedArray {
 public:
  CycleArray(const sim::HardwareConfig& hw, const sim::Observers& observers);

 protected:
  void begin_run(const std::vector<FoldWork>& folds, int64_t start_cycle) override;
  void elapse(const ArraySequencer& seq, int64_t from, int64_t to) override;

 private:
  void clock_edge(const ArraySequencer& seq, int64_t t);
  void shift_in_activations(const ArraySequencer& seq, int64_t t);
  void apply_weight_wavefronts(const ArraySequencer& seq, int64_t t);
  void update_partial_sums();
  void collect_outputs(int64_t t);
  void note_injection(const ArraySequencer& seq, int64_t t);
  void trace_cycle(const ArraySequencer& seq, int64_t t);

  static constexpr int kSlack = 1024;  // activation history slack; the window is moved once per kSlack cycles
  static constexpr int64_t kNone = InjectionRing::kNone;
  int rows_, cols_;
  const std::vector<FoldWork>* folds_ = nullptr;
  std::vector<int32_t> history_;  // per row: [kSlack + cols) activations, window [pos, pos + cols)
  int pos_ = kSlack;
  std::vector<Acc> weights_;  // active weight of each PE (multiplier-free: 1 where the weight is +1)
  std::vector<Acc> psum_;     // partial-sum register of each PE (multiplier-free: the sum of +x)
  // Multiplier-free (ternary/binary) layers: a second partial-sum chain accumulates the x of -1 weights.
  bool multiplier_free_ = false;
  std::vector<Acc> weights_neg_, psum_neg_;
  std::vector<Acc> zeros_;
  InjectionRing ring_;  // which (fold, vector) entered row 0 in each of the last cycles
  size_t wave_fold_ = 0;
  int64_t quiet_from_ = 0;  // from this cycle on, with no new injection, every register is zero
  // Waveform (observers.trace_vcd): injections, weight loads, activations entering each row, bottom-row sums.
  std::unique_ptr<VcdWriter> vcd_;
  int vcd_inject_valid_ = 0, vcd_inject_fold_ = 0, vcd_inject_vector_ = 0, vcd_load_fold_ = 0,
      vcd_load_row_ = 0;
  std::vector<int> vcd_row_in_, vcd_bottom_;
};

}  // namespace deepchip::models
