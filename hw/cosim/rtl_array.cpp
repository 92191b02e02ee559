#include "hw/cosim/rtl_array.hpp"

// With SystemC seen first, Verilator's headers call sc_time_stamp() unqualified.
using sc_core::sc_time_stamp;
// Verilator's headers are not warning-clean under -Wextra.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <verilated.h>
#include <verilated_vcd_c.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "Vws_array_4_broken.h"
#include "Vws_array_t4.h"
#include "Vws_array_t8.h"
#include "hw/cosim/verilator_ports.hpp"
#include "hw/rtl_sizes.hpp"  // generated: DEEPCHIP_FOR_EACH_RTL_SIZE and its models' headers
#include "models/array/sequenced.hpp"
#include "models/clock.hpp"
#include "sim/io/output_file.hpp"
#include "sim/util/enum_names.hpp"
#pragma GCC diagnostic pop

namespace deepchip::hw {

namespace {

// Verilator's VCD output into an OutputFile (checked writes, replaced only when the run's outputs commit).
class OutputFileVcd final : public VerilatedVcdFile {
 public:
  explicit OutputFileVcd(sim::OutputFile& out) : out_(out) {}
  bool open(const std::string&) override { return true; }
  void close() override {}
  ssize_t write(const char* data, ssize_t size) override {
    out_.write(data, static_cast<size_t>(size));
    return size;
  }

 private:
  sim::OutputFile& out_;
};

template <typename V>
class RtlDriver {
 public:
  RtlDriver(const sim::HardwareConfig& hw, bool ternary, sim::OutputSet* outputs, const std::string& vcd)
      : hw_(hw), ternary_(ternary), context_(std::make_unique<VerilatedContext>()) {
    if (!vcd.empty()) context_->traceEverOn(true);
    model_ = std::make_unique<V>(context_.get());
    if (!vcd.empty()) {
      trace_file_ = std::make_unique<OutputFileVcd>(sim::OutputSet::open_in(outputs, vcd, "--trace"));
      trace_ = std::make_unique<VerilatedVcdC>(trace_file_.get());
      model_->trace(trace_.get(), 3);
      trace_->open(vcd.c_str());
    }
  }
  ~RtlDriver() {
    if (trace_) trace_->close();
    model_->final();
  }

  void begin_run(const std::vector<models::FoldWork>& folds, int64_t start_cycle) {
    folds_ = &folds;
    run_index_ = 0;
    load_cursor_ = 0;
    ring_fold_.assign(kRing, -1);
    ring_m_.assign(kRing, 0);
    quiet_from_ = start_cycle;
    model_->pos_scale = static_cast<uint16_t>(folds.empty() ? 1 : folds.front().pos_scale);
    model_->neg_scale = static_cast<uint16_t>(folds.empty() ? 1 : folds.front().neg_scale);
    model_->rst = 1;  // a reset edge outside simulated time: every register to zero
    tick(-1);
    model_->rst = 0;
  }

  void elapse(const models::ArraySequencer& seq, int64_t from, int64_t to) {
    const auto& runs = seq.runs();
    for (int64_t t = from; t < to; ++t) {
      while (run_index_ < runs.size() && runs[run_index_].start_cycle + runs[run_index_].count <= t)
        ++run_index_;
      const bool injecting = run_index_ < runs.size() && runs[run_index_].start_cycle <= t;
      const int loading_fold = fold_loading_at(seq, t);
      if (!injecting && loading_fold < 0 && t >= quiet_from_) {
        // Every activation, switch and partial-sum register is zero and no weight moves: edges change
        // nothing.
        std::fill(ring_fold_.begin(), ring_fold_.end(), -1);
        int64_t next = run_index_ < runs.size() ? std::min(runs[run_index_].start_cycle, to) : to;
        for (size_t f = load_cursor_; f < seq.load_start_cycle().size(); ++f) {
          const int64_t l = seq.load_start_cycle()[f];
          if (l != models::kNever && l > t) next = std::min(next, l);
        }
        t = next - 1;
        continue;
      }
      drive_injection(injecting ? &runs[run_index_] : nullptr, t);
      drive_weights(seq, loading_fold, t);
      tick(t);
      read_outputs(t);
    }
  }

 private:
  static constexpr size_t kRing = 4096;  // > ROWS + COLS for every built size

  // Loads happen one fold after another: follow them with a cursor instead of searching every cycle.
  int fold_loading_at(const models::ArraySequencer& seq, int64_t t) {
    const auto& starts = seq.load_start_cycle();
    while (load_cursor_ < starts.size() && starts[load_cursor_] != models::kNever &&
           starts[load_cursor_] + hw_.array_rows <= t)
      ++load_cursor_;
    if (load_cursor_ < starts.size() && starts[load_cursor_] != models::kNever && starts[load_cursor_] <= t)
      return static_cast<int>(load_cursor_);
    return -1;
  }

  void drive_injection(const models::InjectionRun* run, int64_t t) {
    const size_t slot = static_cast<size_t>(t) % kRing;
    ring_fold_[slot] = -1;
    clear(model_->in_data);
    model_->in_valid = 0;
    model_->in_switch = 0;
    if (!run) return;
    const models::FoldWork& w = (*folds_)[run->fold];
    const int64_t m = run->m0 + (t - run->start_cycle);
    model_->in_valid = 1;
    model_->in_switch = m == 0 ? 1 : 0;
    for (int64_t r = 0; r < w.kt; ++r)
      set_field(model_->in_data, static_cast<int>(r) * kActBits, kActBits,
                static_cast<uint64_t>(static_cast<int64_t>((*w.inputs)(w.m0 + m, w.k0 + r))));
    ring_fold_[slot] = static_cast<int64_t>(run->fold);
    ring_m_[slot] = m;
    quiet_from_ = t + hw_.array_rows + hw_.array_cols;
  }

  // Weight row j of the loading fold enters at its load cycle L + j (zeros outside the fold's kt x nt);
  // the ternary datapath takes 2-bit codes (01: +1, 11: -1).
  void drive_weights(const models::ArraySequencer& seq, int fold, int64_t t) {
    clear(model_->w_data);
    model_->w_valid = 0;
    model_->w_row = 0;
    if (fold < 0) return;
    const models::FoldWork& w = (*folds_)[static_cast<size_t>(fold)];
    const int64_t j = t - seq.load_start_cycle()[static_cast<size_t>(fold)];
    model_->w_valid = 1;
    model_->w_row = static_cast<uint32_t>(j);
    if (j >= w.kt) return;
    for (int64_t c = 0; c < w.nt; ++c) {
      const int64_t weight = (*w.weights)(w.k0 + j, w.n0 + c);
      const uint64_t field =
          ternary_ ? (weight > 0 ? 1u : (weight < 0 ? 3u : 0u)) : static_cast<uint64_t>(weight);
      set_field(model_->w_data, static_cast<int>(c) * kWeightBits, kWeightBits, field);
    }
  }

  // The vector injected at t - (R + C - 2) leaves the de-skew registers at edge t.
  void read_outputs(int64_t t) {
    if (!model_->out_valid) return;
    const int64_t injected = t - (hw_.array_rows + hw_.array_cols - 2);
    const size_t slot = static_cast<size_t>(injected) % kRing;
    if (injected < 0 || ring_fold_[slot] < 0) return;
    const models::FoldWork& w = (*folds_)[static_cast<size_t>(ring_fold_[slot])];
    if (w.emerged) {
      if (w.emerged->size() != static_cast<size_t>(w.m)) w.emerged->assign(static_cast<size_t>(w.m), -1);
      (*w.emerged)[static_cast<size_t>(ring_m_[slot])] = t;
    }
    for (int64_t c = 0; c < w.nt; ++c)
      w.out.add(ring_m_[slot], c, static_cast<int32_t>(get_word(model_->out_data, static_cast<int>(c))));
  }

  void tick(int64_t t) {
    model_->clk = 0;
    model_->eval();
    if (trace_ && t >= 0) trace_->dump(static_cast<uint64_t>(2 * t));
    model_->clk = 1;
    model_->eval();
    if (trace_ && t >= 0) trace_->dump(static_cast<uint64_t>(2 * t + 1));
  }

  const sim::HardwareConfig hw_;
  const bool ternary_;
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<V> model_;
  std::unique_ptr<OutputFileVcd> trace_file_;  // outlives trace_, which writes into it until closed
  std::unique_ptr<VerilatedVcdC> trace_;
  const std::vector<models::FoldWork>* folds_ = nullptr;
  size_t run_index_ = 0;
  size_t load_cursor_ = 0;
  std::vector<int64_t> ring_fold_, ring_m_;
  int64_t quiet_from_ = 0;
};

struct NoTernaryModel {};

// The rtl array: the int datapath, and where built the multiplier-free datapath for ternary/binary layers.
template <typename V, typename VT = NoTernaryModel>
class RtlArray : public models::SequencedArray {
 public:
  RtlArray(const sim::HardwareConfig& hw, const sim::Observers& observers)
      : SequencedArray(hw, observers), int_(hw, false, observers.outputs, observers.trace_vcd) {
    const std::string& vcd = observers.trace_vcd;
    if constexpr (!std::is_same_v<VT, NoTernaryModel>)
      ternary_ = std::make_unique<RtlDriver<VT>>(hw, true, observers.outputs,
                                                 vcd.empty() ? "" : vcd + ".ternary.vcd");
  }

 protected:
  void begin_run(const std::vector<models::FoldWork>& folds, int64_t start_cycle) override {
    use_ternary_ = false;
    if constexpr (!std::is_same_v<VT, NoTernaryModel>)
      use_ternary_ = !folds.empty() && folds.front().multiplier_free;
    if constexpr (!std::is_same_v<VT, NoTernaryModel>)
      if (use_ternary_) return ternary_->begin_run(folds, start_cycle);
    int_.begin_run(folds, start_cycle);
  }
  void elapse(const models::ArraySequencer& seq, int64_t from, int64_t to) override {
    if constexpr (!std::is_same_v<VT, NoTernaryModel>)
      if (use_ternary_) return ternary_->elapse(seq, from, to);
    int_.elapse(seq, from, to);
  }

 private:
  RtlDriver<V> int_;
  std::conditional_t<std::is_same_v<VT, NoTernaryModel>, int, std::unique_ptr<RtlDriver<VT>>> ternary_{};
  bool use_ternary_ = false;
};

std::unique_ptr<models::ArrayIf> make_rtl_array(const sim::HardwareConfig& hw,
                                                const sim::Observers& observers) {
  switch (hw.array_rows) {
#define DEEPCHIP_RTL_CASE(size, Model, TernaryModel) \
  case size:                                         \
    return std::make_unique<RtlArray<Model, TernaryModel>>(hw, observers);
    DEEPCHIP_FOR_EACH_RTL_SIZE(DEEPCHIP_RTL_CASE)
#undef DEEPCHIP_RTL_CASE
    default:
      break;
  }
  return nullptr;
}

// The square sizes built as Verilated models (CMake DEEPCHIP_RTL_SIZES).
std::vector<int> built_sizes() {
#define DEEPCHIP_RTL_SIZE(size, Model, TernaryModel) size,
  return {DEEPCHIP_FOR_EACH_RTL_SIZE(DEEPCHIP_RTL_SIZE)};
#undef DEEPCHIP_RTL_SIZE
}

const bool kRegistered = models::register_array_impl(sim::ArrayImpl::kRtl, &make_rtl_array, &rtl_problem);

}  // namespace

std::string rtl_problem(const sim::HardwareConfig& hw) {
  if (hw.dataflow != sim::Dataflow::kWs)
    return std::string("rtl array is weight-stationary: dataflow ") + sim::name_of(hw.dataflow) +
           " runs on array_impl cycle, tile or timing";
  if (hw.weight_load_rows != 1)
    return "rtl array loads one weight row per cycle: weight_load_rows " +
           std::to_string(hw.weight_load_rows) + " runs on array_impl cycle, tile or timing";
  const auto sizes = built_sizes();
  if (hw.array_rows != hw.array_cols || std::find(sizes.begin(), sizes.end(), hw.array_rows) == sizes.end()) {
    std::string list;
    for (int n : sizes) list += " " + std::to_string(n) + "x" + std::to_string(n);
    return "rtl array is built for" + list + " only, not " + std::to_string(hw.array_rows) + "x" +
           std::to_string(hw.array_cols);
  }
  if (hw.accumulator_bits > kAccBits)
    return "rtl array accumulators are 32 bits, not " + std::to_string(hw.accumulator_bits);
  return "";
}

std::unique_ptr<models::ArrayIf> make_broken_rtl_array(const sim::HardwareConfig& hw,
                                                       const sim::Observers& observers) {
  if (hw.array_rows != 4 || hw.array_cols != 4) return nullptr;
  return std::make_unique<RtlArray<Vws_array_4_broken>>(hw, observers);
}

bool rtl_array_registered() { return kRegistered; }

}  // namespace deepchip::hw
