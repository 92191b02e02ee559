#include "sim/io/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "sim/io/errors.hpp"

namespace deepchip::sim {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kBufferBytes = 1 << 16;
constexpr int kMaxSymlinks = 40;  // as the kernel's own limit (ELOOP)

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string prefix(const std::string& what) { return what.empty() ? "" : what + ": "; }

// errno values that say the path given is wrong (bad input) rather than that the machine failed.
bool path_is_wrong(int error) { return error == ENOENT || error == ENOTDIR || error == ENAMETOOLONG; }

}  // namespace

fs::path output_target(const fs::path& path, const std::string& what) {
  if (path.empty()) throw InputError(prefix(what) + "an empty path");
  fs::path p = path;
  for (int hops = 0;; ++hops) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) {
      if (errno == ENOENT) return p;  // a new file
      if (path_is_wrong(errno)) throw InputError(prefix(what) + p.string() + ": " + std::strerror(errno));
      throw EnvironmentError(prefix(what) + p.string() + ": " + std::strerror(errno));
    }
    if (S_ISREG(st.st_mode)) return p;
    if (!S_ISLNK(st.st_mode))
      throw InputError(prefix(what) + p.string() + " is " + kind_of(st.st_mode) +
                       ", not a regular file: nothing written");
    if (hops >= kMaxSymlinks)
      throw InputError(prefix(what) + path.string() + ": too many levels of symlinks");
    std::error_code ec;
    const fs::path link = fs::read_symlink(p, ec);
    if (ec) throw EnvironmentError(prefix(what) + p.string() + ": " + ec.message());
    p = link.is_absolute() ? link : p.parent_path() / link;
  }
}

void check_output_dir(const fs::path& dir, const std::string& what) {
  if (dir.empty()) throw InputError(prefix(what) + "an empty path");
  for (fs::path p = dir;;) {
    struct stat st {};
    if (::stat(p.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode))
        throw InputError(prefix(what) + p.string() +
                         (p == dir ? " exists and is not a directory" : " is not a directory"));
      // Checked now, before anything runs: a read-only file system or a directory without write permission
      // (access(2) reports EROFS even to root).
      if (::access(p.c_str(), W_OK | X_OK) != 0)
        throw EnvironmentError(prefix(what) + dir.string() + ": cannot write into " + p.string() + ": " +
                               std::strerror(errno));
      return;
    }
    // ENOTDIR: an ancestor is a file, found further up; ENOENT: to be created, its parent must be writable.
    if (errno != ENOTDIR && errno != ENOENT)
      throw EnvironmentError(prefix(what) + p.string() + ": " + std::strerror(errno));
    if (p == "." || p == p.root_path()) return;
    p = p.has_parent_path() && p.parent_path() != p ? p.parent_path() : fs::path(".");
  }
}

void make_output_dir(const fs::path& dir, const std::string& what) {
  check_output_dir(dir, what);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!ec) return;
  if (path_is_wrong(ec.value())) throw InputError(prefix(what) + dir.string() + ": " + ec.message());
  throw EnvironmentError(prefix(what) + dir.string() + ": cannot create the directory: " + ec.message());
}

OutputFile::OutputFile(const fs::path& path, const std::string& what, Durability durability)
    : given_(path), target_(output_target(path, what)), durability_(durability) {
  static std::atomic<unsigned> counter{0};
  const fs::path dir = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
  // Hidden, unique per process and file, and short enough for NAME_MAX whatever the target's name.
  temp_ = dir / ("." + target_.filename().string().substr(0, 200) + ".tmp." + std::to_string(::getpid()) +
                 "." + std::to_string(counter++));
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR)
      throw InputError(prefix(what) + given_.string() + ": cannot write: its directory " + dir.string() +
                       " does not exist");
    if (path_is_wrong(error)) throw InputError(prefix(what) + given_.string() + ": " + std::strerror(error));
    throw EnvironmentError(prefix(what) + given_.string() + ": cannot write: " + std::strerror(error));
  }
  struct stat old {};
  if (::stat(target_.c_str(), &old) == 0) ::fchmod(fd_, old.st_mode & 07777);  // keep the file's mode
  buffer_.reserve(kBufferBytes);
}

OutputFile::~OutputFile() {
  if (!committed_) discard();
}

void OutputFile::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
}

void OutputFile::fail(int error) {
  discard();
  throw EnvironmentError(given_.string() + ": cannot write: " + std::strerror(error) +
                         " (nothing written; the previous file, if any, is unchanged)");
}

void OutputFile::write(const char* data, std::size_t size) {
  if (error_ != 0 || fd_ < 0) return;
  if (buffer_.size() + size > kBufferBytes) flush_buffer();
  if (size >= kBufferBytes) {
    buffer_.assign(data, size);  // large pieces go straight through
    flush_buffer();
    return;
  }
  buffer_.append(data, size);
}

void OutputFile::flush_buffer() {
  std::size_t done = 0;
  while (error_ == 0 && done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      error_ = errno;
    else if (n == 0)
      error_ = EIO;
    else
      done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

void OutputFile::finish() {
  if (fd_ < 0) {
    if (committed_ || temp_.empty()) throw std::logic_error("OutputFile: finished twice");
    return;  // finished already (OutputSet)
  }
  flush_buffer();
  if (error_ != 0) fail(error_);
  if (durability_ == Durability::kSynced && ::fsync(fd_) != 0 && errno != EINVAL)
    fail(errno);  // EINVAL: a file system without fsync
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail(errno);  // NFS and some file systems report ENOSPC only here
}

void OutputFile::commit() {
  finish();
  if (::rename(temp_.c_str(), target_.c_str()) != 0) fail(errno);
  temp_.clear();
  committed_ = true;
}

void write_file_atomically(const fs::path& path, const std::string& text, const std::string& what,
                           Durability durability) {
  OutputFile f(path, what, durability);
  f.write(text);
  f.commit();
}

OutputFile& OutputSet::open(const fs::path& path, const std::string& what) {
  files_.push_back(std::make_unique<OutputFile>(path, what));
  return *files_.back();
}

void OutputSet::add(const fs::path& path, const std::string& text, const std::string& what) {
  open(path, what).write(text);
}

OutputFile& OutputSet::open_in(OutputSet* set, const fs::path& path, const std::string& what) {
  if (!set) throw std::logic_error("OutputSet::open_in: no output set for " + path.string());
  return set->open(path, what);
}

void OutputSet::commit() {
  for (auto& f : files_) f->finish();
  for (auto& f : files_) f->commit();
}

}  // namespace deepchip::sim
