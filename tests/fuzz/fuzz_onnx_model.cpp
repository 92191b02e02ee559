// libFuzzer target: ONNX model import (sim/onnx/import.cpp): protobuf bytes to the IR and its weights.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/io/errors.hpp"
#include "sim/onnx/import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const deepchip::sim::OnnxModel m =
        deepchip::sim::parse_onnx(std::string(reinterpret_cast<const char*>(data), size), "fuzz.onnx");
    (void)m.model.net.total_macs();
  } catch (const deepchip::sim::InputError&) {
  }
  return 0;
}
