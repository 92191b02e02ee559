// ONNX conformance: the PyTorch-converted cases of Debian's libonnx-testdata for the supported operators
// load, run on the float executor and reproduce the stored outputs within 1e-5 relative error.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "sim/errors.hpp"
#include "sim/executor.hpp"
#include "sim/onnx_import.hpp"

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
