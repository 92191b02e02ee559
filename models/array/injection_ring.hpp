// What entered the array at each of the last cycles: the (fold, vector) the sequencer's injection runs put
// in, or nothing. The cycle-level arrays (cycle.cpp, cycle_os.cpp) look back along their skew, at most
// R + C - 1 cycles, to know which vector an edge or a PE sees; the ring keeps a power of two >= R + C + 2.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "models/array/sequencer.hpp"

namespace deepchip::models {

class InjectionRing {
 public:
  static constexpr int64_t kNone = -1;

  InjectionRing(int rows, int cols) {
    int64_t size = 1;
    while (size < int64_t{rows} + cols + 2) size <<= 1;
    mask_ = size - 1;
  }

  void reset() {
    fold_.assign(static_cast<size_t>(mask_ + 1), kNone);
    vector_.assign(static_cast<size_t>(mask_ + 1), 0);
    run_index_ = 0;
  }
  void clear() { std::fill(fold_.begin(), fold_.end(), kNone); }

  // Moves past the runs that ended before cycle t; true if a run injects at t.
  bool injecting(const std::vector<InjectionRun>& runs, int64_t t) {
    while (run_index_ < runs.size() && runs[run_index_].start_cycle + runs[run_index_].count <= t)
      ++run_index_;
    return run_index_ < runs.size() && runs[run_index_].start_cycle <= t;
  }
  // The next run's first cycle, or `otherwise` when no run is left.
  int64_t next_start(const std::vector<InjectionRun>& runs, int64_t otherwise) const {
    return run_index_ < runs.size() ? runs[run_index_].start_cycle : otherwise;
  }
  // Records what enters at cycle t (after injecting(runs, t)); true if something does.
  bool note(const std::vector<InjectionRun>& runs, int64_t t) {
    const size_t slot = static_cast<size_t>(t & mask_);
    fold_[slot] = kNone;
    if (run_index_ >= runs.size() || runs[run_index_].start_cycle > t) return false;
    const InjectionRun& r = runs[run_index_];
    fold_[slot] = static_cast<int64_t>(r.fold);
    vector_[slot] = r.m0 + (t - r.start_cycle);
    return true;
  }

  // The fold injected at cycle t (kNone if nothing was, or t < 0) and its vector.
  int64_t fold(int64_t t) const { return t < 0 ? kNone : fold_[static_cast<size_t>(t & mask_)]; }
  int64_t vector(int64_t t) const { return vector_[static_cast<size_t>(t & mask_)]; }

 private:
  int64_t mask_ = 0;
  std::vector<int64_t> fold_, vector_;
  size_t run_index_ = 0;
};

}  // namespace deepchip::models
