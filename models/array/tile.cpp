// The `tile` array: one transaction per fold. When a fold starts streaming, its GEMM is computed with the
// golden kernel; the shared sequencer gives it exactly the cycles that `cycle` takes.
#include "models/array/builtin.hpp"
#include "models/array/sequenced.hpp"
#include "models/clock.hpp"

namespace deepchip::models {

namespace {

class TileArray : public SequencedArray {
 public:
  using SequencedArray::SequencedArray;

 protected:
  void begin_run(const std::vector<FoldWork>& folds, int64_t) override {
    folds_ = &folds;
    computed_ = 0;
  }

  void elapse(const ArraySequencer& seq, int64_t, int64_t) override {
    while (computed_ < folds_->size() && seq.stream_start()[computed_] != kNever) {
      const FoldWork& w = (*folds_)[computed_];
      const auto x = w.inputs->block(0, w.k0, w.m, w.kt);
      const auto wt = w.weights->block(w.k0, w.n0, w.kt, w.nt);
      // Exact sums; the output stage wraps them to the accumulator width.
      sim::exact_int_gemm(x, wt, *w.out, scratch_);
      ++computed_;
    }
  }

 private:
  const std::vector<FoldWork>* folds_ = nullptr;
  size_t computed_ = 0;
  sim::GemmScratch scratch_;
};

}  // namespace

std::unique_ptr<ArrayIf> make_tile_array(const sim::HardwareConfig& hw) {
  return std::make_unique<TileArray>(hw);
}

}  // namespace deepchip::models
