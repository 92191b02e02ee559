// The worker-to-sweep message pipe (explorer/run/message_pipe.hpp): framing, a message larger than the
// pipe's buffer from a real forked writer, and a writer that ends half-way through a message.
#include "explorer/run/message_pipe.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

namespace deepchip::explorer {
namespace {

// Forks a writer that runs `write` on the pipe's write end and exits; returns the read end's reader.
template <typename F>
MessageReader fork_writer(F write, pid_t& pid) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    write(fds[1]);
    _exit(0);
  }
  ::close(fds[1]);
  return MessageReader(fds[0]);
}

TEST(MessagePipe, MessagesLargerThanThePipeArriveWholeAndInOrder) {
  const std::string big(3 << 20, 'x');  // 3 MiB: the writer blocks until the reader drains
  pid_t pid = 0;
  MessageReader reader = fork_writer(
      [&](int fd) {
        write_message(fd, "first");
        write_message(fd, big);
        write_message(fd, "");
      },
      pid);
  // Drained as it arrives, as the pool does while it waits for its workers.
  while (!reader.read_available()) {
    pollfd p{reader.fd(), POLLIN, 0};
    ::poll(&p, 1, 100);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_EQ(reader.next(), std::optional<std::string>("first"));
  EXPECT_EQ(reader.next(), std::optional<std::string>(big));
  EXPECT_EQ(reader.next(), std::optional<std::string>(""));
  EXPECT_EQ(reader.next(), std::nullopt);
}

TEST(MessagePipe, AWriterThatEndsMidMessageLeavesNoMessage) {
  pid_t pid = 0;
  MessageReader reader = fork_writer(
      [](int fd) {
        const char header[8] = {100, 0, 0, 0, 0, 0, 0, 0};  // announces 100 bytes, sends 5
        (void)!::write(fd, header, sizeof header);
        (void)!::write(fd, "hello", 5);
      },
      pid);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  reader.read_to_end();
  EXPECT_EQ(reader.next(), std::nullopt);
}

TEST(MessagePipe, WritingToAClosedReaderFails) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[0]);
  const auto old = ::signal(SIGPIPE, SIG_IGN);
  EXPECT_FALSE(write_message(fds[1], "nobody reads this"));
  ::signal(SIGPIPE, old);
  ::close(fds[1]);
}

}  // namespace
}  // namespace deepchip::explorer
