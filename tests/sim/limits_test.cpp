// The documented input limits (sim/io/limits.hpp) and the hostile inputs that used to pass validation and
// then exhaust memory or break the JSON outputs.
#include "sim/io/limits.hpp"

#include <gtest/gtest.h>

#include "sim/io/errors.hpp"
#include "sim/io/idx.hpp"
#include "sim/io/network_io.hpp"
#include "tests/sim/error_of.hpp"

namespace deepchip::sim {
namespace {

using testing::error_of;

std::string network(const std::string& layers, const std::string& shape = "[8, 8, 3]") {
  return R"({"inputs": [{"name": "x", "shape": )" + shape + R"(}], "layers": [)" + layers + "]}";
}

TEST(Limits, HugeLayersAreRefusedBeforeAnythingIsAllocated) {
  // A 16.7M-unit FC on 192 inputs: 3.2G weights.
  EXPECT_EQ(error_of([] {
              parse_network_json(network(R"({"name": "fc", "type": "fc", "units": 16777216})"), "n");
            }),
            "n: layer 'fc': 3221225472 weights, more than the limit of 2^28");
  // A million filters on a 32x32 image: an output of 2^30 elements.
  EXPECT_EQ(error_of([] {
              parse_network_json(network(R"({"name": "c", "type": "conv", "filters": 1048576, "kernel": 3,
                                             "padding": 1})",
                                         "[32, 32, 3]"),
                                 "n");
            }),
            "n: layer 'c': output 32x32x1048576 has more than 2^28 elements");
  // Under every per-layer limit, over the network's.
  std::string many;
  for (int i = 0; i < 5; ++i)
    many += std::string(i ? "," : "") + R"({"name": "f)" + std::to_string(i) +
            R"(", "type": "fc", "units": 8192})";
  EXPECT_EQ(error_of([&] { parse_network_json(network(many, "[1, 1, 8192]"), "n"); }),
            "n: layer 'f4': the network has more than 2^28 weights");
  EXPECT_EQ(error_of([] {
              parse_network_json(
                  network(R"({"name": "c", "type": "conv", "filters": 4, "kernel": 1})", "[65536, 65536, 1]"),
                  "n");
            }),
            "n: input 'x' 65536x65536x1 has more than 2^28 elements");
}

TEST(Limits, NamesAreBoundedUtf8) {
  EXPECT_EQ(error_of([] {
              parse_network_json(network(R"({"name": ")" + std::string(300, 'a') + R"(", "type": "relu"})"),
                                 "n");
            }),
            "n: layer name '" + std::string(32, 'a') + "...' is longer than 256 bytes");
  // A SCALE-Sim layer name with byte 0xFF used to break the JSON result (type_error.316) after validation.
  const std::string csv =
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
      "ok, 8, 8, 3, 3, 1, 4, 1,\nbad\xff, 8, 8, 3, 3, 1, 4, 1,\n";
  EXPECT_EQ(error_of([&] { parse_scalesim_csv(csv, "t.csv"); }),
            "t.csv:3: the layer name is not valid UTF-8");
}

// Found by fuzz_scalesim_csv: a depthwise layer's Channels x Num filter overflowed int (UBSan).
TEST(Limits, DepthwiseOutputChannelsCannotOverflow) {
  const std::string csv =
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
      "C2_DP, 11, 15, 1, 1, 1946264, 194626, 1,\n";
  EXPECT_EQ(error_of([&] { parse_scalesim_csv(csv, "t.csv"); }),
            "t.csv:2: 378793577264 output channels, more than 2^24");
}

TEST(Limits, TooManyLayers) {
  std::string csv = "Layer, M, N, K,\n";
  for (int i = 0; i <= kMaxLayers; ++i) csv += "g" + std::to_string(i) + ", 2, 2, 2,\n";
  EXPECT_EQ(error_of([&] { parse_scalesim_gemm_csv(csv, "g.csv"); }), "g.csv:10002: more than 10000 layers");
}

TEST(Limits, IdxDimensionsCannotOverflow) {
  // dims 2^32-1 x 2^32-1 x ... used to overflow the element count.
  std::vector<uint8_t> b = {0, 0, 8, 3};
  for (int i = 0; i < 12; ++i) b.push_back(0xff);
  b.push_back(1);
  EXPECT_EQ(error_of([&] { parse_idx(b, "i"); }), "i: its dims need more than 268435456 data bytes, found 1");
  EXPECT_EQ(error_of([&] { parse_idx({0, 0, 8, 5, 0, 0, 0, 1}, "i"); }), "i: IDX rank 5 (1..4 supported)");
  EXPECT_EQ(error_of([&] { parse_idx({0, 0, 8, 2, 0, 0, 0, 1}, "i"); }), "i: truncated IDX header");
  const IdxArray a = parse_idx({0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 1, 7, 9}, "i");
  EXPECT_EQ(a.dims, (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(a.data, (std::vector<uint8_t>{7, 9}));
}

}  // namespace
}  // namespace deepchip::sim
