#include "models/array/sequencer.hpp"

#include <algorithm>

#include "models/clock.hpp"

namespace deepchip::models {

ArraySequencer::ArraySequencer(int rows, int cols, sim::WeightBuffering wb, sim::Dataflow dataflow,
                               int64_t load_cycles, const std::vector<FoldWork>& folds, ArrayDataPort& port,
                               int64_t start_cycle)
    : rows_(rows),
      cols_(cols),
      wb_(wb),
      load_cycles_(dataflow == sim::Dataflow::kOs ? 0 : load_cycles),
      drain_gap_(dataflow == sim::Dataflow::kOs ? rows : 0),
      folds_(folds),
      port_(port),
      loaded_at_(folds.size(), kNever),
      load_start_(folds.size(), kNever),
      start_cycle_(start_cycle),
      stream_start_(folds.size(), kNever),
      last_injection_(folds.size(), kNever),
      done_cycle_(folds.size(), kNever),
      end_cycle_(start_cycle) {
  size_t chunks = 0;  // one run per chunk
  for (const FoldWork& w : folds) chunks += w.chunk_count;
  runs_.reserve(chunks);
}

bool ArraySequencer::bank_free(size_t f, int64_t now) const { return bank_free_cycle(f) <= now; }

void ArraySequencer::try_start_stream(int64_t now) {
  if (running_ || stream_fold_ >= folds_.size()) return;
  const size_t f = stream_fold_;
  if (loaded_at_[f] > now) return;
  if (port_.stream_ready_cycle(f, next_chunk_) > now) return;
  const FoldWork& w = folds_[f];
  const int64_t m0 = w.chunk_start(next_chunk_);
  const int64_t m1 = next_chunk_ + 1 < w.chunk_count ? w.chunk_start(next_chunk_ + 1) : w.vectors;
  if (next_chunk_ == 0) stream_start_[f] = now;
  runs_.push_back({f, m0, m1 - m0, now});
  running_ = true;
  run_end_ = now + (m1 - m0);
}

void ArraySequencer::try_start_load(int64_t now) {
  if (loading_ || next_load_ >= folds_.size()) return;
  if (!bank_free(next_load_, now)) return;
  if (port_.stationary_ready_cycle(next_load_) > now) return;
  loading_ = true;
  load_start_[next_load_] = now;
  load_end_ = now + load_cycles_;
}

void ArraySequencer::finish_load(int64_t now) {
  if (!loading_ || load_end_ > now) return;
  loading_ = false;
  loaded_at_[next_load_] = load_end_;
  port_.stationary_loaded(next_load_, now);
  ++next_load_;
}

void ArraySequencer::advance(int64_t now) {
  // Completions first: they free what the starts below wait for.
  finish_load(now);
  if (running_ && run_end_ <= now) {
    running_ = false;
    const size_t f = stream_fold_;
    port_.chunk_consumed(f, next_chunk_, now);
    if (++next_chunk_ == folds_[f].chunk_count) {
      last_injection_[f] = run_end_ - 1;
      done_cycle_[f] = run_end_ - 1 + rows_ + cols_ - 1;  // exclusive end of the last MAC's cycle
      ++stream_fold_;
      next_chunk_ = 0;
    }
  }
  while (next_done_ < folds_.size() && done_cycle_[next_done_] <= now) {
    port_.fold_done(next_done_, now);
    end_cycle_ = done_cycle_[next_done_];
    ++next_done_;
    ++folds_done_;
  }
  // A stream start (s_f) can free the shadow bank for the next load, so streams start first.
  try_start_stream(now);
  try_start_load(now);
  if (load_cycles_ == 0) {  // os: nothing to load, the fold may stream at once
    finish_load(now);
    try_start_stream(now);
  }
}

int64_t ArraySequencer::bank_free_cycle(size_t f) const {
  if (f == 0) return start_cycle_;
  if (wb_ == sim::WeightBuffering::kSingle) return done_cycle_[f - 1];
  return stream_start_[f - 1] == kNever ? kNever : stream_start_[f - 1] + drain_gap_;
}

int64_t ArraySequencer::stream_free_cycle(size_t f) const {
  if (loaded_at_[f] == kNever) return kNever;
  return f == 0 ? loaded_at_[f] : std::max(loaded_at_[f], last_injection_[f - 1] + 1);
}

void ArraySequencer::hand_over(ArrayRunStats& stats, bool injections) {
  stats.end_cycle = end_cycle_;
  stats.bank_free_cycle.reserve(folds_.size());
  stats.stream_free_cycle.reserve(folds_.size());
  for (size_t f = 0; f < folds_.size(); ++f) {
    stats.bank_free_cycle.push_back(bank_free_cycle(f));
    stats.stream_free_cycle.push_back(stream_free_cycle(f));
  }
  if (injections)
    for (const auto& r : runs_) stats.injections.push_back({r.fold, r.m0, r.count, r.start_cycle});
  stats.fold_done_cycle = std::move(done_cycle_);
  stats.load_start_cycle = std::move(load_start_);
  stats.stream_start_cycle = std::move(stream_start_);
}

int64_t ArraySequencer::next_event(int64_t now) const {
  int64_t next = kNever;
  auto consider = [&](int64_t t) {
    if (t > now) next = std::min(next, t);
  };
  if (loading_) consider(load_end_);
  if (running_) consider(run_end_);
  if (next_done_ < folds_.size()) consider(done_cycle_[next_done_]);
  if (!loading_ && next_load_ < folds_.size()) {
    if (bank_free(next_load_, now))
      consider(port_.stationary_ready_cycle(next_load_));
    else  // os, double: the drain frees the registers R cycles after the previous stream start
      consider(bank_free_cycle(next_load_));
  }
  if (!running_ && stream_fold_ < folds_.size() && loaded_at_[stream_fold_] <= now)
    consider(port_.stream_ready_cycle(stream_fold_, next_chunk_));
  return next;
}

}  // namespace deepchip::models
