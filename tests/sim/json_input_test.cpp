// Bounded input reading: duplicate keys, nesting depth, number overflow, UTF-8, file type and size.
#include "sim/io/json_input.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/io/errors.hpp"

namespace deepchip::sim {
namespace {

std::string parse_error(const std::string& text) {
  try {
    parse_json_ordered(text, "f.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(JsonInput, DuplicateKeysAreErrorsNamingTheirPath) {
  EXPECT_EQ(parse_error(R"({"a": 1, "a": 2})"), "f.json: a: duplicate key");
  EXPECT_EQ(parse_error(R"({"hw": {"rows": 8, "cols": 4, "rows": 16}})"), "f.json: hw.rows: duplicate key");
  EXPECT_EQ(parse_error(R"({"l": [{"x": 1}, {"y": 1, "y": 2}]})"), "f.json: l[1].y: duplicate key");
  EXPECT_EQ(parse_error(R"({"a": {"x": 1}, "b": {"x": 1}})"), "");  // the same key in two objects is fine
}

TEST(JsonInput, DeepNestingIsRefusedWithoutRecursion) {
  // 100,000 levels used to overflow the stack in the serializer; the builder stops at kMaxJsonDepth.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(parse_error(deep).rfind("f.json: nested deeper than 64 levels", 0), 0u);
  std::string ok;
  for (int i = 0; i < kMaxJsonDepth; ++i) ok += "[";
  for (int i = 0; i < kMaxJsonDepth; ++i) ok += "]";
  EXPECT_EQ(parse_error(ok), "");
  EXPECT_EQ(parse_error("[" + ok + "]").rfind("f.json: nested deeper", 0), 0u);
}

TEST(JsonInput, NumberOverflowAndBadTextAreErrors) {
  EXPECT_EQ(parse_error(R"({"x": 1e400})"),
            "f.json: not valid JSON: [json.exception.out_of_range.406] number overflow parsing '1e400'");
  EXPECT_EQ(parse_error(R"({"x": )")
                .rfind("f.json: not valid JSON: [json.exception.parse_error.101] parse error "
                       "at line 1, column 7",
                       0),
            0u);
  EXPECT_EQ(parse_error("{\"x\": \"\xff\"}").rfind("f.json: not valid JSON", 0), 0u);
  EXPECT_EQ(parse_error(""),
            "f.json: not valid JSON: [json.exception.parse_error.101] parse error at line 1, "
            "column 1: syntax error while parsing value - unexpected end of input; expected '[', "
            "'{', or a literal");
}

TEST(JsonInput, KeepsOrderAndValues) {
  const auto j = parse_json_ordered(R"({"b": [1, 2.5, "s", null, true], "a": {"c": -3}})", "f.json");
  EXPECT_EQ(j.dump(), R"({"b":[1,2.5,"s",null,true],"a":{"c":-3}})");
  EXPECT_EQ(parse_json("7", "f.json"), 7);
}

TEST(JsonInput, FilesAreCheckedBeforeReading) {
  const auto dir = std::filesystem::temp_directory_path() / ("json_input_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto error = [](const std::function<void()>& f) -> std::string {
    try {
      f();
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(error([&] { read_input_file(dir.string(), "config file", 100); }),
            dir.string() + ": is a directory, not a config file");
  EXPECT_EQ(error([&] { read_input_file((dir / "none").string(), "config file", 100); }),
            (dir / "none").string() + ": cannot open config file");
  std::ofstream(dir / "big") << std::string(101, 'x');
  EXPECT_EQ(error([&] { read_input_file((dir / "big").string(), "config file", 100); }),
            (dir / "big").string() + ": larger than the limit of 100 bytes for a config file");
  EXPECT_EQ(read_input_file((dir / "big").string(), "config file", 101).size(), 101u);
  // A device never ends: the limit stops the read.
  EXPECT_EQ(error([&] { read_input_file("/dev/zero", "config file", 1000); }),
            "/dev/zero: larger than the limit of 1000 bytes for a config file");
  std::filesystem::remove_all(dir);
}

TEST(JsonInput, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));  // été € 😀
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  // Output never throws on such strings: they are replaced.
  EXPECT_EQ(dump_json(nlohmann::json("a\xff")), "\"a\xef\xbf\xbd\"");
}

}  // namespace
}  // namespace deepchip::sim
