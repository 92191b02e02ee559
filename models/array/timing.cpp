// The `timing` array: the shared sequencer alone. It plays the same folds at the same cycles as `tile` and
// `cycle` and computes no data (the accelerator then moves no data either), so a point's cycles, stalls
// and counters cost only the sequencing and the memory events.
#include "models/array/builtin.hpp"
#include "models/array/sequenced.hpp"

namespace deepchip::models {

namespace {

class TimingArray : public SequencedArray {
 public:
  using SequencedArray::SequencedArray;

 protected:
  void begin_run(const std::vector<FoldWork>&, int64_t) override {}
  void elapse(const ArraySequencer&, int64_t, int64_t) override {}
};

}  // namespace

std::unique_ptr<ArrayIf> make_timing_array(const sim::HardwareConfig& hw, const sim::Observers& observers) {
  return std::make_unique<TimingArray>(hw, observers);
}

}  // namespace deepchip::models
