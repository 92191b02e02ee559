// The SystemC accelerator and the golden integer executor agree bit for bit on real Fashion-MNIST images,
// for the trained models in their int8 and DeepChip (ternary + int8 first/last, pruned, Huffman) formats.
#include <gtest/gtest.h>

#include "deepchip/source_dir.hpp"
#include "harness.hpp"
#include "sim/exec/accuracy.hpp"
#include "sim/exec/golden.hpp"
#include "sim/onnx/import.hpp"

namespace deepchip::models {
namespace {

const std::string kModels = std::string(DEEPCHIP_SOURCE_DIR) + "/configs/models/";
const std::string kFashion = "/usr/share/datasets/fashion-mnist";

sim::QuantConfig deepchip_format() {
  sim::QuantConfig c;
  c.weight_format = sim::WeightFormat::kTernary;
  c.first_last_weight_bits = 8;
  c.sparsity = 0.3;
  c.huffman = sim::HuffmanMode::kZeroRle;
  return c;
}

TEST(RealImages, AcceleratorMatchesGoldenBitForBit) {
  const sim::Dataset test = sim::load_fashion_mnist(kFashion, true);
  const sim::Dataset train = sim::load_fashion_mnist(kFashion, false);
  constexpr int kImages = 6;  // a sample: every one runs through cycle and tile arrays
  testing::Bench bench;
  struct Case {
    size_t instance;
    std::string output;
  };
  std::vector<Case> cases;
  for (const auto& [file, config] : std::vector<std::pair<std::string, sim::QuantConfig>>{
           {"fmnist_cnn.onnx", sim::QuantConfig{}}, {"fmnist_cnn_deepchip.onnx", deepchip_format()}}) {
    sim::OnnxModel m = sim::load_onnx(kModels + file);
    for (int i = 0; i < kImages; ++i) {
      // Image i of the test set, far apart in the set so the classes differ.
      m.model.inputs[m.input] = sim::dataset_image(test, i * 1667);
      const sim::QuantModel q = sim::quantize_calibrated(m.model, config, m.input, train, 64);
      sim::HardwareConfig hw;
      hw.array_rows = hw.array_cols = 8;
      hw.impl = i % 2 ? sim::ArrayImpl::kTile : sim::ArrayImpl::kCycle;
      hw.zero_handling = sim::ZeroHandling::kSkipping;
      cases.push_back({bench.add(hw, q), m.output});
    }
  }
  bench.run();
  for (const auto& c : cases) {
    const auto golden = sim::run_golden(bench.model(c.instance), 32);
    const auto& simulated = bench[c.instance].tensors();
    for (const auto& layer : bench.model(c.instance).net.layers)
      ASSERT_EQ(simulated.at(layer.name).data, golden.at(layer.name).data)
          << "instance " << c.instance << " layer " << layer.name;
    const auto& logits = simulated.at(c.output).data;
    EXPECT_EQ(logits.size(), 10u);
  }
}

}  // namespace
}  // namespace deepchip::models
