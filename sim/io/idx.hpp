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

// A labelled image set in IDX files (t10k-/train-images-idx3-ubyte, -labels-idx1-ubyte, gzipped or not):
// what a network measured on it takes and gives, and where Debian puts it.
struct DatasetKind {
  std::string name;   // accuracy.dataset's value
  std::string title;  // in messages
  int64_t height = 0, width = 0, channels = 0, classes = 0;
  std::string debian_package, default_dir;
};
// The sets accuracy in the loop can read: Fashion-MNIST (28x28 grey, 10 classes).
const std::vector<DatasetKind>& dataset_kinds();
const DatasetKind* find_dataset_kind(const std::string& name);  // null: not one of dataset_kinds()
const DatasetKind& fashion_mnist();

// The test or training set of `kind` from `directory`.
struct Dataset {
  int64_t count = 0, height = 0, width = 0;
  std::vector<uint8_t> images;  // count x height x width
  std::vector<uint8_t> labels;  // count
};
Dataset load_dataset(const DatasetKind& kind, const std::string& directory, bool test_set);
inline Dataset load_fashion_mnist(const std::string& directory, bool test_set) {
  return load_dataset(fashion_mnist(), directory, test_set);
}

}  // namespace deepchip::sim
