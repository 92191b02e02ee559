// The committed trained Fashion-MNIST model (scripts/train): the C++ float executor reproduces its recorded
// test accuracy within 0.1%, and the 8-bit integer path stays close to it.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "sim/accuracy.hpp"
#include "sim/onnx_import.hpp"

namespace deepchip::sim {
namespace {

const std::string kModels = std::string(DEEPCHIP_SOURCE_DIR) + "/configs/models/";

TEST(TrainedModel, FloatAccuracyReproducedWithinATenthOfAPercent) {
  std::ifstream f(kModels + "fmnist_cnn.json");
  ASSERT_TRUE(f) << "configs/models/fmnist_cnn.json missing (scripts/train writes it)";
  const auto record = nlohmann::json::parse(f);
  const OnnxModel m = load_onnx(kModels + record["model"].get<std::string>());
  const Dataset test = load_fashion_mnist("/usr/share/datasets/fashion-mnist", true);
  const AccuracyResult r = float_accuracy(m.model, m.input, m.output, test);
  EXPECT_EQ(r.images, 10000);
  EXPECT_NEAR(r.accuracy(), record["float_test_accuracy"].get<double>(), 0.001);
  std::cout << "float accuracy " << r.accuracy() << " (PyTorch: " << record["float_test_accuracy"] << ")\n";
}

TEST(TrainedModel, Int8IntegerPathStaysCloseToFloat) {
  OnnxModel m = load_onnx(kModels + "fmnist_cnn.onnx");
  const Dataset test = load_fashion_mnist("/usr/share/datasets/fashion-mnist", true);
  // Calibrate on one real test image (the executor's calibration uses the model's own input).
  m.model.inputs[m.input] = FloatTensor(Shape{28, 28, 1});
  for (size_t k = 0; k < 784; ++k) m.model.inputs[m.input].data[k] = test.images[k] / 255.0f;
  const QuantModel q = quantize(m.model, QuantConfig{});
  const AccuracyResult f = float_accuracy(m.model, m.input, m.output, test);
  const AccuracyResult i8 = quantized_accuracy(q, m.input, m.output, test, 32);
  std::cout << "int8 accuracy " << i8.accuracy() << " vs float " << f.accuracy() << "\n";
  EXPECT_GT(i8.accuracy(), f.accuracy() - 0.05);
}

}  // namespace
}  // namespace deepchip::sim
