#include "hw/cosim/rtl_controlled.hpp"

// With SystemC seen first, Verilator's headers call sc_time_stamp() unqualified.
#include <systemc>
using sc_core::sc_time_stamp;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <verilated.h>

#include "Vws_top_4.h"
#include "Vws_top_8.h"
#pragma GCC diagnostic pop

#include <sstream>

#include "hw/cosim/verilator_ports.hpp"
#include "models/array/sequenced.hpp"
#include "models/clock.hpp"

namespace deepchip::hw {

namespace {

template <typename V>
class Controlled : public models::SequencedArray {
 public:
  explicit Controlled(const sim::HardwareConfig& hw)
      : SequencedArray(hw, {}), context_(std::make_unique<VerilatedContext>()) {
    model_ = std::make_unique<V>(context_.get());
  }
  ~Controlled() override { model_->final(); }
  const std::string& divergence() const { return divergence_; }

 protected:
  void begin_run(const std::vector<models::FoldWork>& folds, int64_t) override {
    folds_ = &folds;
    in_fold_ = in_vector_ = 0;
    w_fold_ = w_row_ = 0;
    ring_fold_.assign(kRing, -1);
    ring_m_.assign(kRing, 0);
    model_->double_buffered = hw_.weight_buffering == sim::WeightBuffering::kDouble ? 1 : 0;
    model_->rst = 1;
    tick();
    model_->rst = 0;
  }

  void elapse(const models::ArraySequencer& seq, int64_t from, int64_t to) override {
    for (int64_t t = from; t < to; ++t) {
      present_streams(t);
      model_->clk = 0;
      model_->eval();  // the controller's decisions for cycle t (combinational)
      compare_with_sequencer(seq, t);
      const bool injected = model_->ib_ready, loaded_row = model_->wb_ready;
      const size_t slot = static_cast<size_t>(t) % kRing;
      ring_fold_[slot] = injected ? static_cast<int64_t>(in_fold_) : -1;
      ring_m_[slot] = injected ? in_vector_ : 0;
      model_->clk = 1;
      model_->eval();
      if (injected) advance_input();
      if (loaded_row) advance_weights();
      read_outputs(t);
    }
  }

 private:
  static constexpr size_t kRing = 4096;

  size_t chunk_of(const models::FoldWork& w, int64_t m) const {
    size_t c = 0;
    while (c + 1 < w.chunk_count && w.chunk_start(c + 1) <= m) ++c;
    return c;
  }

  // The buffers: the next input vector and the next weight row, valid once their data is in.
  void present_streams(int64_t t) {
    const auto& folds = *folds_;
    clear(model_->ib_data);
    model_->ib_valid = model_->ib_first = model_->ib_last = 0;
    if (in_fold_ < folds.size()) {
      const models::FoldWork& w = folds[in_fold_];
      model_->ib_valid = port_->stream_ready_cycle(in_fold_, chunk_of(w, in_vector_)) <= t ? 1 : 0;
      model_->ib_first = in_vector_ == 0 ? 1 : 0;
      model_->ib_last = in_vector_ == w.m - 1 ? 1 : 0;
      for (int64_t r = 0; r < w.kt; ++r)
        set_field(model_->ib_data, static_cast<int>(r) * kActBits, kActBits,
                  static_cast<uint64_t>(static_cast<int64_t>((*w.inputs)(w.m0 + in_vector_, w.k0 + r))));
    }
    clear(model_->wb_data);
    model_->wb_valid = model_->wb_first = 0;
    if (w_fold_ < folds.size()) {
      const models::FoldWork& w = folds[w_fold_];
      model_->wb_valid = port_->stationary_ready_cycle(w_fold_) <= t ? 1 : 0;
      model_->wb_first = w_row_ == 0 ? 1 : 0;
      if (w_row_ < w.kt)
        for (int64_t c = 0; c < w.nt; ++c)
          set_field(model_->wb_data, static_cast<int>(c) * kWeightBits, kWeightBits,
                    static_cast<uint64_t>(static_cast<int64_t>((*w.weights)(w.k0 + w_row_, w.n0 + c))));
    }
  }

  void advance_input() {
    const models::FoldWork& w = (*folds_)[in_fold_];
    if (++in_vector_ == w.m) ++in_fold_, in_vector_ = 0;
  }
  void advance_weights() {
    if (++w_row_ == hw_.array_rows) ++w_fold_, w_row_ = 0;
  }

  void compare_with_sequencer(const models::ArraySequencer& seq, int64_t t) {
    if (!divergence_.empty()) return;
    bool seq_inject = false;
    for (const auto& r : seq.runs())
      if (r.start_cycle <= t && t < r.start_cycle + r.count) seq_inject = true;
    int64_t seq_row = -1;
    const auto& starts = seq.load_start_cycle();
    for (size_t f = 0; f < starts.size(); ++f)
      if (starts[f] != models::kNever && starts[f] <= t && t < starts[f] + hw_.array_rows)
        seq_row = t - starts[f];
    const bool rtl_inject = model_->ib_ready;
    const int64_t rtl_row = model_->load_row_valid ? static_cast<int64_t>(model_->load_row) : -1;
    if (rtl_inject != seq_inject || rtl_row != seq_row) {
      std::ostringstream os;
      os << "cycle " << t << ": RTL controller " << (rtl_inject ? "injects" : "does not inject")
         << " and loads row " << rtl_row << "; the sequencer " << (seq_inject ? "injects" : "does not inject")
         << " and loads row " << seq_row;
      divergence_ = os.str();
    }
  }

  void read_outputs(int64_t t) {
    if (!model_->out_valid) return;
    const int64_t injected = t - (hw_.array_rows + hw_.array_cols - 2);
    if (injected < 0) return;
    const size_t slot = static_cast<size_t>(injected) % kRing;
    if (ring_fold_[slot] < 0) return;
    const models::FoldWork& w = (*folds_)[static_cast<size_t>(ring_fold_[slot])];
    if (w.emerged) {
      if (w.emerged->size() != static_cast<size_t>(w.m)) w.emerged->assign(static_cast<size_t>(w.m), -1);
      (*w.emerged)[static_cast<size_t>(ring_m_[slot])] = t;
    }
    for (int64_t c = 0; c < w.nt; ++c)
      w.out.add(ring_m_[slot], c, static_cast<int32_t>(get_word(model_->out_data, static_cast<int>(c))));
  }

  void tick() {
    model_->clk = 0;
    model_->eval();
    model_->clk = 1;
    model_->eval();
  }

  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<V> model_;
  const std::vector<models::FoldWork>* folds_ = nullptr;
  size_t in_fold_ = 0, w_fold_ = 0;
  int64_t in_vector_ = 0, w_row_ = 0;
  std::vector<int64_t> ring_fold_, ring_m_;
  std::string divergence_;
};

template <typename V>
class ControlledImpl : public ControlledRtlArray {
 public:
  explicit ControlledImpl(const sim::HardwareConfig& hw) : array_(hw) {}
  models::ArrayRunStats run(const std::vector<models::FoldWork>& folds,
                            models::ArrayDataPort& port) override {
    return array_.run(folds, port);
  }
  std::string first_divergence() const override { return array_.divergence(); }

 private:
  Controlled<V> array_;
};

}  // namespace

std::unique_ptr<ControlledRtlArray> make_controlled_rtl_array(const sim::HardwareConfig& hw) {
  if (hw.array_rows != hw.array_cols) return nullptr;
  if (hw.array_rows == 4) return std::make_unique<ControlledImpl<Vws_top_4>>(hw);
  if (hw.array_rows == 8) return std::make_unique<ControlledImpl<Vws_top_8>>(hw);
  return nullptr;
}

}  // namespace deepchip::hw
