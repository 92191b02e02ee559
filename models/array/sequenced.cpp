#include "models/array/sequenced.hpp"

#include <stdexcept>

#include "models/clock.hpp"

namespace deepchip::models {

// The run is temporally decoupled: `now` is the array's local cycle, up to the port's quantum ahead of
// SystemC time, which catches up at the end. The order of actions is that of a DMA thread woken by delta
// notifications: at a cycle the array acts first (completions, then starts), then the memory side issues
// what the freed slots allow, and if that made data known the array acts again at the same cycle, until
// neither can. So every transfer reaches the memory at the same cycle and in the same order.
ArrayRunStats SequencedArray::run(const std::vector<FoldWork>& folds, ArrayDataPort& port) {
  ArrayRunStats stats;
  int64_t now = now_cycles();
  stats.start_cycle = now;
  port_ = &port;
  ArraySequencer seq(hw_.array_rows, hw_.array_cols, hw_.weight_buffering, hw_.dataflow,
                     hw_.stationary_load_cycles(), folds, port, now);
  begin_run(folds, now);
  auto serve_memory = [&] {
    while (port.issue_transfers(now)) {
      elapse(seq, now, now);
      seq.advance(now);
    }
  };
  seq.advance(now);
  serve_memory();
  while (!seq.done()) {
    const int64_t next = seq.next_event(now);
    if (next == kNever) throw std::logic_error("array run stalled: no data will arrive for the next fold");
    if (next - now_cycles() > port.quantum_cycles()) wait_until(next);
    elapse(seq, now, next);
    now = next;
    seq.advance(now);
    serve_memory();
  }
  wait_until(now);
  stats.end_cycle = seq.end_cycle();
  stats.fold_done_cycle = seq.fold_done_cycle();
  stats.load_start_cycle = seq.load_start_cycle();
  stats.stream_start_cycle = seq.stream_start();
  stats.bank_free_cycle.reserve(folds.size());
  stats.stream_free_cycle.reserve(folds.size());
  for (size_t f = 0; f < folds.size(); ++f) {
    stats.bank_free_cycle.push_back(seq.bank_free_cycle(f));
    stats.stream_free_cycle.push_back(seq.stream_free_cycle(f));
  }
  if (observers_.timeline)
    for (const auto& r : seq.runs()) stats.injections.push_back({r.fold, r.m0, r.count, r.start_cycle});
  return stats;
}

}  // namespace deepchip::models
