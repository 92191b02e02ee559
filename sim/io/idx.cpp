#include "sim/io/idx.hpp"

#include <zlib.h>

#include <filesystem>

#include "sim/io/errors.hpp"
#include "sim/io/limits.hpp"

namespace deepchip::sim {

namespace {

// Reads a whole file, inflating it if it is gzip-compressed (gzread passes plain files through), up to
// kMaxIdxBytes of data: a small file that inflates without end is an error, not exhausted memory.
std::vector<uint8_t> read_maybe_gzip(const std::string& path) {
  if (std::filesystem::is_directory(path)) throw InputError(path + ": is a directory, not an IDX file");
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw InputError(path + ": cannot open");
  std::vector<uint8_t> bytes;
  std::vector<uint8_t> buf(1 << 16);
  int n = 0;
  bool too_large = false;
  while ((n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()))) > 0) {
    bytes.insert(bytes.end(), buf.begin(), buf.begin() + n);
    if (static_cast<int64_t>(bytes.size()) > kMaxIdxBytes) {
      too_large = true;
      break;
    }
  }
  const bool failed = n < 0;
  gzclose(f);
  if (too_large)
    throw InputError(path + ": more than " + std::to_string(kMaxIdxBytes) + " bytes of IDX data (the limit)");
  if (failed) throw InputError(path + ": corrupt gzip data");
  return bytes;
}

}  // namespace

IdxArray parse_idx(const std::vector<uint8_t>& b, const std::string& origin) {
  if (b.size() < 4 || b[0] != 0 || b[1] != 0) throw InputError(origin + ": not an IDX file (bad magic)");
  if (b[2] != 0x08)
    throw InputError(origin + ": IDX element type " + std::to_string(b[2]) +
                     " unsupported (need unsigned bytes)");
  const int rank = b[3];
  if (rank < 1 || rank > kMaxIdxRank)
    throw InputError(origin + ": IDX rank " + std::to_string(rank) + " (1.." + std::to_string(kMaxIdxRank) +
                     " supported)");
  const size_t header = 4 + 4 * static_cast<size_t>(rank);
  if (b.size() < header) throw InputError(origin + ": truncated IDX header");
  IdxArray a;
  int64_t elements = 1;
  for (int i = 0; i < rank; ++i) {
    const size_t o = 4 + 4 * static_cast<size_t>(i);
    const int64_t d = (int64_t{b[o]} << 24) | (int64_t{b[o + 1]} << 16) | (int64_t{b[o + 2]} << 8) | b[o + 3];
    a.dims.push_back(d);
    elements = d > kMaxIdxBytes || elements * d > kMaxIdxBytes ? kMaxIdxBytes + 1 : elements * d;
  }
  if (static_cast<int64_t>(b.size() - header) != elements)
    throw InputError(
        origin + ": its dims need " +
        (elements > kMaxIdxBytes ? "more than " + std::to_string(kMaxIdxBytes) : std::to_string(elements)) +
        " data bytes, found " + std::to_string(b.size() - header));
  a.data.assign(b.begin() + static_cast<std::ptrdiff_t>(header), b.end());
  return a;
}

IdxArray load_idx(const std::string& path) { return parse_idx(read_maybe_gzip(path), path); }

const std::vector<DatasetKind>& dataset_kinds() {
  static const std::vector<DatasetKind> kinds = {
      {"fashion_mnist", "Fashion-MNIST", 28, 28, 1, 10, "dataset-fashion-mnist",
       "/usr/share/datasets/fashion-mnist"},
  };
  return kinds;
}

const DatasetKind* find_dataset_kind(const std::string& name) {
  for (const auto& k : dataset_kinds())
    if (k.name == name) return &k;
  return nullptr;
}

const DatasetKind& fashion_mnist() { return *find_dataset_kind("fashion_mnist"); }

Dataset load_dataset(const DatasetKind& kind, const std::string& directory, bool test_set) {
  const std::string prefix = directory + "/" + (test_set ? "t10k" : "train");
  auto find = [&](const std::string& stem) {
    for (const std::string& p : {prefix + stem + ".gz", prefix + stem})
      if (std::filesystem::exists(p)) return p;
    throw InputError(prefix + stem + ".gz: " + kind.title + " not found (Debian package " +
                     kind.debian_package + ", installed by scripts/setup, puts it in " + kind.default_dir +
                     ")");
  };
  const std::string images_file = find("-images-idx3-ubyte"), labels_file = find("-labels-idx1-ubyte");
  const IdxArray images = load_idx(images_file);
  const IdxArray labels = load_idx(labels_file);
  if (images.dims.size() != 3 || labels.dims.size() != 1 || images.dims[0] != labels.dims[0])
    throw InputError(prefix + ": images (N x H x W) and labels (N) do not match");
  if (images.dims[0] < 1 || images.dims[1] != kind.height || images.dims[2] != kind.width)
    throw InputError(images_file + ": " + kind.title + " images are N x " + std::to_string(kind.height) +
                     " x " + std::to_string(kind.width) + " with N >= 1");
  for (uint8_t label : labels.data)
    if (label >= kind.classes)
      throw InputError(labels_file + ": a label is " + std::to_string(label) + ", not 0.." +
                       std::to_string(kind.classes - 1));
  Dataset d;
  d.count = images.dims[0];
  d.height = images.dims[1];
  d.width = images.dims[2];
  d.images = images.data;
  d.labels = labels.data;
  return d;
}

}  // namespace deepchip::sim
