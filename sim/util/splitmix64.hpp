// SplitMix64's finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mix whose outputs pass BigCrush when
// used as a counter-based generator. Behind the synthetic weights and inputs and the noise draws.
#pragma once
#include <cstdint>

namespace deepchip::sim {

inline uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace deepchip::sim
