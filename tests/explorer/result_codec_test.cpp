// The worker's result hand-over (explorer/run/result_codec.hpp): every field of a result with every
// optional part comes back bit for bit, the store's JSON is the one the store would write, and a message
// cut short, lengthened or with a damaged length is refused, never read past its end.
#include "explorer/run/result_codec.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "sim/io/json_input.hpp"

namespace deepchip::explorer {
namespace {

// Fills every numeric field with a distinct value, doubles with ones that print long or not at all alike
// (thirds, tiny, huge, negative zero).
class Filler {
 public:
  template <typename T>
  void operator()(T& value) {
    ++n_;
    if constexpr (std::is_floating_point_v<T>) {
      const double specials[] = {1.0 / 3.0, 1e-300, 1.7976931348623157e308, -0.0, 0.1, 5e-324};
      value = n_ % 7 == 0 ? specials[(n_ / 7) % 6] : static_cast<double>(n_) / 3.0;
    } else if constexpr (std::is_same_v<T, bool>) {
      value = n_ % 2 == 1;
    } else {
      value = static_cast<T>(n_ * 1000003);
    }
  }

 private:
  int64_t n_ = 0;
};

sim::LayerStats filled_layer(Filler& fill, const std::string& name) {
  sim::LayerStats s;
  s.name = name;
  s.kind = "conv";
  s.golden_match = true;
  s.visit_fields([&](const char*, auto& value, const char*, const char*) { fill(value); });
  return s;
}

sim::PointResult full_result() {
  Filler fill;
  sim::PointResult r;
  r.ok = true;
  r.reason = "a reason with \"quotes\", a \\ and unicode \xc3\xa9";
  r.verified = true;
  r.golden_match = false;
  r.seconds = 0.0123456789012345678;
  r.total = filled_layer(fill, "total");
  for (int i = 0; i < 3; ++i) r.layers.push_back(filled_layer(fill, "layer" + std::to_string(i)));
  sim::SocSummary soc;
  soc.visit_fields([&](const char*, auto& value) {
    if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string>)
      value = "text";
    else if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::vector<std::string>>)
      value = {"conv1", "", "fc"};
    else
      fill(value);
  });
  soc.used.visit([&](const char*, int64_t& v) { fill(v); });
  soc.available.visit([&](const char*, int64_t& v) { fill(v); });
  r.soc = soc;
  sim::SiliconSummary silicon;
  silicon.visit_fields([&](const char*, double& v, const char*, const char*) { fill(v); });
  r.silicon = silicon;
  sim::DecodingSummary d;
  d.prompt_tokens = 128, d.decode_tokens = 4, d.batch = 2;
  d.visit_fields([&](const char*, auto& value, const char*, const char*) { fill(value); });
  d.prefill = filled_layer(fill, "prefill");
  d.decode = filled_layer(fill, "decode");
  d.steps.resize(4);
#define FILL_STEP(type, name, unit, doc) fill(st.name);
  for (auto& st : d.steps) {
    DEEPCHIP_DECODING_STEP_FIELDS(FILL_STEP)
  }
#undef FILL_STEP
  r.decoding = d;
  return r;
}

// Every double of a layer, bit for bit (JSON would print -0.0 and 0.0 apart but not every NaN).
void expect_same_bits(const sim::LayerStats& a, const sim::LayerStats& b) {
  std::vector<double> da, db;
  a.visit_fields(
      [&](const char*, auto v, const char*, const char*) { da.push_back(static_cast<double>(v)); });
  b.visit_fields(
      [&](const char*, auto v, const char*, const char*) { db.push_back(static_cast<double>(v)); });
  ASSERT_EQ(da.size(), db.size());
  EXPECT_EQ(std::memcmp(da.data(), db.data(), da.size() * sizeof(double)), 0);
}

TEST(ResultCodec, EveryFieldOfEveryPartComesBackAndTheStoreJsonIsTheStoresOwn) {
  const sim::PointResult r = full_result();
  const EncodedResult e = decode_result(encode_result(r));
  const std::string store_json = sim::dump_json(sim::to_json(r));
  EXPECT_EQ(e.json, store_json);
  EXPECT_EQ(sim::dump_json(sim::to_json(e.result)), store_json);
  ASSERT_EQ(e.result.layers.size(), 3u);
  expect_same_bits(e.result.total, r.total);
  for (size_t i = 0; i < r.layers.size(); ++i) expect_same_bits(e.result.layers[i], r.layers[i]);
  ASSERT_TRUE(e.result.soc && e.result.silicon && e.result.decoding);
  EXPECT_EQ(e.result.soc->arm_layers, r.soc->arm_layers);
  EXPECT_EQ(e.result.decoding->steps.size(), 4u);
  EXPECT_TRUE(std::signbit(e.result.silicon->area_mm2) == std::signbit(r.silicon->area_mm2));
}

TEST(ResultCodec, AFailedPointWithoutOptionalPartsComesBackWithout) {
  sim::PointResult r;
  r.reason = "time limit of 600 s exceeded";
  const EncodedResult e = decode_result(encode_result(r));
  EXPECT_FALSE(e.result.ok);
  EXPECT_EQ(e.result.reason, r.reason);
  EXPECT_FALSE(e.result.soc || e.result.silicon || e.result.decoding);
  EXPECT_EQ(e.json, sim::dump_json(sim::to_json(r)));
}

TEST(ResultCodec, AMessageCutShortOrLengthenedIsRefused) {
  const std::string body = encode_result(full_result());
  for (size_t n = 0; n < body.size(); ++n)
    EXPECT_THROW(decode_result(body.substr(0, n)), std::runtime_error) << "cut to " << n << " bytes";
  EXPECT_THROW(decode_result(body + "x"), std::runtime_error);
}

TEST(ResultCodec, ADamagedLengthIsRefusedWithoutAllocatingIt) {
  std::string body = encode_result(sim::PointResult{});
  // The reason's length (after "ok"'s 8 bytes), made 2^62: longer than the message.
  const uint64_t huge = uint64_t{1} << 62;
  std::memcpy(&body[8], &huge, sizeof huge);
  EXPECT_THROW(decode_result(body), std::runtime_error);
}

}  // namespace
}  // namespace deepchip::explorer
