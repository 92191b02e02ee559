// IDX files (the MNIST / Fashion-MNIST format), plain or gzip-compressed (as Debian's dataset-fashion-mnist
// ships them): big-endian magic (0x00 0x00 type dims), big-endian dimension sizes, then the data.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace deepchip::sim {

struct IdxArray {
  std::vector<int64_t> dims;
  std::vector<uint8_t> data;  // unsigned bytes (type 0x08), row-major
};

// Throws InputError "file: ..." on a missing or malformed file. A missing Fashion-MNIST file says which
// Debian package provides it.
IdxArray load_idx(const std::string& path);
// The same on the (decompressed) bytes of a file; `origin` leads every message.
IdxArray parse_idx(const std::vector<uint8_t>& bytes, const std::string& origin);

// The Fashion-MNIST test or training set from `directory` (Debian: /usr/share/datasets/fashion-mnist).
struct Dataset {
  int64_t count = 0, height = 0, width = 0;
  std::vector<uint8_t> images;  // count x height x width
  std::vector<uint8_t> labels;  // count
};
Dataset load_fashion_mnist(const std::string& directory, bool test_set);

}  // namespace deepchip::sim
