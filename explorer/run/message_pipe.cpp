#include "explorer/run/message_pipe.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace deepchip::explorer {

namespace {

constexpr size_t kHeaderBytes = 8;

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

bool write_message(int fd, const std::string& text) {
  char header[kHeaderBytes];
  uint64_t size = text.size();
  for (char& byte : header) {
    byte = static_cast<char>(size & 0xff);
    size >>= 8;
  }
  return write_all(fd, header, kHeaderBytes) && write_all(fd, text.data(), text.size());
}

MessageReader::MessageReader(int fd) : fd_(fd) {
  const int flags = ::fcntl(fd_, F_GETFL);
  ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
}

MessageReader::~MessageReader() { close_fd(); }

MessageReader::MessageReader(MessageReader&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), ended_(other.ended_), buffer_(std::move(other.buffer_)) {}

MessageReader& MessageReader::operator=(MessageReader&& other) noexcept {
  if (this != &other) {
    close_fd();
    fd_ = std::exchange(other.fd_, -1);
    ended_ = other.ended_;
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

void MessageReader::close_fd() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool MessageReader::read_available() {
  char chunk[65536];
  while (!ended_) {
    const ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
    } else if (n == 0) {
      ended_ = true;  // every writer closed its end
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      break;
    } else {
      ended_ = true;  // a broken pipe reads as its end: what arrived is what there is
    }
  }
  return ended_;
}

void MessageReader::read_to_end() {
  while (!read_available()) {
    pollfd p{fd_, POLLIN, 0};
    ::poll(&p, 1, 100);
  }
}

std::optional<std::string> MessageReader::wait_next() {
  for (;;) {
    const bool ended = read_available();
    if (std::optional<std::string> text = next()) return text;
    if (ended) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    ::poll(&p, 1, -1);
  }
}

std::optional<std::string> MessageReader::next() {
  if (buffer_.size() < kHeaderBytes) return std::nullopt;
  uint64_t size = 0;
  for (size_t i = kHeaderBytes; i-- > 0;) size = (size << 8) | static_cast<unsigned char>(buffer_[i]);
  if (buffer_.size() - kHeaderBytes < size) return std::nullopt;
  std::string text = buffer_.substr(kHeaderBytes, size);
  buffer_.erase(0, kHeaderBytes + size);
  return text;
}

}  // namespace deepchip::explorer
