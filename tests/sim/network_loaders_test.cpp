#include <gtest/gtest.h>

#include "sim/io/errors.hpp"
#include "sim/io/network_io.hpp"
#include "tests/sim/error_of.hpp"

namespace deepchip::sim {
namespace {

using testing::error_of;

TEST(JsonNetwork, ParsesLayersAndInfersShapes) {
  const Network n = parse_network_json(R"({
    "name": "tiny", "inputs": [{"name": "img", "shape": [8, 8, 3]}],
    "layers": [
      {"name": "c1", "type": "conv", "filters": 4, "kernel": 3, "stride": 2, "padding": 1, "relu": true},
      {"name": "dw", "type": "conv", "filters": 4, "kernel": [3, 3], "groups": 4, "padding": [1, 1]},
      {"name": "sum", "type": "add", "inputs": ["c1", "dw"], "relu": true},
      {"name": "p", "type": "avgpool", "kernel": 2, "stride": 2},
      {"name": "fc", "type": "fc", "units": 5}
    ]})",
                                       "tiny.json");
  ASSERT_EQ(n.layers.size(), 5u);
  EXPECT_EQ(n.layers[0].out_shape, (Shape{4, 4, 4}));  // floor((8 + 2 - 3) / 2) + 1 = 4
  EXPECT_EQ(n.layers[1].out_shape, (Shape{4, 4, 4}));
  EXPECT_EQ(n.layers[3].out_shape, (Shape{2, 2, 4}));
  EXPECT_EQ(n.layers[4].out_shape, (Shape{1, 1, 5}));
  EXPECT_EQ(n.layers[4].kernel_h, 2);  // fc covers the whole 2x2x4 input
  EXPECT_EQ(layer_macs(n.layers[0]), 16 * 27 * 4);
  EXPECT_EQ(layer_macs(n.layers[1]), 16 * 9 * 4);
  EXPECT_EQ(layer_macs(n.layers[4]), 16 * 5);
}

TEST(JsonNetwork, ErrorsNameFileAndPath) {
  const std::string base = R"({"inputs": [{"name": "x", "shape": [4, 4, 1]}], "layers": [)";
  EXPECT_EQ(error_of([&] {
              parse_network_json(base + R"({"name": "c", "type": "conv", "filters": 2, "kernal": 3}]})",
                                 "n.json");
            }),
            "n.json: layers[0].kernal: unknown key (allowed: dilation, filters, groups, inputs, kernel, "
            "name, padding, "
            "relu, stride, type, units)");
  EXPECT_EQ(error_of([&] {
              parse_network_json(base + R"({"name": "c", "type": "conv", "filters": -2, "kernel": 3}]})",
                                 "n.json");
            }),
            "n.json: layers[0].filters: must be an integer in 1..1048576, got -2");
  EXPECT_EQ(error_of([&] {
              parse_network_json(
                  base + R"({"name": "c", "type": "conv", "filters": 2, "kernel": 3, "inputs": ["y"]}]})",
                  "n.json");
            }),
            "n.json: layer 'c': input 'y' is not an earlier layer or a network input");
  EXPECT_EQ(error_of([&] {
              parse_network_json(base + R"({"name": "c", "type": "conv", "filters": 2, "kernel": 5}]})",
                                 "n.json");
            }),
            "n.json: layer 'c': kernel 5x5 larger than padded input 4x4x1");
  EXPECT_NE(error_of([&] { parse_network_json("{", "n.json"); }).find("n.json: not valid JSON"),
            std::string::npos);
}

TEST(ScaleSimCsv, ReadsLayersTheWayScaleSimDoes) {
  const Network n = parse_scalesim_csv(
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
      "Conv1, 224, 224, 11, 11, 3, 96, 4,\n"
      "\n"
      "CB2_DP, 112, 112, 3, 3, 32, 1, 1,\n"
      "NoTrail, 7, 9, 3, 3, 8, 16, 2, 3\n",
      "t.csv");
  ASSERT_EQ(n.layers.size(), 3u);
  // ceil((224 - 11 + 4) / 4) = 55: the last window reads 3 zero rows past the input.
  EXPECT_EQ(n.layers[0].out_shape, (Shape{55, 55, 96}));
  EXPECT_EQ(n.layers[0].pad_bottom, 3);
  EXPECT_EQ(layer_macs(n.layers[0]), 55LL * 55 * 11 * 11 * 3 * 96);
  // DP: SCALE-Sim runs 32 one-channel layers of 1 filter: a depthwise conv.
  EXPECT_EQ(n.layers[1].groups, 32);
  EXPECT_EQ(n.layers[1].out_shape, (Shape{110, 110, 32}));
  EXPECT_EQ(layer_macs(n.layers[1]), 110LL * 110 * 3 * 3 * 32);
  // Separate stride width, no trailing comma: ceil((7-3+2)/2) = 3, ceil((9-3+3)/3) = 3.
  EXPECT_EQ(n.layers[2].out_shape, (Shape{3, 3, 16}));
  EXPECT_EQ(n.layers[2].inputs[0], "NoTrail_ifmap");
  EXPECT_EQ(n.inputs.size(), 3u);
}

TEST(ScaleSimCsv, ErrorsNameFileAndLine) {
  const std::string header =
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n";
  EXPECT_EQ(error_of([&] { parse_scalesim_csv(header + "c1, 8, x, 3, 3, 1, 1, 1,\n", "t.csv"); }),
            "t.csv:2: column 'IFMAP width' must be an integer in 1..16777216, got 'x'");
  EXPECT_EQ(error_of([&] { parse_scalesim_csv(header + "\nc1, 8, 8, 3, 3, 1, 1,\n", "t.csv"); }),
            "t.csv:3: expected 8 or 9 fields (name, IFMAP height, IFMAP width, filter height, filter width, "
            "channels, "
            "num filter, stride[, stride width]), got 7");
  EXPECT_EQ(error_of([&] { parse_scalesim_csv(header + "c1, 8, 8, 9, 3, 1, 1, 1,\n", "t.csv"); }),
            "t.csv:2: filter 9x3 larger than IFMAP 8x8");
  EXPECT_EQ(error_of([&] { parse_scalesim_csv(header, "t.csv"); }),
            "t.csv: no layers (a header line, then one layer per line)");
  EXPECT_EQ(error_of([&] {
              parse_scalesim_csv(header + "a, 8, 8, 3, 3, 1, 1, 1,\na, 8, 8, 3, 3, 1, 1, 1,\n", "t.csv");
            }),
            "t.csv:3: duplicate layer name 'a'");
}

TEST(ScaleSimCsv, HugeLayersAreErrorsNotCrashes) {
  EXPECT_EQ(error_of([&] { parse_scalesim_csv("h\nbig, 100000, 100000, 3, 3, 1000, 8, 1,\n", "t.csv"); }),
            "t.csv:2: IFMAP 100000x100000x1000 has more than 2^28 elements");
}

TEST(ScaleSimGemmCsv, MapsMnkToAConv) {
  const Network n = parse_scalesim_gemm_csv("Layer, M, N, K,\ng1, 64, 128, 256,\n", "g.csv");
  ASSERT_EQ(n.layers.size(), 1u);
  const GemmShape g = gemm_shape(n.layers[0]);
  EXPECT_EQ(g.m, 64);
  EXPECT_EQ(g.n, 128);
  EXPECT_EQ(g.k, 256);
  EXPECT_EQ(error_of([&] { parse_scalesim_gemm_csv("Layer, M, N, K,\ng1, 64, 0, 256,\n", "g.csv"); }),
            "g.csv:2: column 'N' must be an integer in 1..16777216, got '0'");
}

TEST(ScaleSimGemmCsv, IsRecognizedByItsHeader) {
  EXPECT_TRUE(is_scalesim_gemm_header("Layer,M,N,K,\r\nQKT,1024,1024,64,\r\n"));
  EXPECT_TRUE(is_scalesim_gemm_header("layer, m, n, k\n"));
  EXPECT_FALSE(
      is_scalesim_gemm_header("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                              "Channels, Num Filter, Strides,\n"));
  EXPECT_FALSE(is_scalesim_gemm_header("Layer, M, K, N,\n"));
  EXPECT_EQ(error_of([&] { parse_scalesim_csv("Layer, Rows, Cols, Depth,\ng1, 64, 128, 256,\n", "g.csv"); }),
            "g.csv:2: expected 8 or 9 fields (name, IFMAP height, IFMAP width, filter height, filter width, "
            "channels, num filter, stride[, stride width]), got 4 (a GEMM topology starts with the header "
            "'Layer, M, N, K')");
}

TEST(LoadNetwork, UnknownReferenceIsAnError) {
  EXPECT_EQ(error_of([&] { load_network("resnet19"); }),
            "resnet19: not a zoo network (lenet5, svhn_convnet, resnet18, resnet50, mobilenet_v2, resnet44, "
            "alexnet, vit_b_16, vit_tiny, bert_base, bert_tiny, gpt2, gpt2_tiny) nor a file ending in "
            ".json, .csv or .onnx; did you mean 'resnet18'?");
  EXPECT_NE(error_of([&] { load_network("ResNet-50"); }).find("; did you mean 'resnet50'?"),
            std::string::npos);
  EXPECT_NE(error_of([&] { load_network("lenet"); }).find("; did you mean 'lenet5'?"), std::string::npos);
  EXPECT_EQ(error_of([&] { load_network("vgg99"); }).find("did you mean"), std::string::npos);
  EXPECT_EQ(error_of([&] { load_network("/nonexistent/n.json"); }),
            "/nonexistent/n.json: cannot open network file");
}

// Found by fuzz_network_json: a name that is not a string used to escape as nlohmann's type_error.
TEST(JsonNetwork, NameMustBeAString) {
  EXPECT_EQ(error_of([] { parse_network_json(R"({"name":  22222200812})", "n.json"); }),
            "n.json: name: must be a string");
}

}  // namespace
}  // namespace deepchip::sim
