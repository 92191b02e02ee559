// The one output writer (sim/io/output_file.hpp): what is not a regular file is never replaced, a symlink is
// written through, and a write that does not complete leaves neither the target changed nor a temporary
// file behind.
#include "sim/io/output_file.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "sim/io/errors.hpp"

namespace fs = std::filesystem;
using deepchip::sim::EnvironmentError;
using deepchip::sim::InputError;
using deepchip::sim::output_target;
using deepchip::sim::OutputFile;
using deepchip::sim::OutputSet;
using deepchip::sim::write_file_atomically;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("dse_output_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string read_text(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

size_t entries(const fs::path& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

std::string message_of(const fs::path& p) {
  try {
    output_target(p, "--timeline");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(OutputFile, RefusesDevicesFifosSocketsAndDirectoriesWithoutTouchingThem) {
  const fs::path dir = scratch("refuse");
  // A device is only looked at (lstat), never opened: the check itself cannot harm /dev/null.
  EXPECT_EQ(message_of("/dev/null"),
            "--timeline: /dev/null is a character device, not a regular file: nothing written");
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0644), 0);
  EXPECT_EQ(message_of(dir / "fifo"),
            "--timeline: " + (dir / "fifo").string() + " is a FIFO, not a regular file: nothing written");
  const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string sock_path = (dir / "sock").string();
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock_path.c_str());
  ASSERT_EQ(::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  EXPECT_NE(message_of(dir / "sock").find("is a socket, not a regular file"), std::string::npos);
  ::close(sock);
  EXPECT_NE(message_of(dir).find("is a directory, not a regular file"), std::string::npos);
  // Through a symlink too: the link to the FIFO is refused, and the FIFO is still a FIFO.
  fs::create_symlink(dir / "fifo", dir / "to_fifo");
  EXPECT_THROW(write_file_atomically(dir / "to_fifo", "x"), InputError);
  EXPECT_TRUE(fs::is_fifo(dir / "fifo"));
  EXPECT_TRUE(fs::is_symlink(dir / "to_fifo"));
  EXPECT_EQ(entries(dir), 3u);  // fifo, sock, to_fifo: no temporary file
  fs::remove_all(dir);
}

TEST(OutputFile, WritesThroughASymlinkAndKeepsTheLink) {
  const fs::path dir = scratch("symlink");
  fs::create_directories(dir / "real");
  std::ofstream(dir / "real" / "t.json") << "old";
  fs::create_symlink("real/t.json", dir / "link.json");  // relative to the link's directory
  write_file_atomically(dir / "link.json", "new");
  EXPECT_TRUE(fs::is_symlink(dir / "link.json"));
  EXPECT_EQ(read_text(dir / "real" / "t.json"), "new");
  // A dangling link: the file it names is created.
  fs::create_symlink(dir / "real" / "fresh.json", dir / "dangling");
  write_file_atomically(dir / "dangling", "fresh");
  EXPECT_EQ(read_text(dir / "real" / "fresh.json"), "fresh");
  EXPECT_TRUE(fs::is_symlink(dir / "dangling"));
  // A loop is bad input.
  fs::create_symlink(dir / "b", dir / "a");
  fs::create_symlink(dir / "a", dir / "b");
  EXPECT_THROW(write_file_atomically(dir / "a", "x"), InputError);
  fs::remove_all(dir);
}

TEST(OutputFile, NothingChangesUntilCommitAndAnUncommittedFileLeavesNoTrace) {
  const fs::path dir = scratch("commit");
  std::ofstream(dir / "f.txt") << "before";
  {
    OutputFile f(dir / "f.txt");
    f.write(std::string(200000, 'a'));  // past the buffer: on disk in the temporary file already
    EXPECT_EQ(read_text(dir / "f.txt"), "before");
    EXPECT_EQ(entries(dir), 2u);  // f.txt and the temporary file beside it
  }
  EXPECT_EQ(read_text(dir / "f.txt"), "before");
  EXPECT_EQ(entries(dir), 1u);
  OutputFile g(dir / "f.txt");
  g.write("after");
  g.commit();
  EXPECT_EQ(read_text(dir / "f.txt"), "after");
  EXPECT_EQ(entries(dir), 1u);
  fs::remove_all(dir);
}

TEST(OutputFile, AMissingDirectoryIsBadInputAndAnUnwritableOneTheEnvironment) {
  const fs::path dir = scratch("dirs");
  EXPECT_THROW(write_file_atomically(dir / "no" / "f.txt", "x"), InputError);
  std::ofstream(dir / "file") << "x";
  EXPECT_THROW(deepchip::sim::check_output_dir(dir / "file" / "sub", "-p"), InputError);
  EXPECT_THROW(deepchip::sim::make_output_dir(dir / "file" / "sub", "-p"), InputError);
  if (::geteuid() != 0) {  // root writes anywhere: the read-only case is in tests/explorer/environment_test
    fs::create_directories(dir / "locked");
    fs::permissions(dir / "locked", fs::perms::owner_read | fs::perms::owner_exec);
    EXPECT_THROW(write_file_atomically(dir / "locked" / "f.txt", "x"), EnvironmentError);
    fs::permissions(dir / "locked", fs::perms::owner_all);
  }
  fs::remove_all(dir);
}

TEST(OutputFile, ASetRenamesNothingWhenOneOfItsFilesCannotBeWritten) {
  const fs::path dir = scratch("set");
  std::ofstream(dir / "a.txt") << "old a";
  ASSERT_EQ(::mkfifo((dir / "b.txt").c_str(), 0644), 0);
  OutputSet set;
  set.add(dir / "a.txt", "new a");
  EXPECT_THROW(set.add(dir / "b.txt", "new b"), InputError);
  EXPECT_EQ(read_text(dir / "a.txt"), "old a");
  OutputSet good;
  good.add(dir / "a.txt", "new a");
  good.add(dir / "c.txt", "new c");
  EXPECT_FALSE(fs::exists(dir / "c.txt"));
  good.commit();
  EXPECT_EQ(read_text(dir / "a.txt"), "new a");
  EXPECT_EQ(read_text(dir / "c.txt"), "new c");
  fs::remove_all(dir);
}

TEST(OutputFile, AReplacedFileKeepsItsMode) {
  const fs::path dir = scratch("mode");
  std::ofstream(dir / "private.json") << "{}";
  fs::permissions(dir / "private.json", fs::perms::owner_read | fs::perms::owner_write);
  write_file_atomically(dir / "private.json", "{\"a\": 1}", "", deepchip::sim::Durability::kUnsynced);
  EXPECT_EQ(fs::status(dir / "private.json").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(read_text(dir / "private.json"), "{\"a\": 1}");
  fs::remove_all(dir);
}

TEST(OutputFile, DevFullIsRefusedBeforeAnyWrite) {
  // /dev/full fails every write with ENOSPC; as a device it is refused before it is opened.
  EXPECT_THROW(write_file_atomically("/dev/full", "x"), InputError);
}

}  // namespace
