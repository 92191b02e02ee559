#include "sim/compress/huffman.hpp"

#include <algorithm>
#include <queue>
#include <stdexcept>
#include <unordered_map>

namespace deepchip::sim {

HuffmanCode HuffmanCode::from_frequencies(const std::map<int64_t, uint64_t>& freq) {
  if (freq.empty()) throw std::invalid_argument("Huffman code of an empty alphabet");
  std::map<int64_t, int> lengths;
  if (freq.size() == 1) {
    lengths[freq.begin()->first] = 1;
    return from_lengths(lengths);
  }
  // Standard Huffman construction; ties broken by node id so the lengths are deterministic.
  struct Node {
    uint64_t weight;
    int64_t id;
    int left = -1, right = -1;
    int64_t symbol = 0;
  };
  std::vector<Node> nodes;
  using Entry = std::pair<uint64_t, int64_t>;  // (weight, node index)
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap;
  for (const auto& [symbol, count] : freq) {
    nodes.push_back({count, static_cast<int64_t>(nodes.size()), -1, -1, symbol});
    heap.push({count, nodes.back().id});
  }
  while (heap.size() > 1) {
    const auto a = heap.top();
    heap.pop();
    const auto b = heap.top();
    heap.pop();
    nodes.push_back({a.first + b.first, static_cast<int64_t>(nodes.size()), static_cast<int>(a.second),
                     static_cast<int>(b.second), 0});
    heap.push({nodes.back().weight, nodes.back().id});
  }
  // Depths by an explicit stack (the tree can be deep for skewed inputs).
  std::vector<std::pair<int, int>> stack = {{static_cast<int>(heap.top().second), 0}};
  while (!stack.empty()) {
    const auto [index, depth] = stack.back();
    stack.pop_back();
    const Node& n = nodes[static_cast<size_t>(index)];
    if (n.left < 0) {
      lengths[n.symbol] = depth;
      continue;
    }
    stack.push_back({n.left, depth + 1});
    stack.push_back({n.right, depth + 1});
  }
  return from_lengths(lengths);
}

HuffmanCode HuffmanCode::from_lengths(const std::map<int64_t, int>& lengths) {
  HuffmanCode c;
  c.lengths_ = lengths;
  for (const auto& [s, l] : lengths) {
    if (l < 1 || l > 63) throw std::invalid_argument("Huffman code length out of 1..63");
    c.max_length_ = std::max(c.max_length_, l);
  }
  c.assign_canonical();
  return c;
}

void HuffmanCode::assign_canonical() {
  std::vector<std::pair<int, int64_t>> order;  // (length, symbol)
  for (const auto& [s, l] : lengths_) order.push_back({l, s});
  std::sort(order.begin(), order.end());
  first_code_.assign(static_cast<size_t>(max_length_) + 2, 0);
  count_.assign(static_cast<size_t>(max_length_) + 2, 0);
  first_index_.assign(static_cast<size_t>(max_length_) + 2, 0);
  sorted_symbols_.clear();
  encoding_.clear();
  encoding_.reserve(order.size());
  uint64_t code = 0;
  int previous_length = order.empty() ? 0 : order.front().first;
  for (size_t i = 0; i < order.size(); ++i) {
    const auto [length, symbol] = order[i];
    code <<= (length - previous_length);
    previous_length = length;
    if (count_[static_cast<size_t>(length)] == 0) {
      first_code_[static_cast<size_t>(length)] = code;
      first_index_[static_cast<size_t>(length)] = static_cast<int64_t>(i);
    }
    ++count_[static_cast<size_t>(length)];
    codewords_[symbol] = code;
    encoding_[symbol] = {code, length};
    sorted_symbols_.push_back(symbol);
    ++code;
  }
}

int64_t HuffmanCode::table_bits(int symbol_bits) const {
  return 16LL * max_length_ + static_cast<int64_t>(lengths_.size()) * symbol_bits;
}

namespace {

// MSB-first bit fields in a byte vector.
class BitWriter {
 public:
  void put(uint64_t value, int bits) {
    for (int i = bits - 1; i >= 0; --i) {
      if (count_ % 8 == 0) bytes_.push_back(0);
      if ((value >> i) & 1u) bytes_.back() |= static_cast<uint8_t>(0x80u >> (count_ % 8));
      ++count_;
    }
  }
  std::vector<uint8_t> take() { return std::move(bytes_); }

 private:
  std::vector<uint8_t> bytes_;
  uint64_t count_ = 0;
};

class BitReader {
 public:
  BitReader(const std::vector<uint8_t>& bytes, uint64_t limit_bits)
      : bytes_(bytes), limit_(std::min<uint64_t>(limit_bits, uint64_t{bytes.size()} * 8)) {}
  uint64_t get(int bits) {
    if (position_ + static_cast<uint64_t>(bits) > limit_)
      throw std::runtime_error("Huffman table ends early");
    uint64_t v = 0;
    for (int i = 0; i < bits; ++i, ++position_)
      v = (v << 1) | ((bytes_[position_ / 8] >> (7 - position_ % 8)) & 1u);
    return v;
  }

 private:
  const std::vector<uint8_t>& bytes_;
  uint64_t limit_;
  uint64_t position_ = 0;
};

uint64_t symbol_field(int64_t symbol, const SymbolFormat& f) {
  const uint64_t value_mask = (uint64_t{1} << f.value_bits) - 1;
  const uint64_t value = static_cast<uint64_t>(symbol) & value_mask;  // two's complement of the low bits
  if (!f.zero_rle) return value;
  return (static_cast<uint64_t>(symbol >> 32) << f.value_bits) | (static_cast<uint32_t>(symbol) & value_mask);
}

int64_t field_symbol(uint64_t field, const SymbolFormat& f) {
  const uint64_t value_mask = (uint64_t{1} << f.value_bits) - 1;
  const uint64_t sign = uint64_t{1} << (f.value_bits - 1);
  const int64_t value = static_cast<int64_t>(((field & value_mask) ^ sign) - sign);  // sign-extended
  if (!f.zero_rle) return value;
  return static_cast<int64_t>(field >> f.value_bits) * (int64_t{1} << 32) +
         static_cast<int64_t>(static_cast<uint32_t>(value));
}

void check_format(const SymbolFormat& f) {
  if (f.value_bits < 1 || f.value_bits > 32) throw std::invalid_argument("Huffman symbol width out of 1..32");
}

}  // namespace

std::vector<uint8_t> HuffmanCode::write_table(const SymbolFormat& format) const {
  check_format(format);
  BitWriter w;
  for (int l = 1; l <= max_length_; ++l) w.put(static_cast<uint64_t>(count_[static_cast<size_t>(l)]), 16);
  for (int64_t s : sorted_symbols_) w.put(symbol_field(s, format), format.bits());
  return w.take();
}

HuffmanCode HuffmanCode::read_table(const std::vector<uint8_t>& table, int64_t table_bits,
                                    const SymbolFormat& format) {
  check_format(format);
  if (table_bits < 16) throw std::runtime_error("Huffman table shorter than one length count");
  BitReader r(table, static_cast<uint64_t>(table_bits));
  // The counts end at the length L where 16 L + symbols(L) * symbol bits equals the table's size (strictly
  // increasing in L, so L is unique); the code space may not be overfilled on the way.
  std::vector<int64_t> counts;
  int64_t symbols = 0;
  long double space = 0;  // Kraft sum of the codewords so far
  for (int length = 1;; ++length) {
    if (length > 63) throw std::runtime_error("Huffman table: code lengths past 63");
    const auto count = static_cast<int64_t>(r.get(16));
    counts.push_back(count);
    symbols += count;
    space += static_cast<long double>(count) / static_cast<long double>(uint64_t{1} << length);
    if (space > 1.0L) throw std::runtime_error("Huffman table: the counts overfill the code space");
    const int64_t size = 16 * int64_t{length} + symbols * format.bits();
    if (size == table_bits) break;
    if (size > table_bits) throw std::runtime_error("Huffman table: the counts disagree with its size");
  }
  if (symbols == 0) throw std::runtime_error("Huffman table holds no symbol");
  std::map<int64_t, int> lengths;
  for (size_t l = 0; l < counts.size(); ++l)
    for (int64_t i = 0; i < counts[l]; ++i)
      if (!lengths.emplace(field_symbol(r.get(format.bits()), format), static_cast<int>(l) + 1).second)
        throw std::runtime_error("Huffman table: a symbol appears twice");
  return from_lengths(lengths);  // canonical: the codewords follow from the lengths alone
}

void HuffmanCode::encode(const std::vector<int64_t>& symbols, std::vector<uint8_t>& out,
                         uint64_t& bits) const {
  // Codewords by hash lookup, bits gathered MSB-first in a 64-bit accumulator and flushed byte by byte.
  out.resize((bits + 7) / 8);
  uint64_t acc = 0;
  int pending = 0;      // bits in acc not yet in `out`
  if (bits % 8 != 0) {  // continue a partial last byte
    pending = static_cast<int>(bits % 8);
    acc = out.back() >> (8 - pending);
    out.pop_back();
  }
  for (int64_t s : symbols) {
    const auto& [cw, len] = encoding_.at(s);
    if (pending + len > 56) {  // flush whole bytes before the accumulator could overflow
      while (pending >= 8) {
        out.push_back(static_cast<uint8_t>(acc >> (pending - 8)));
        pending -= 8;
      }
      acc &= (uint64_t{1} << pending) - 1;
    }
    if (len > 56) {  // very long codewords (skewed alphabets): bit by bit
      for (int i = len - 1; i >= 0; --i) {
        acc = (acc << 1) | ((cw >> i) & 1u);
        if (++pending == 8) out.push_back(static_cast<uint8_t>(acc)), pending = 0, acc = 0;
      }
    } else {
      acc = (acc << len) | cw;
      pending += len;
    }
    bits += static_cast<uint64_t>(len);
  }
  while (pending >= 8) {
    out.push_back(static_cast<uint8_t>(acc >> (pending - 8)));
    pending -= 8;
  }
  if (pending > 0)
    out.push_back(static_cast<uint8_t>((acc & ((uint64_t{1} << pending) - 1)) << (8 - pending)));
}

std::vector<int64_t> HuffmanCode::decode(const std::vector<uint8_t>& in, uint64_t bit, size_t count,
                                         uint64_t* end_bit) const {
  std::vector<int64_t> out;
  out.reserve(count);
  const uint64_t total_bits = uint64_t{in.size()} * 8;
  while (out.size() < count) {
    uint64_t code = 0;
    int len = 0;
    for (;;) {
      if (bit >= total_bits) throw std::runtime_error("Huffman stream ends inside a codeword");
      code = (code << 1) | ((in[bit / 8] >> (7 - bit % 8)) & 1u);
      ++bit;
      ++len;
      if (len > max_length_) throw std::runtime_error("Huffman stream holds an invalid codeword");
      const auto l = static_cast<size_t>(len);
      if (count_[l] > 0 && code >= first_code_[l] &&
          code - first_code_[l] < static_cast<uint64_t>(count_[l])) {
        out.push_back(sorted_symbols_[static_cast<size_t>(first_index_[l] +
                                                          static_cast<int64_t>(code - first_code_[l]))]);
        break;
      }
    }
  }
  if (end_bit) *end_bit = bit;
  return out;
}

namespace {
int64_t token(int run, int32_t value) {
  return static_cast<int64_t>(run) * (int64_t{1} << 32) + static_cast<int64_t>(static_cast<uint32_t>(value));
}
}  // namespace

std::vector<int64_t> zero_rle_tokens(const std::vector<int32_t>& values) {
  std::vector<int64_t> tokens;
  int run = 0;
  for (int32_t v : values) {
    if (v == 0) {
      if (++run == 16) {
        tokens.push_back(token(15, 0));
        run = 0;
      }
      continue;
    }
    tokens.push_back(token(run, v));
    run = 0;
  }
  if (run > 0) tokens.push_back(token(run - 1, 0));
  return tokens;
}

std::vector<int32_t> expand_zero_rle(const std::vector<int64_t>& tokens) {
  std::vector<int32_t> values;
  for (int64_t t : tokens) {
    const int run = static_cast<int>(t >> 32);
    values.insert(values.end(), static_cast<size_t>(run), 0);
    values.push_back(static_cast<int32_t>(static_cast<uint32_t>(t & 0xffffffffLL)));
  }
  return values;
}

}  // namespace deepchip::sim
