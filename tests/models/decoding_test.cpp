// Generative decoding with a KV cache (sim/README.md "Generative decoding"): the cached decode is bit-exact
// with one forward pass over the whole sequence at every position, on the golden executor and on the arrays,
// and its traffic is the cache's.
#include <gtest/gtest.h>

#include "sim/compress/quantize.hpp"
#include "sim/exec/golden.hpp"
#include "sim/exec/golden_reference.hpp"
#include "sim/ir/synthetic.hpp"
#include "sim/zoo/decoder.hpp"
#include "tests/models/harness.hpp"

namespace deepchip::models {
namespace {

struct Decoding {
  sim::Sequence seq;
  sim::QuantModel full, unrolled;
};

// gpt2_tiny over `batch` sequences of prompt + decode tokens: the full pass compressed, then unrolled.
Decoding tiny_decoding(int prompt, int decode, int batch) {
  Decoding d;
  d.seq = {prompt, decode, batch};
  const sim::FloatModel fm =
      sim::make_synthetic_model(sim::decoder_network("gpt2_tiny", batch, d.seq.total_tokens()), 7);
  d.full = sim::quantize(fm, sim::QuantConfig{});
  d.unrolled = sim::unroll_decoding(d.full, "gpt2_tiny", d.seq);
  return d;
}

// Token `t`'s row of every sequence of a B x T x C tensor.
std::vector<int32_t> rows_at(const sim::IntTensor& x, int t) {
  std::vector<int32_t> out;
  for (int b = 0; b < x.shape.height; ++b)
    for (int c = 0; c < x.shape.channels; ++c) out.push_back(x.at(b, t, c));
  return out;
}

// The logits each phase of the unrolled decoding yields, against the full pass's at its position.
void expect_logits_equal_full_pass(const Decoding& d, const std::map<std::string, sim::IntTensor>& decoded,
                                   const std::map<std::string, sim::IntTensor>& full) {
  const sim::IntTensor& reference = full.at("logits");
  EXPECT_EQ(decoded.at("prefill/logits").data, rows_at(reference, d.seq.prompt_tokens - 1)) << "prefill";
  for (int s = 0; s < d.seq.decode_tokens; ++s)
    EXPECT_EQ(decoded.at("decode" + std::to_string(s) + "/logits").data,
              rows_at(reference, d.seq.prompt_tokens + s))
        << "decode step " << s;
}

TEST(DecodingCache, GoldenLogitsEqualTheFullPassAtEveryPosition) {
  const Decoding d = tiny_decoding(5, 11, 2);
  const auto full = sim::run_golden(d.full, 32);
  const auto decoded = sim::run_golden(d.unrolled, 32);
  expect_logits_equal_full_pass(d, decoded, full);
  // The cache after the last step holds every token's keys: the full pass's, head by head.
  EXPECT_EQ(decoded.at("decode10/layer1.k_cache").data, full.at("layer1.k").data);
  EXPECT_EQ(decoded.at("decode10/layer0.v_cache").data, full.at("layer0.v").data);
  // The scores differ from token to token (the test is not of a constant).
  EXPECT_NE(decoded.at("decode3/logits").data, decoded.at("decode4/logits").data);
}

// The size the config check bounds is the unrolled network's: its cache appends' outputs.
TEST(DecodingCache, CacheElementsAreTheCacheAppendsOutputs) {
  const Decoding d = tiny_decoding(3, 7, 2);
  int64_t elements = 0;
  for (const auto& l : d.unrolled.net.layers)
    if (l.cache_append) elements += l.out_shape.elements();
  EXPECT_EQ(sim::unrolled_cache_elements("gpt2_tiny", d.seq), elements);
  EXPECT_EQ(elements, 2 * 2 * 2 * 32 * (3 + 7 * 3 + 7 * 8 / 2));  // K and V, 2 layers, 2 sequences, width 32
}

// A timing point's golden reference keeps no tensor: its zero-MAC counts, made layer by layer while tensors
// are freed after their last reader, equal those counted on every kept tensor.
TEST(DecodingCache, StreamedZeroMacCountsEqualTheKeptOnes) {
  const Decoding d = tiny_decoding(4, 5, 2);
  for (const sim::QuantModel* m : {&d.unrolled, &d.full}) {
    const sim::GoldenReference kept = sim::golden_reference(*m, 32);
    const sim::GoldenReference streamed = sim::golden_reference(*m, 32, false, false);
    EXPECT_TRUE(streamed.tensors.empty());
    EXPECT_EQ(streamed.zero_macs, kept.zero_macs);
    EXPECT_EQ(streamed.worst_case_sums, kept.worst_case_sums);
    EXPECT_GT(kept.zero_macs.at(m == &d.full ? "layer0.context" : "prefill/layer0.context"), 0);
  }
}

TEST(DecodingCache, ArraysEqualTheGoldenDecodeAndTimingEqualsTile) {
  const Decoding d = tiny_decoding(4, 6, 1);
  testing::Bench bench;
  sim::HardwareConfig hw;
  hw.array_rows = hw.array_cols = 8;
  for (sim::ArrayImpl impl : {sim::ArrayImpl::kCycle, sim::ArrayImpl::kTile, sim::ArrayImpl::kTiming}) {
    hw.impl = impl;
    bench.add(hw, d.unrolled);
  }
  bench.run();
  const auto golden = sim::run_golden(d.unrolled, 32);
  for (size_t i : {0, 1}) {
    ASSERT_TRUE(bench[i].finished());
    for (const auto& l : d.unrolled.net.layers)
      ASSERT_EQ(bench[i].tensors().at(l.name).data, golden.at(l.name).data) << i << " " << l.name;
    expect_logits_equal_full_pass(d, bench[i].tensors(), sim::run_golden(d.full, 32));
  }
  const auto& tile = bench[1].layer_stats();
  const auto& timing = bench[2].layer_stats();
  ASSERT_EQ(tile.size(), timing.size());
  for (size_t i = 0; i < tile.size(); ++i)
    EXPECT_EQ(sim::to_json(tile[i]).dump(), sim::to_json(timing[i]).dump()) << tile[i].name;
}

}  // namespace
}  // namespace deepchip::models
