// FNV-1a, 64 bit: the one hash behind stable ids (point ids, seeds of synthetic streams, model
// fingerprints). Not cryptographic; stable across runs, machines and compilers.
#pragma once
#include <cstdint>
#include <string>

namespace deepchip::sim {

class Fnv1a64 {
 public:
  Fnv1a64& add_byte(uint8_t b) {
    value_ = (value_ ^ b) * 1099511628211ULL;
    return *this;
  }
  Fnv1a64& add(const std::string& s) {
    for (unsigned char c : s) add_byte(c);
    return *this;
  }
  Fnv1a64& add_int64(int64_t v) {  // little-endian bytes
    for (int b = 0; b < 8; ++b) add_byte(static_cast<uint8_t>(v >> (8 * b)));
    return *this;
  }
  uint64_t value() const { return value_; }

 private:
  uint64_t value_ = 1469598103934665603ULL;
};

}  // namespace deepchip::sim
