// Errors raised on bad user input. Library code throws; only main() prints and exits with code 2.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace deepchip::sim {

// One or more problems in a configuration, each message starting with its JSON path.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<std::string> messages)
      : std::runtime_error(join(messages)), messages_(std::move(messages)) {}
  explicit ConfigError(const std::string& message) : ConfigError(std::vector<std::string>{message}) {}
  const std::vector<std::string>& messages() const { return messages_; }

 private:
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
  using std::runtime_error::runtime_error;
};

}  // namespace deepchip::sim
