// The array's timing semantics (models/README.md "Timing model"), shared by every implementation so that they
// agree on cycles by construction; implementations differ in how they compute the numbers.
//
// Cycles are absolute. For fold f: its weights load during R cycles [L_f, L_f + R); its vectors are injected
// one per cycle from s_f >= L_f + R (vector m enters row r at injection + r: the skew); a chunk starts only
// when its data is in the input buffer (else the injection waits: a bubble); fold f is done R + C - 2
// cycles after its last injection (the last MAC of PE(R-1, C-1)).
//   single: L_{f+1} >= done_f (weights load only into an idle array: SCALE-Sim's 2R + C + M - 2 per fold)
//   double: L_{f+1} >= s_f    (the next fold's weights load into the shadow registers while f streams)
//           and s_{f+1} >= last injection of f + 1.
// Input stationary is the same with the fold's input block in the PEs and the N filters streaming. Output
// stationary has no load (L_f + 0): the K steps stream from s_f and fold f is done R + C - 2 cycles after
// the last; single: s_{f+1} >= done_f (SCALE-Sim's K + R + C - 2 per fold); double (a second accumulator
// per PE, drained R sums per column while the next fold streams): s_{f+1} >= s_f + R.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "models/array/array_if.hpp"

namespace deepchip::models {

struct InjectionRun {
  size_t fold = 0;
  int64_t m0 = 0;
  int64_t count = 0;
  int64_t start_cycle = 0;
};

class ArraySequencer {
 public:
  // `load_cycles`: a stationary load's cycles (sim::HardwareConfig::stationary_load_cycles).
  ArraySequencer(int rows, int cols, sim::WeightBuffering wb, sim::Dataflow dataflow, int64_t load_cycles,
                 const std::vector<FoldWork>& folds, ArrayDataPort& port, int64_t start_cycle);

  // Performs every action due at cycle `now`.
  void advance(int64_t now);
  // The next cycle > now at which advance() may act on what is known; kNever if only a DMA issue can help.
  int64_t next_event(int64_t now) const;
  bool done() const { return folds_done_ == folds_.size(); }
  int64_t end_cycle() const { return end_cycle_; }

  const std::vector<InjectionRun>& runs() const { return runs_; }
  const std::vector<int64_t>& stream_start() const { return stream_start_; }  // s_f, kNever if not yet
  const std::vector<int64_t>& fold_done_cycle() const { return done_cycle_; }
  const std::vector<int64_t>& load_start_cycle() const { return load_start_; }
  // When fold f's stationary registers became free (run start, previous fold's first injection or its end;
  // os: previous fold's first injection + R, or its end); kNever while unknown.
  int64_t bank_free_cycle(size_t f) const;
  // When fold f's stream could have started but for its data: loaded, and the previous fold's vectors in.
  int64_t stream_free_cycle(size_t f) const;
  // The run's cycles into `stats` (the injections only if `injections`), the per-fold lists moved rather
  // than copied: the sequencer's last call.
  void hand_over(ArrayRunStats& stats, bool injections);

 private:
  bool bank_free(size_t f, int64_t now) const;
  void finish_load(int64_t now);
  void try_start_stream(int64_t now);
  void try_start_load(int64_t now);

  int rows_, cols_;
  sim::WeightBuffering wb_;
  int64_t load_cycles_;  // ceil(R / rows loaded per cycle); os: 0
  int64_t drain_gap_;    // double buffering: cycles after s_f before the next fold may start (os: R)
  const std::vector<FoldWork>& folds_;
  ArrayDataPort& port_;

  size_t next_load_ = 0;
  bool loading_ = false;
  int64_t load_end_ = 0;
  std::vector<int64_t> loaded_at_;   // L_f + R
  std::vector<int64_t> load_start_;  // L_f
  int64_t start_cycle_ = 0;

  size_t stream_fold_ = 0;
  size_t next_chunk_ = 0;
  bool running_ = false;
  int64_t run_end_ = 0;

  std::vector<int64_t> stream_start_;
  std::vector<int64_t> last_injection_;
  std::vector<int64_t> done_cycle_;
  size_t folds_done_ = 0;
  size_t next_done_ = 0;
  int64_t end_cycle_ = 0;
  std::vector<InjectionRun> runs_;
};

}  // namespace deepchip::models
