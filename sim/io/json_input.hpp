// Reading user input safely (tests/README.md "Input limits"): a file's type and size are checked before it is
// read, and JSON is parsed without recursion (nlohmann's SAX parser) into a document whose nesting depth is
// bounded and whose objects have no duplicate keys. Every problem is an InputError "origin: ..." naming the
// JSON path or the line and column.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace deepchip::sim {

constexpr int kMaxJsonDepth = 64;                     // nesting levels of objects and arrays
constexpr int64_t kMaxJsonBytes = int64_t{64} << 20;  // a config, network or energy table file

// The whole file, or InputError "path: cannot open <what>" / "path: is a directory, not a <what>" /
// "path: larger than the limit of N bytes for a <what>".
std::string read_input_file(const std::string& path, const std::string& what, int64_t max_bytes);

// Parses JSON text; duplicate keys, nesting deeper than kMaxJsonDepth, numbers out of the double range and
// malformed text are InputErrors starting with `origin`.
nlohmann::ordered_json parse_json_ordered(const std::string& text, const std::string& origin);
nlohmann::json parse_json(const std::string& text, const std::string& origin);

// JSON text for output files; strings that are not valid UTF-8 are written with U+FFFD in their place
// instead of throwing (input parsers reject such names, this is the last line of defence).
std::string dump_json(const nlohmann::json& j, int indent = -1);
std::string dump_json(const nlohmann::ordered_json& j, int indent = -1);

// True if `s` is valid UTF-8 (what JSON outputs need of every name taken from an input file).
bool is_valid_utf8(const std::string& s);

}  // namespace deepchip::sim
