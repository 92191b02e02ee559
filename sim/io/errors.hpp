// Errors raised on bad user input (main exits with code 2) and on a failing environment (code 5). Library
// code throws; only main() prints.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace deepchip::sim {

// A message as one printable line: control characters that came from the input (a NUL in a JSON key, a
// newline or an escape in a file name) become "\xNN", so that they neither cut the message (what() is a C
// string) nor reach the terminal raw.
inline std::string printable(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      static const char* const kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// One or more problems in a configuration, each message starting with its JSON path.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<std::string> messages)
      : std::runtime_error(join(escaped(messages))), messages_(escaped(std::move(messages))) {}
  explicit ConfigError(const std::string& message) : ConfigError(std::vector<std::string>{message}) {}
  const std::vector<std::string>& messages() const { return messages_; }

 private:
  static std::vector<std::string> escaped(std::vector<std::string> messages) {
    for (auto& m : messages) m = printable(m);
    return messages;
  }
  static std::string join(const std::vector<std::string>& messages) {
    std::string all;
    for (const auto& m : messages) all += (all.empty() ? "" : "\n") + m;
    return all;
  }
  std::vector<std::string> messages_;
};

// A problem in an input file (network description, topology CSV), message starting with file:line.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(printable(message)) {}
};

// The machine, not the input, failed: a full disk, a read-only file system, a permission, an I/O error.
// The message names the path and the system's reason. Rerunning with the cause removed resumes.
class EnvironmentError : public std::runtime_error {
 public:
  explicit EnvironmentError(const std::string& message) : std::runtime_error(printable(message)) {}
};

}  // namespace deepchip::sim
