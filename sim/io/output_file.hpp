// Every file the project writes goes through OutputFile, so that no output can clobber what is not a file
// and no failed write leaves a half-written file:
// - the target is checked first: an existing directory, character or block device, FIFO or socket is
//   refused (InputError, exit 2: `--timeline /dev/null` must not replace /dev/null when run as root); a
//   symlink is followed to the file it names, which is what gets replaced;
// - the data go to a temporary file beside the target (same directory, so the rename is atomic); every
//   write(2), fsync(2) and close(2) is checked;
// - commit() renames the temporary file over the target only when all of that succeeded; otherwise, and
//   when the OutputFile is destroyed uncommitted, the temporary file is removed and the target is untouched.
// A failing machine (full disk, read-only file system, permission, I/O error) is an EnvironmentError
// (exit 5) naming the path and the system's reason.
#pragma once
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace deepchip::sim {

// The file `path` leads to once its symlinks are followed (it may not exist yet). Throws InputError
// "<what>: <path> is a character device, not a regular file" (likewise a block device, FIFO, socket or
// directory) and for a symlink loop. `what` names the option or file role in the message ("--timeline").
std::filesystem::path output_target(const std::filesystem::path& path, const std::string& what);

// An output directory: `dir` and its existing ancestors must be directories (InputError naming `what`,
// "--out", otherwise). make_output_dir also creates it: a read-only file system, a permission or a full
// disk is an EnvironmentError.
void check_output_dir(const std::filesystem::path& dir, const std::string& what);
void make_output_dir(const std::filesystem::path& dir, const std::string& what);

// kSynced: fsync(2) before the rename, so that a power loss leaves the old file or the complete new one.
// kUnsynced: for files that only pass a result between processes (a worker's result.json), whose loss in a
// power cut only means the point runs again; every write and close is still checked.
enum class Durability { kSynced, kUnsynced };

class OutputFile {
 public:
  // Checks the target (output_target) and creates the temporary file beside it (with the mode of the file
  // it replaces, if any). Throws InputError for a
  // target that is no regular file or a directory that does not exist, EnvironmentError when the
  // directory cannot be written.
  explicit OutputFile(const std::filesystem::path& path, const std::string& what = "",
                      Durability durability = Durability::kSynced);
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();

  // Buffered; the first failing write(2) is kept (later writes are dropped) and reported by commit().
  void write(const char* data, std::size_t size);
  void write(const std::string& text) { write(text.data(), text.size()); }
  // Writes what is buffered, fsyncs and closes the temporary file (no rename yet). Throws EnvironmentError
  // "<path>: cannot write: <reason>" on the first failure of any of them (the temporary file removed).
  void finish();
  // finish(), then renames the temporary file over the target.
  void commit();
  bool committed() const { return committed_; }
  // The file that commit() replaces (symlinks followed) and the name the caller gave.
  const std::filesystem::path& target() const { return target_; }
  const std::filesystem::path& given_path() const { return given_; }

 private:
  void flush_buffer();
  [[noreturn]] void fail(int error);
  void discard() noexcept;

  std::filesystem::path given_, target_, temp_;
  int fd_ = -1;
  int error_ = 0;  // errno of the first failed write, 0 while all went well
  Durability durability_;
  std::string buffer_;
  bool committed_ = false;
};

// The whole of `text` to `path` through an OutputFile.
void write_file_atomically(const std::filesystem::path& path, const std::string& text,
                           const std::string& what = "", Durability durability = Durability::kSynced);

// Several outputs of one command that stand or fall together: each is written to its temporary file, and
// commit() renames them only after all were written and synced, so a full disk leaves none of them
// changed. Files opened here keep their address until the set is destroyed.
class OutputSet {
 public:
  OutputFile& open(const std::filesystem::path& path, const std::string& what = "");
  void add(const std::filesystem::path& path, const std::string& text, const std::string& what = "");
  // Throws EnvironmentError on the first failure; nothing of the set is renamed then.
  void commit();
  // open() on a set that must be there: a trace asked for without one is a programming error.
  static OutputFile& open_in(OutputSet* set, const std::filesystem::path& path, const std::string& what);

 private:
  std::vector<std::unique_ptr<OutputFile>> files_;
};

}  // namespace deepchip::sim
