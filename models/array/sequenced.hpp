// Common driver of the array implementations: runs the shared sequencer and lets the implementation
// compute the numbers for the cycles that elapse between sequencer events (cycle, tile, timing, rtl).
#pragma once
#include "models/array/array_if.hpp"
#include "models/array/sequencer.hpp"

namespace deepchip::models {

class SequencedArray : public ArrayIf {
 public:
  SequencedArray(const sim::HardwareConfig& hw, const sim::Observers& observers)
      : hw_(hw), observers_(observers) {}
  ArrayRunStats run(const std::vector<FoldWork>& folds, ArrayDataPort& port) final;

 protected:
  virtual void begin_run(const std::vector<FoldWork>& folds, int64_t start_cycle) = 0;
  // Computes whatever the cycles [from, to) produce. Called before advance(to), so outputs of a fold exist
  // before the controller is told the fold is done.
  virtual void elapse(const ArraySequencer& seq, int64_t from, int64_t to) = 0;
  const sim::HardwareConfig hw_;    // a copy: arrays outlive the configs they are made from
  const sim::Observers observers_;  // a copy, as hw_
  ArrayDataPort* port_ = nullptr;   // the port of the run in progress
};

}  // namespace deepchip::models
