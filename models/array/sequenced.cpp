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
  const int64_t quantum = port.quantum_cycles();
  int64_t systemc_now = now;  // SystemC time, which moves on only when this thread waits
  while (!seq.done()) {
    const int64_t next = seq.next_event(now);
    if (next == kNever) throw std::logic_error("array run stalled: no data will arrive for the next fold");
    if (next - systemc_now > quantum) {
      wait_until(next);
      systemc_now = next;
    }
    elapse(seq, now, next);
    now = next;
    seq.advance(now);
    serve_memory();
  }
  wait_until(now);
  seq.hand_over(stats, observers_.timeline != nullptr);
  return stats;
}

}  // namespace deepchip::models
