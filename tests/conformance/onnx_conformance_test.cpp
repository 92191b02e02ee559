// ONNX conformance: the PyTorch-converted cases of Debian's libonnx-testdata for the supported operators
// load, run on the float executor and reproduce the stored outputs within 1e-5 relative error.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "deepchip/dse_binary.hpp"
#include "deepchip/source_dir.hpp"
#include "sim/exec/float_executor.hpp"
#include "sim/io/errors.hpp"
#include "sim/ir/model.hpp"
#include "sim/onnx/import.hpp"

namespace deepchip::sim {
namespace {

const std::string kData = "/usr/share/libonnx-testdata/data/pytorch-converted/";

class OnnxConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(OnnxConformance, ReproducesTheStoredOutputs) {
  const std::string dir = kData + GetParam();
  ASSERT_TRUE(std::filesystem::exists(dir + "/model.onnx"))
      << "install libonnx-testdata (scripts/setup does)";
  OnnxModel m = load_onnx(dir + "/model.onnx");
  int sets = 0;
  for (int s = 0; std::filesystem::exists(dir + "/test_data_set_" + std::to_string(s)); ++s, ++sets) {
    const std::string set = dir + "/test_data_set_" + std::to_string(s);
    const OnnxTensor input = load_onnx_tensor(set + "/input_0.pb");
    const OnnxTensor expected = load_onnx_tensor(set + "/output_0.pb");
    const int64_t batch = input.dims.at(0);
    const size_t per = expected.values.size() / static_cast<size_t>(batch);
    double worst = 0;
    for (int64_t n = 0; n < batch; ++n) {
      m.model.inputs[m.input] = onnx_to_hwc(input, n);
      const auto tensors = run_float(m.model);
      const std::vector<float> got = hwc_to_onnx(tensors.at(m.output), m.output_is_spatial);
      ASSERT_EQ(got.size(), per) << GetParam();
      for (size_t i = 0; i < per; ++i) {
        const double e = expected.values[static_cast<size_t>(n) * per + i];
        const double err = std::fabs(got[i] - e) / std::max(1.0, std::fabs(e));
        worst = std::max(worst, err);
      }
    }
    EXPECT_LE(worst, 1e-5) << GetParam() << " data set " << s;
  }
  EXPECT_GT(sets, 0);
}

INSTANTIATE_TEST_SUITE_P(
    PyTorchConverted, OnnxConformance,
    ::testing::Values("test_Conv2d", "test_Conv2d_depthwise", "test_Conv2d_depthwise_padded",
                      "test_Conv2d_depthwise_strided", "test_Conv2d_depthwise_with_multiplier",
                      "test_Conv2d_dilated", "test_Conv2d_groups", "test_Conv2d_groups_thnn",
                      "test_Conv2d_no_bias", "test_Conv2d_padding", "test_Conv2d_strided", "test_Linear",
                      "test_Linear_no_bias", "test_ReLU", "test_MaxPool2d",
                      "test_MaxPool2d_stride_padding_dilation", "test_AvgPool2d", "test_AvgPool2d_stride",
                      "test_BatchNorm2d_eval", "test_BatchNorm2d_momentum_eval"));

// The importer's front end (tests/conformance/onnx_frontend/, made by its make_models.py with numpy
// references): a residual Add of two activations, Identity over shared initializers, the Shape/Gather/
// Unsqueeze/Concat/Reshape of view(N, -1), BatchNorm folded into a conv or a Gemm only where exact (not
// across a ReLU, not into a layer whose output is also the graph output), a Relu never fused into a graph
// output.
const std::string kFrontEnd = std::string(DEEPCHIP_SOURCE_DIR) + "/tests/conformance/onnx_frontend/";

class OnnxFrontEnd : public ::testing::TestWithParam<std::string> {};

TEST_P(OnnxFrontEnd, FloatOutputEqualsTheNumpyReference) {
  const std::string dir = kFrontEnd + GetParam();
  OnnxModel m = load_onnx(dir + "/model.onnx");
  const OnnxTensor input = load_onnx_tensor(dir + "/test_data_set_0/input_0.pb");
  const OnnxTensor expected = load_onnx_tensor(dir + "/test_data_set_0/output_0.pb");
  const OnnxTensor got = infer(m, input, false, QuantConfig{});
  ASSERT_EQ(got.values.size(), expected.values.size());
  for (size_t i = 0; i < got.values.size(); ++i)
    EXPECT_NEAR(got.values[i], expected.values[i], 1e-5 * std::max(1.0f, std::fabs(expected.values[i])))
        << GetParam() << " value " << i;
}

// The same model as a design point: the integer golden executor and the SystemC array agree bit for bit
// (dse run exits 1 otherwise) on tile and cycle.
TEST_P(OnnxFrontEnd, RunsGoldenExactOnTileAndCycle) {
  for (const char* impl : {"tile", "cycle"}) {
    const std::string config = ::testing::TempDir() + "frontend_" + GetParam() + "_" + impl + ".json";
    std::ofstream(config) << "{\"network\": \"" << kFrontEnd << GetParam()
                          << "/model.onnx\", \"hardware\": {\"array_impl\": \"" << impl
                          << "\", \"array_rows\": 4, \"array_cols\": 4}}";
    const std::string out = ::testing::TempDir() + "frontend_out_" + GetParam() + "_" + impl;
    const std::string cmd =
        std::string(DSE_BINARY) + " run --config " + config + " --out " + out + " >" + out + ".log 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << GetParam() << " on " << impl << ": see " << out << ".log";
    std::filesystem::remove_all(out);
  }
}

INSTANTIATE_TEST_SUITE_P(HandMade, OnnxFrontEnd,
                         ::testing::Values("residual_add", "conv_bn", "conv_relu_bn",
                                           "output_and_unused_relu", "output_and_unused_batchnorm",
                                           "identity_over_initializers", "view_shape_subgraph",
                                           "linear_batchnorm1d", "relu6_fused_and_standalone",
                                           "pools_in_ceil_mode", "squeeze_excite_gates",
                                           "concat_split_shuffle", "pads_affines_and_means", "encoder_block",
                                           "vit_stem", "strided_views", "causal_softmax_gelu_tanh"));

TEST(OnnxImport, UnsupportedOperatorNamesNodeOpAndFile) {
  const std::string model = kData + "test_PReLU_2d/model.onnx";
  try {
    load_onnx(model);
    FAIL() << "PReLU is not supported";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(model + ": node '", 0), 0u)
        << what;  // named by the node, or its output when unnamed
    EXPECT_NE(what.find("(PRelu): unsupported operator"), std::string::npos) << what;
  }
  EXPECT_THROW(load_onnx("/nonexistent.onnx"), InputError);
}

}  // namespace
}  // namespace deepchip::sim
