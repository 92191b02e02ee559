// DRAM: one channel of `bandwidth` bytes per cycle serving transfers in issue order (first come, first
// served), plus a fixed latency. A transfer of B bytes issued at cycle t starts at max(t, busy_until),
// occupies the channel ceil(B / bandwidth) cycles and its data is usable `latency` cycles after that.
// The `ideal` memory model delivers every transfer at once (for timing studies of the array alone).
#pragma once
#include <cstdint>

#include "sim/hardware.hpp"

namespace deepchip::models {

class Dram {
 public:
  explicit Dram(const sim::HardwareConfig& hw) : hw_(hw) {}
  // Returns the cycle at which the transfer's data is complete.
  int64_t transfer(int64_t now, int64_t bytes);
  int64_t bytes_moved() const { return bytes_moved_; }

 private:
  const sim::HardwareConfig& hw_;
  int64_t busy_until_ = 0;
  int64_t bytes_moved_ = 0;
};

}  // namespace deepchip::models
