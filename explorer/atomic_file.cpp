#include "explorer/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "sim/errors.hpp"

namespace deepchip::explorer {

void write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  // The temporary name is unique per process, so concurrent writers never share it.
  const std::filesystem::path tmp = path.string() + ".tmp." + std::to_string(getpid());
  auto fail = [&](int err) {
    std::remove(tmp.c_str());
    throw sim::InputError(path.string() + ": cannot write: " + std::strerror(err));
  };
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) fail(errno);
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const int write_errno = errno;
  if (std::fclose(f) != 0 || !written) fail(written ? errno : write_errno);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail(errno);
}

}  // namespace deepchip::explorer
