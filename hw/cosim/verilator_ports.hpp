// Access to bit fields of Verilator ports, shared by the Verilated-model wrappers: ports up to 64 bits are
// plain integers, wider ones VlWide arrays of 32-bit words.
#pragma once
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace deepchip::hw {

// The data widths every Verilated array is built with (one build serves every bit width).
constexpr int kActBits = 17, kWeightBits = 16, kAccBits = 32;

// Writes `value` into bits [offset, offset + width) of `port` (width <= 32 for wide ports).
template <typename Port>
void set_field(Port& port, int offset, int width, uint64_t value) {
  const uint64_t field_mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
  value &= field_mask;
  if constexpr (std::is_integral_v<Port>) {
    port = static_cast<Port>((static_cast<uint64_t>(port) & ~(field_mask << offset)) | (value << offset));
  } else {  // VlWide: the field spans at most two 32-bit words
    constexpr size_t kWords = sizeof(port.m_storage) / sizeof(port.m_storage[0]);
    const size_t w = static_cast<size_t>(offset / 32);
    const int shift = offset % 32;
    uint64_t pair = port[w] | (w + 1 < kWords ? static_cast<uint64_t>(port[w + 1]) << 32 : 0);
    pair = (pair & ~(field_mask << shift)) | (value << shift);
    port[w] = static_cast<uint32_t>(pair);
    if (w + 1 < kWords) port[w + 1] = static_cast<uint32_t>(pair >> 32);
  }
}

// The 32-bit field `index` of `port`.
template <typename Port>
uint32_t get_word(const Port& port, int index) {
  if constexpr (std::is_integral_v<Port>)
    return static_cast<uint32_t>(static_cast<uint64_t>(port) >> (32 * index));
  else
    return port[static_cast<size_t>(index)];
}

template <typename Port>
void clear(Port& port) {
  if constexpr (std::is_integral_v<Port>)
    port = 0;
  else
    for (auto& w : port.m_storage) w = 0;
}

}  // namespace deepchip::hw
