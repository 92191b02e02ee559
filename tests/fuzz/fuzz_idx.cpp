// libFuzzer target: IDX arrays (sim/io/idx.cpp), raw and through the gzip reader with its size limit.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/io/errors.hpp"
#include "sim/io/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace deepchip::sim;
  try {
    (void)parse_idx(std::vector<uint8_t>(data, data + size), "fuzz.idx");
  } catch (const InputError&) {
  }
  // The file path: gzip streams (and plain files, which gzread passes through).
  static const std::string path = "/tmp/fuzz_idx_" + std::to_string(getpid()) + ".gz";
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
    try {
      (void)load_idx(path);
    } catch (const InputError&) {
    }
  }
  return 0;
}
