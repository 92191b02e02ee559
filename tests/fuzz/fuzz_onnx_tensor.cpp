// libFuzzer target: the TensorProto input of `dse infer`, checked against a small model and, when it fits,
// run through the float executor (and, for one image, the integer path).
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/io/errors.hpp"
#include "sim/onnx/import.hpp"

namespace {
const deepchip::sim::OnnxModel& model() {
  static const deepchip::sim::OnnxModel m =
      deepchip::sim::load_onnx(FUZZ_SEED_DIR "/onnx_model/conv_relu_fc.onnx");
  return m;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace deepchip::sim;
  try {
    const OnnxTensor t = parse_onnx_tensor(std::string(reinterpret_cast<const char*>(data), size), "fuzz.pb");
    if (!onnx_input_problem(model(), t).empty()) return 0;
    (void)infer(model(), t, false, QuantConfig{});
    if (t.dims[0] == 1) (void)infer(model(), t, true, QuantConfig{});
  } catch (const InputError&) {
  }
  return 0;
}
