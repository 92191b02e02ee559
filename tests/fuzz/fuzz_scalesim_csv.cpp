// libFuzzer target: SCALE-Sim topology CSVs, conv and GEMM forms (sim/io/scalesim_csv.cpp).
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/io/errors.hpp"
#include "sim/io/network_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)deepchip::sim::parse_scalesim_csv(text, "fuzz.csv").total_macs();
  } catch (const deepchip::sim::InputError&) {
  }
  try {
    (void)deepchip::sim::parse_scalesim_gemm_csv(text, "fuzz.gemm.csv").total_macs();
  } catch (const deepchip::sim::InputError&) {
  }
  return 0;
}
