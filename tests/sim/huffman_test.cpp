#include "sim/compress/huffman.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

namespace deepchip::sim {
namespace {

std::map<int64_t, uint64_t> frequencies(const std::vector<int64_t>& symbols) {
  std::map<int64_t, uint64_t> f;
  for (int64_t s : symbols) ++f[s];
  return f;
}

void expect_round_trip(const std::vector<int64_t>& symbols, const std::string& what) {
  const HuffmanCode code = HuffmanCode::from_frequencies(frequencies(symbols));
  std::vector<uint8_t> stream;
  uint64_t bits = 0;
  code.encode(symbols, stream, bits);
  uint64_t expected_bits = 0;
  for (int64_t s : symbols) expected_bits += static_cast<uint64_t>(code.length(s));
  EXPECT_EQ(bits, expected_bits) << what;
  EXPECT_EQ(stream.size(), (bits + 7) / 8) << what;
  uint64_t end = 0;
  EXPECT_EQ(code.decode(stream, 0, symbols.size(), &end), symbols) << what;
  EXPECT_EQ(end, bits) << what;
  // A decoder needs only the lengths (the stored table).
  const HuffmanCode rebuilt = HuffmanCode::from_lengths(code.lengths());
  EXPECT_EQ(rebuilt.decode(stream, 0, symbols.size()), symbols) << what;
}

TEST(Huffman, RoundTripsRandomAndDegenerateInputs) {
  std::mt19937 rng(3);
  std::vector<int64_t> random(5000), uniform, skewed, one(777, 42), zeros(1000, 0);
  for (auto& s : random) s = std::uniform_int_distribution<int>(-127, 127)(rng);
  for (int i = 0; i < 4096; ++i) uniform.push_back(i % 256);
  std::geometric_distribution<int> geo(0.7);
  for (int i = 0; i < 5000; ++i) skewed.push_back(geo(rng));
  expect_round_trip(random, "random int8");
  expect_round_trip(uniform, "uniform 256");
  expect_round_trip(skewed, "geometric");
  expect_round_trip(one, "one symbol");
  expect_round_trip(zeros, "all zeros");
  // Uniform over 256 symbols is exactly 8 bits each; a single symbol costs 1 bit.
  EXPECT_EQ(HuffmanCode::from_frequencies(frequencies(uniform)).length(0), 8);
  EXPECT_EQ(HuffmanCode::from_frequencies(frequencies(one)).length(42), 1);
}

TEST(Huffman, EncodingContinuesAPartialStream) {
  std::mt19937 rng(5);
  std::vector<int64_t> a(1001), b(777);
  for (auto& s : a) s = std::uniform_int_distribution<int>(0, 9)(rng);
  for (auto& s : b) s = std::uniform_int_distribution<int>(0, 9)(rng);
  std::vector<int64_t> both = a;
  both.insert(both.end(), b.begin(), b.end());
  const HuffmanCode code = HuffmanCode::from_frequencies(frequencies(both));
  std::vector<uint8_t> stream, whole;
  uint64_t bits = 0, whole_bits = 0;
  code.encode(a, stream, bits);
  ASSERT_NE(bits % 8, 0u);  // the second call starts inside a byte
  code.encode(b, stream, bits);
  code.encode(both, whole, whole_bits);
  EXPECT_EQ(stream, whole);
  EXPECT_EQ(bits, whole_bits);
  EXPECT_EQ(code.decode(stream, 0, both.size()), both);
}

TEST(Huffman, CanonicalCodewordsFromLengths) {
  const HuffmanCode c = HuffmanCode::from_lengths({{'A', 1}, {'B', 2}, {'C', 3}, {'D', 3}});
  EXPECT_EQ(c.codeword('A'), 0b0u);
  EXPECT_EQ(c.codeword('B'), 0b10u);
  EXPECT_EQ(c.codeword('C'), 0b110u);
  EXPECT_EQ(c.codeword('D'), 0b111u);
  EXPECT_EQ(c.table_bits(8), 16 * 3 + 4 * 8);
}

// Reference: the least expected length over every length vector satisfying Kraft's inequality.
uint64_t optimal_cost_by_search(const std::vector<uint64_t>& f) {
  const size_t n = f.size();
  const int max_len = static_cast<int>(n) - 1;
  uint64_t best = UINT64_MAX;
  std::vector<int> len(n, 1);
  std::function<void(size_t, double)> search = [&](size_t i, double kraft) {
    if (kraft > 1.0 + 1e-12) return;
    if (i == n) {
      uint64_t cost = 0;
      for (size_t j = 0; j < n; ++j) cost += f[j] * static_cast<uint64_t>(len[j]);
      best = std::min(best, cost);
      return;
    }
    for (int l = 1; l <= max_len; ++l) {
      len[i] = l;
      search(i + 1, kraft + std::ldexp(1.0, -l));
    }
  };
  search(0, 0.0);
  return best;
}

TEST(Huffman, LengthsAreOptimalOnSmallAlphabets) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 40; ++trial) {
    const size_t n = 2 + static_cast<size_t>(trial % 5);  // 2..6 symbols
    std::map<int64_t, uint64_t> freq;
    std::vector<uint64_t> f;
    for (size_t i = 0; i < n; ++i) {
      f.push_back(1 +
                  static_cast<uint64_t>(std::uniform_int_distribution<int>(0, trial % 2 ? 1000 : 10)(rng)));
      freq[static_cast<int64_t>(i)] = f.back();
    }
    const HuffmanCode c = HuffmanCode::from_frequencies(freq);
    uint64_t cost = 0;
    for (const auto& [s, count] : freq) cost += count * static_cast<uint64_t>(c.length(s));
    EXPECT_EQ(cost, optimal_cost_by_search(f)) << "trial " << trial;
  }
}

TEST(Huffman, CorruptStreamsAreErrors) {
  const HuffmanCode c = HuffmanCode::from_lengths({{1, 1}, {2, 2}});  // codes 0, 10; 11 is invalid
  EXPECT_THROW(c.decode({0xC0}, 0, 1), std::runtime_error);
  EXPECT_THROW(c.decode({0x01}, 7, 1), std::runtime_error);  // "1" then the stream ends
}

TEST(ZeroRle, TokensRoundTrip) {
  const std::vector<int32_t> values = {0, 0, 3, -1, 0, 5, 0, 0, 0};
  const auto tokens = zero_rle_tokens(values);
  EXPECT_EQ(tokens, (std::vector<int64_t>{(2LL << 32) + 3, (0LL << 32) + 0xffffffffLL, (1LL << 32) + 5,
                                          (2LL << 32) + 0}));
  EXPECT_EQ(expand_zero_rle(tokens), values);
  std::vector<int32_t> long_runs(100, 0);
  long_runs[40] = 7;
  EXPECT_EQ(expand_zero_rle(zero_rle_tokens(long_runs)), long_runs);
  EXPECT_EQ(zero_rle_tokens(long_runs).size(), 2u + 1 + 3 + 1);  // 2x16 zeros, (8, 7), 3x16 zeros, 11 zeros
  const std::vector<int32_t> dense = {1, 2, 3};
  EXPECT_EQ(expand_zero_rle(zero_rle_tokens(dense)), dense);
  EXPECT_TRUE(zero_rle_tokens({}).empty());
}

}  // namespace
}  // namespace deepchip::sim

namespace deepchip::sim {
namespace {

// The stored table is what the weight decoder rebuilds its code from.
TEST(HuffmanTable, RoundTripsForEveryFormat) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const bool zero_rle = trial % 2 == 1;
    const int value_bits = 1 + static_cast<int>(rng() % 16);
    std::map<int64_t, uint64_t> freq;
    const int symbols = 1 + static_cast<int>(rng() % 40);
    const int64_t lo = -(int64_t{1} << (value_bits - 1)), span = int64_t{1} << value_bits;
    for (int i = 0; i < symbols; ++i) {
      const int64_t value = lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(span));
      const int64_t symbol =
          zero_rle ? static_cast<int64_t>(rng() % 16) * (int64_t{1} << 32) + static_cast<uint32_t>(value)
                   : value;
      freq[symbol] += 1 + rng() % 1000;
    }
    const HuffmanCode code = HuffmanCode::from_frequencies(freq);
    const SymbolFormat format{value_bits, zero_rle};
    const auto table = code.write_table(format);
    const int64_t bits = code.table_bits(format.bits());
    EXPECT_EQ(static_cast<int64_t>(table.size()), (bits + 7) / 8);
    const HuffmanCode back = HuffmanCode::read_table(table, bits, format);
    EXPECT_EQ(back.lengths(), code.lengths()) << "trial " << trial;
    for (const auto& [s, l] : code.lengths()) EXPECT_EQ(back.codeword(s), code.codeword(s));
  }
}

TEST(HuffmanTable, MalformedTablesAreErrors) {
  auto error = [](const std::vector<uint8_t>& t, int64_t bits, SymbolFormat f) -> std::string {
    try {
      HuffmanCode::read_table(t, bits, f);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  };
  const SymbolFormat f{8, false};
  // Three codewords of length 1 overfill the code space.
  EXPECT_EQ(error({0x00, 0x03, 1, 2, 3}, 16 + 24, f), "Huffman table: the counts overfill the code space");
  // Two 1-bit codes need 16 + 2 * 8 bits; 20 bits fit no count list.
  EXPECT_EQ(error({0x00, 0x02, 1, 2}, 20, f), "Huffman table: the counts disagree with its size");
  EXPECT_EQ(error({0x00, 0x02, 1, 1}, 32, f), "Huffman table: a symbol appears twice");
  EXPECT_EQ(error({0x00, 0x02, 1}, 32, f), "Huffman table ends early");
  EXPECT_EQ(error({0x00, 0x00}, 16, f), "Huffman table holds no symbol");
  EXPECT_EQ(error({}, 0, f), "Huffman table shorter than one length count");
  // Two 1-bit codes, canonical by symbol value: 0 -> -3, 1 -> 5.
  const HuffmanCode c = HuffmanCode::read_table({0x00, 0x02, 0xfd, 0x05}, 32, f);
  EXPECT_EQ(c.decode({0x40}, 0, 2), (std::vector<int64_t>{-3, 5}));
}

}  // namespace
}  // namespace deepchip::sim
