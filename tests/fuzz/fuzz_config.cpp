// libFuzzer target: a sweep or point config through the validation `dse` runs (parse, check every key,
// load the networks it names, expand the grid). Anything but ConfigError/InputError is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "explorer/config/config.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/json_input.hpp"

using namespace deepchip;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  nlohmann::ordered_json config;
  try {
    config = sim::parse_json_ordered(text, "fuzz.json");
  } catch (const sim::InputError&) {
    return 0;
  }
  for (const bool sweep : {true, false}) {
    try {
      if (sweep)
        explorer::parse_sweep(config, "fuzz.json");
      else
        explorer::parse_point(config, "fuzz.json");
    } catch (const sim::ConfigError&) {
    } catch (const sim::InputError&) {
    }
  }
  return 0;
}
