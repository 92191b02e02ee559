// libFuzzer target: a stored Huffman table and a weight stream (sim/compress/huffman.cpp), as the weight
// decoder reads them. Input: byte 0 = symbol format (value bits 1..16, bit 7 = zero-RLE), bytes 1-2 = table
// bits, then the table, then the stream. A decoded stream must re-encode to the bits it was decoded from.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "sim/compress/huffman.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace deepchip::sim;
  if (size < 3) return 0;
  const SymbolFormat format{1 + (data[0] & 15), (data[0] & 0x80) != 0};
  const int64_t table_bits = (int64_t{data[1]} << 8) | data[2];
  const size_t table_bytes = static_cast<size_t>((table_bits + 7) / 8);
  if (size < 3 + table_bytes) return 0;
  const std::vector<uint8_t> table(data + 3, data + 3 + table_bytes);
  const std::vector<uint8_t> stream(data + 3 + table_bytes, data + size);
  HuffmanCode code = HuffmanCode::from_lengths({{0, 1}});
  try {
    code = HuffmanCode::read_table(table, table_bits, format);
  } catch (const std::runtime_error&) {
    return 0;
  }
  std::vector<int64_t> symbols;
  uint64_t end_bit = 0;
  for (size_t count = 1; count <= 1024; count *= 2) {  // the longest prefix that decodes
    try {
      symbols = code.decode(stream, 0, count, &end_bit);
    } catch (const std::runtime_error&) {
      break;
    }
  }
  if (symbols.empty()) return 0;
  std::vector<uint8_t> again;
  uint64_t bits = 0;
  code.encode(symbols, again, bits);
  if (bits != end_bit) __builtin_trap();
  for (uint64_t b = 0; b < bits; ++b)
    if (((again[b / 8] >> (7 - b % 8)) & 1) != ((stream[b / 8] >> (7 - b % 8)) & 1)) __builtin_trap();
  if (format.zero_rle) (void)expand_zero_rle(symbols);
  // The table round-trips.
  const HuffmanCode back =
      HuffmanCode::read_table(code.write_table(format), code.table_bits(format.bits()), format);
  if (back.lengths() != code.lengths()) __builtin_trap();
  return 0;
}
