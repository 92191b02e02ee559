#include "models/dram.hpp"

#include <algorithm>
#include <cmath>

namespace deepchip::models {

int64_t Dram::transfer(int64_t now, int64_t bytes) {
  if (bytes <= 0 || hw_.memory == sim::MemoryModel::kIdeal) return now;
  bytes_moved_ += bytes;
  const int64_t start = std::max(now, busy_until_);
  const auto occupancy =
      static_cast<int64_t>(std::ceil(static_cast<double>(bytes) / hw_.dram_bandwidth_bytes_per_cycle));
  busy_until_ = start + occupancy;
  return busy_until_ + hw_.dram_latency_cycles;
}

}  // namespace deepchip::models
