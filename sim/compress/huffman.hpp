// Canonical Huffman coding of integer symbols (sim/README.md "Compression"): optimal code lengths from symbol
// frequencies, canonical codewords assigned from the lengths alone (shorter first, then by symbol value),
// MSB-first bitstreams, and a table-driven canonical decoder. Optionally zero run-length tokens first.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

namespace deepchip::sim {

// How a symbol is stored in a code table: a weight code of `value_bits` in two's complement, preceded by a
// 4-bit zero-run length for zero-RLE tokens (token = run * 2^32 + (uint32) value, see zero_rle_tokens).
struct SymbolFormat {
  int value_bits = 8;  // 1..32
  bool zero_rle = false;
  int bits() const { return value_bits + (zero_rle ? 4 : 0); }
};

class HuffmanCode {
 public:
  // Optimal lengths for the given frequencies (every symbol with a non-zero count gets a code; a single
  // symbol gets a 1-bit code). Throws std::invalid_argument on an empty alphabet.
  static HuffmanCode from_frequencies(const std::map<int64_t, uint64_t>& frequencies);
  // The canonical code for given lengths (what a decoder rebuilds from the stored table).
  static HuffmanCode from_lengths(const std::map<int64_t, int>& lengths);

  const std::map<int64_t, int>& lengths() const { return lengths_; }
  int max_length() const { return max_length_; }
  int length(int64_t symbol) const { return lengths_.at(symbol); }
  uint64_t codeword(int64_t symbol) const { return codewords_.at(symbol); }
  // Bits of the stored table: a 16-bit count per code length up to max_length, then the symbols in
  // canonical order at `symbol_bits` each.
  int64_t table_bits(int symbol_bits) const;
  // The stored table itself (MSB first): the counts of codewords of length 1..max_length in 16 bits each,
  // then every symbol in canonical order as a SymbolFormat field.
  std::vector<uint8_t> write_table(const struct SymbolFormat& format) const;
  // Rebuilds the code from a stored table of `table_bits` bits (what the weight decoder does); throws
  // std::runtime_error when the table is malformed: counts that overfill the code space or disagree with
  // the table's size, a repeated symbol, or a table that ends early.
  static HuffmanCode read_table(const std::vector<uint8_t>& table, int64_t table_bits,
                                const SymbolFormat& format);

  // Appends the codewords of `symbols` to `out` (MSB first), starting at bit `*bit_count`.
  void encode(const std::vector<int64_t>& symbols, std::vector<uint8_t>& out, uint64_t& bit_count) const;
  // Decodes `count` symbols starting at bit `start_bit`; throws std::runtime_error on a corrupt stream.
  std::vector<int64_t> decode(const std::vector<uint8_t>& in, uint64_t start_bit, size_t count,
                              uint64_t* end_bit = nullptr) const;

 private:
  void assign_canonical();
  std::map<int64_t, int> lengths_;
  std::map<int64_t, uint64_t> codewords_;
  // symbol -> (codeword, length), made once with the code: encode() is called per fold, and building its
  // lookup there was most of coding a layer.
  std::unordered_map<int64_t, std::pair<uint64_t, int>> encoding_;
  int max_length_ = 0;
  // Canonical decoding tables, per length L: first codeword, count, index of its first symbol.
  std::vector<uint64_t> first_code_;
  std::vector<int64_t> count_, first_index_;
  std::vector<int64_t> sorted_symbols_;
};

// Zero run-length tokens: a token is (r zeros, then value v), r in 0..15; (15, 0) stands for 16 zeros and
// trailing zeros end in (r - 1, 0). Token id = r * 2^32 + (uint32) v.
std::vector<int64_t> zero_rle_tokens(const std::vector<int32_t>& values);
std::vector<int32_t> expand_zero_rle(const std::vector<int64_t>& tokens);

}  // namespace deepchip::sim
