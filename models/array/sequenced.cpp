#include "models/array/sequenced.hpp"

#include "models/clock.hpp"

namespace deepchip::models {

ArrayRunStats SequencedArray::run(const std::vector<FoldWork>& folds, ArrayDataPort& port) {
  ArrayRunStats stats;
  int64_t now = now_cycles();
  stats.start_cycle = now;
  port_ = &port;
  ArraySequencer seq(hw_.array_rows, hw_.array_cols, hw_.weight_buffering, folds, port, now);
  begin_run(folds, now);
  seq.advance(now);
  while (!seq.done()) {
    const int64_t next = seq.next_event(now);
    if (next == kNever)
      sc_core::wait(port.issued());
    else
      sc_core::wait(cycles_to_time(next - now), port.issued());
    const int64_t t = now_cycles();
    elapse(seq, now, t);
    now = t;
    seq.advance(now);
  }
  stats.end_cycle = seq.end_cycle();
  stats.fold_done_cycle = seq.fold_done_cycle();
  stats.load_start_cycle = seq.load_start_cycle();
  for (size_t f = 0; f < folds.size(); ++f) stats.bank_free_cycle.push_back(seq.bank_free_cycle(f));
  return stats;
}

}  // namespace deepchip::models
