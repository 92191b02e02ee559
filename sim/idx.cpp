#include "sim/idx.hpp"

#include <zlib.h>

#include <filesystem>

#include "sim/errors.hpp"

namespace deepchip::sim {

namespace {

// Reads a whole file, inflating it if it is gzip-compressed (gzread passes plain files through).
std::vector<uint8_t> read_maybe_gzip(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw InputError(path + ": cannot open");
  std::vector<uint8_t> bytes;
  std::vector<uint8_t> buf(1 << 20);
  int n = 0;
  while ((n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()))) > 0)
    bytes.insert(bytes.end(), buf.begin(), buf.begin() + n);
  const bool failed = n < 0;
  gzclose(f);
  if (failed) throw InputError(path + ": corrupt gzip data");
  return bytes;
}

}  // namespace

IdxArray load_idx(const std::string& path) {
  const std::vector<uint8_t> b = read_maybe_gzip(path);
  if (b.size() < 4 || b[0] != 0 || b[1] != 0) throw InputError(path + ": not an IDX file (bad magic)");
  if (b[2] != 0x08)
    throw InputError(path + ": IDX element type " + std::to_string(b[2]) +
                     " unsupported (need unsigned bytes)");
  const int rank = b[3];
  if (rank < 1 || b.size() < 4 + 4 * static_cast<size_t>(rank))
    throw InputError(path + ": truncated IDX header");
  IdxArray a;
  int64_t elements = 1;
  for (int i = 0; i < rank; ++i) {
    const size_t o = 4 + 4 * static_cast<size_t>(i);
    const int64_t d = (int64_t{b[o]} << 24) | (int64_t{b[o + 1]} << 16) | (int64_t{b[o + 2]} << 8) | b[o + 3];
    a.dims.push_back(d);
    elements *= d;
  }
  const size_t header = 4 + 4 * static_cast<size_t>(rank);
  if (b.size() - header != static_cast<size_t>(elements))
    throw InputError(path + ": expected " + std::to_string(elements) + " data bytes, found " +
                     std::to_string(b.size() - header));
  a.data.assign(b.begin() + static_cast<std::ptrdiff_t>(header), b.end());
  return a;
}

Dataset load_fashion_mnist(const std::string& directory, bool test_set) {
  const std::string prefix = directory + "/" + (test_set ? "t10k" : "train");
  auto find = [&](const std::string& stem) {
    for (const std::string& p : {prefix + stem + ".gz", prefix + stem})
      if (std::filesystem::exists(p)) return p;
    throw InputError(prefix + stem +
                     ".gz: Fashion-MNIST not found (Debian package dataset-fashion-mnist, "
                     "installed by scripts/setup, puts it in /usr/share/datasets/fashion-mnist)");
  };
  const IdxArray images = load_idx(find("-images-idx3-ubyte"));
  const IdxArray labels = load_idx(find("-labels-idx1-ubyte"));
  if (images.dims.size() != 3 || labels.dims.size() != 1 || images.dims[0] != labels.dims[0])
    throw InputError(prefix + ": images (N x H x W) and labels (N) do not match");
  Dataset d;
  d.count = images.dims[0];
  d.height = images.dims[1];
  d.width = images.dims[2];
  d.images = images.data;
  d.labels = labels.data;
  return d;
}

}  // namespace deepchip::sim
