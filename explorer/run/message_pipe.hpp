// Messages between the sweep and its worker processes over pipes: each is its byte length (8 bytes,
// little-endian) then its text. Writes block; the sweep reads its workers' results without blocking, as
// bytes arrive, so that a worker whose result exceeds the pipe's buffer never waits on a parent that waits
// on it; a worker waits for its next point (wait_next).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace deepchip::explorer {

// Writes one message to `fd` (a pipe's write end); false when the reader is gone or the write failed.
bool write_message(int fd, const std::string& text);

// The read end of a worker's pipe (owned: closed on destruction).
class MessageReader {
 public:
  explicit MessageReader(int fd);
  ~MessageReader();
  MessageReader(MessageReader&& other) noexcept;
  MessageReader& operator=(MessageReader&& other) noexcept;
  MessageReader(const MessageReader&) = delete;
  MessageReader& operator=(const MessageReader&) = delete;

  int fd() const { return fd_; }
  // Reads whatever is available now (the fd is non-blocking); true once the writer closed its end.
  bool read_available();
  // Reads until the writer closed its end (it exited); then the whole messages it sent are complete.
  void read_to_end();
  // The next complete message, if any.
  std::optional<std::string> next();
  // Blocks until the next message is complete, or the writer closed its end without one (nullopt).
  std::optional<std::string> wait_next();

 private:
  void close_fd();
  int fd_ = -1;
  bool ended_ = false;
  std::string buffer_;
};

}  // namespace deepchip::explorer
