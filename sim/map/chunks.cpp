#include "sim/map/chunks.hpp"

#include <algorithm>

namespace deepchip::sim {

// Splits `m` vectors into the fewest equal chunks whose share of `bytes` fits `slot_bytes`.
Chunks make_chunks(int64_t m, int64_t bytes, int64_t psum_bytes, int64_t slot_bytes) {
  const int64_t total = bytes + psum_bytes;
  int64_t n = std::max<int64_t>(1, (total + slot_bytes - 1) / std::max<int64_t>(slot_bytes, 1));
  n = std::min(n, m);
  Chunks chunks;
  const int64_t per = (m + n - 1) / n;
  chunks.reserve(static_cast<size_t>((m + per - 1) / per));
  for (int64_t m0 = 0; m0 < m; m0 += per) {
    Chunk c;
    c.m0 = m0;
    c.count = std::min(per, m - m0);
    // Bytes shared in proportion to vectors, exact in total (cumulative rounding).
    c.input_dram_bytes = bytes * (m0 + c.count) / m - bytes * m0 / m;
    c.psum_dram_bytes = psum_bytes * (m0 + c.count) / m - psum_bytes * m0 / m;
    chunks.push_back(c);
  }
  return chunks;
}

// is/os: the fewest equal chunks whose share of each streamed operand fits that operand's slot.
Chunks stream_chunks(int64_t vectors, const StreamedBytes& b) {
  auto share = [&](int64_t total, int64_t v0, int64_t count) {
    return total * (v0 + count) / vectors - total * v0 / vectors;
  };
  auto fits = [&](int64_t per) {  // every chunk of `per` vectors (the last may be shorter)
    for (int64_t v0 = 0; v0 < vectors; v0 += per) {
      const int64_t count = std::min(per, vectors - v0);
      if (b.input_slot > 0 && share(b.input, v0, count) > b.input_slot) return false;
      if (b.weight_slot > 0 && share(b.weight, v0, count) > b.weight_slot) return false;
    }
    return true;
  };
  auto needed = [](int64_t bytes, int64_t slot) { return slot > 0 ? (bytes + slot - 1) / slot : 1; };
  int64_t n = std::min(
      vectors, std::max<int64_t>({1, needed(b.input, b.input_slot), needed(b.weight, b.weight_slot)}));
  int64_t per = (vectors + n - 1) / n;
  while (per > 1 && !fits(per)) {
    ++n;
    per = (vectors + n - 1) / n;
  }
  Chunks chunks;
  for (int64_t v0 = 0; v0 < vectors; v0 += per) {
    Chunk c;
    c.m0 = v0;
    c.count = std::min(per, vectors - v0);
    c.input_dram_bytes = share(b.input, v0, c.count);
    c.weight_dram_bytes = share(b.weight, v0, c.count);
    c.weight_elements = share(b.weight_elements, v0, c.count);
    c.psum_dram_bytes = share(b.psum, v0, c.count);
    chunks.push_back(c);
  }
  return chunks;
}

}  // namespace deepchip::sim
