// libFuzzer target: the JSON network format (sim/io/network_json.cpp) and the shape inference behind it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/io/errors.hpp"
#include "sim/io/network_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const deepchip::sim::Network n = deepchip::sim::parse_network_json(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
    (void)n.total_macs();
  } catch (const deepchip::sim::InputError&) {
  }
  return 0;
}
