// One SRAM buffer of the accelerator (input, weight or output): its slots (two when double-buffered: the
// DMA fills one while the array drains the other) and its access counters, in words of its width. The units
// that read or write it count their accesses here; the controller reports a layer's counts from it.
#pragma once
#include <cstdint>
#include <systemc>

#include "sim/map/hardware.hpp"

namespace deepchip::models {

class SramBuffer : public sc_core::sc_module {
 public:
  SramBuffer(sc_core::sc_module_name name, const sim::BufferConfig& config)
      : sc_module(name), config_(config) {}

  // `slots`: transfers the buffer holds at once in this layer (LayerSchedule::*_transfers_ahead).
  void start_layer(int slots) {
    slots_free_ = slots;
    reads_ = writes_ = 0;
  }
  // Takes a free slot for a transfer; false (nothing taken) when both are in use.
  bool take_slot() {
    if (slots_free_ == 0) return false;
    --slots_free_;
    return true;
  }
  void free_slot() { ++slots_free_; }
  bool has_free_slot() const { return slots_free_ > 0; }

  // Words of this buffer that `elements` values of `bits` bits occupy, packed into a word.
  int64_t words(int64_t elements, int bits) const {
    return sim::words_for(elements, bits, config_.word_bits);
  }
  void read(int64_t words) { reads_ += words; }
  void write(int64_t words) { writes_ += words; }
  int64_t reads() const { return reads_; }  // words since the layer started
  int64_t writes() const { return writes_; }

 private:
  const sim::BufferConfig config_;
  int slots_free_ = 0;
  int64_t reads_ = 0, writes_ = 0;
};

}  // namespace deepchip::models
