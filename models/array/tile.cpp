// The `tile` array: one transaction per fold. When a fold starts streaming, its GEMM (its M, K and N
// ranges, whatever the dataflow) is computed with an exact kernel and added into the fold's accumulators; the
// shared sequencer gives it exactly the cycles that `cycle` takes. Where float holds every partial sum
// exactly (sim::float_gemm_is_exact, e.g. 8-bit operands), the run's input matrices are converted to float
// once and each fold multiplies a block of them; otherwise the fold goes through sim::exact_int_gemm (double
// or int64).
#include <algorithm>
#include <map>

#include "models/array/builtin.hpp"
#include "models/array/sequenced.hpp"
#include "models/clock.hpp"

namespace deepchip::models {

namespace {

// out (m x nt, row stride out_stride) += x[:, 0 : kt] * w (kt x nt), each fold sum exact in float. A
// register-blocked direct kernel: for the small kt x nt blocks of a fold, a general GEMM spends more time
// packing the M x kt block than multiplying it. Four output rows by eight columns stay in registers over the
// k loop; `w` is padded to `w_cols` (a multiple of 8) with zeros.
using Lanes = float __attribute__((vector_size(32)));
constexpr int64_t kLanes = 8;

using Int32Lanes = int32_t __attribute__((vector_size(32)));
using Int64Lanes = int64_t __attribute__((vector_size(64)));

template <int Rows>
inline void row_block(const float* x, int64_t x_cols, int64_t kt, const float* w, int64_t w_cols, int64_t n0,
                      int64_t n_count, int64_t* out, int64_t out_stride) {
  Lanes acc[Rows] = {};
  for (int64_t k = 0; k < kt; ++k) {
    Lanes wv;
    __builtin_memcpy(&wv, w + k * w_cols + n0, sizeof wv);
    for (int r = 0; r < Rows; ++r) acc[r] += x[r * x_cols + k] * wv;
  }
  for (int r = 0; r < Rows; ++r) {
    int64_t* row = out + r * out_stride + n0;
    if (n_count == kLanes) {  // every sum is an exact integer below 2^24: through int32 without rounding
      Int64Lanes sums = __builtin_convertvector(__builtin_convertvector(acc[r], Int32Lanes), Int64Lanes);
      Int64Lanes old;
      __builtin_memcpy(&old, row, sizeof old);
      sums += old;
      __builtin_memcpy(row, &sums, sizeof sums);
    } else {
      for (int64_t n = 0; n < n_count; ++n) row[n] += static_cast<int64_t>(acc[r][n]);
    }
  }
}

__attribute__((target_clones("arch=x86-64-v3", "default"))) void fold_product(const float* x, int64_t x_cols,
                                                                              int64_t m, int64_t kt,
                                                                              const float* w, int64_t w_cols,
                                                                              int64_t nt, int64_t* out,
                                                                              int64_t out_stride) {
  constexpr int kRows = 4;
  for (int64_t n0 = 0; n0 < nt; n0 += kLanes) {
    const int64_t n_count = std::min(kLanes, nt - n0);
    int64_t i = 0;
    for (; i + kRows <= m; i += kRows)
      row_block<kRows>(x + i * x_cols, x_cols, kt, w, w_cols, n0, n_count, out + i * out_stride, out_stride);
    for (; i < m; ++i)
      row_block<1>(x + i * x_cols, x_cols, kt, w, w_cols, n0, n_count, out + i * out_stride, out_stride);
  }
}

// A group's input matrix as floats, converted once per run when first used, and its largest magnitude.
struct FloatInputs {
  sim::RowMatrix<float> values;
  double max_abs = 0;
  bool converted = false;
};

class TileArray : public SequencedArray {
 public:
  using SequencedArray::SequencedArray;

 protected:
  void begin_run(const std::vector<FoldWork>& folds, int64_t) override {
    folds_ = &folds;
    computed_ = 0;
    inputs_.clear();
  }

  void elapse(const ArraySequencer& seq, int64_t, int64_t) override {
    while (computed_ < folds_->size() && seq.stream_start()[computed_] != kNever) {
      compute((*folds_)[computed_]);
      ++computed_;
    }
  }

 private:
  // A fold's weights are copied when it starts: with Huffman coding the weight decoder fills the matrix
  // fold by fold during the run.
  void compute(const FoldWork& w) {
    const auto x = w.inputs->block(w.m0, w.k0, w.m, w.kt);
    const auto wt = w.weights->block(w.k0, w.n0, w.kt, w.nt);
    const double max_w = wt.size() ? static_cast<double>(wt.cwiseAbs().maxCoeff()) : 0.0;
    FloatInputs& in = float_inputs(*w.inputs);
    if (!sim::float_gemm_is_exact(w.kt, in.max_abs, max_w)) {
      sim::exact_int_gemm(x, wt, product_, scratch_);  // exact sums; the output stage wraps them
      Eigen::Map<sim::RowMatrix<int64_t>, 0, Eigen::OuterStride<>>(
          w.out.data, w.m, w.nt, Eigen::OuterStride<>(w.out.stride)) += product_;
      return;
    }
    if (!in.converted) {
      in.values = w.inputs->cast<float>();
      in.converted = true;
    }
    const int64_t padded_cols = (w.nt + kLanes - 1) / kLanes * kLanes;
    weights_.setZero(w.kt, padded_cols);
    weights_.leftCols(w.nt) = wt.cast<float>();
    fold_product(in.values.data() + w.m0 * in.values.cols() + w.k0, in.values.cols(), w.m, w.kt,
                 weights_.data(), padded_cols, w.nt, w.out.data, w.out.stride);
  }

  FloatInputs& float_inputs(const sim::RowMatrix<int32_t>& inputs) {
    auto [it, added] = inputs_.try_emplace(&inputs);
    if (added) it->second.max_abs = inputs.size() ? static_cast<double>(inputs.cwiseAbs().maxCoeff()) : 0.0;
    return it->second;
  }

  const std::vector<FoldWork>* folds_ = nullptr;
  size_t computed_ = 0;
  std::map<const sim::RowMatrix<int32_t>*, FloatInputs> inputs_;  // per group of the run
  sim::RowMatrix<float> weights_;  // the current fold's, padded to a multiple of 8 columns with zeros
  sim::GemmScratch scratch_;
  sim::RowMatrix<int64_t> product_;  // a fold's sums on the exact-integer path
};

}  // namespace

std::unique_ptr<ArrayIf> make_tile_array(const sim::HardwareConfig& hw, const sim::Observers& observers) {
  return std::make_unique<TileArray>(hw, observers);
}

}  // namespace deepchip::models
