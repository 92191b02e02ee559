// The bad-input catalog (tests/bad_inputs/*.case): every case is an input and the stderr it must give.
// A case runs `dse` in a scratch folder holding its files, and passes when the exit code is the expected
// one (2 unless the case says otherwise), stderr is exactly the expected text, stdout is empty, and nothing
// was written under $OUT.
//
// Case format: lines starting with "@@ " are directives, the lines after a directive are its body.
//   @@ what: one line saying what is wrong                 (required)
//   @@ args: run --config p.json --out $OUT                ($OUT, $DIR: the scratch folder, $REPO: the repo)
//   @@ exit: 2                                             (optional)
//   @@ file NAME          body: the file's lines
//   @@ file-escaped NAME  the same with "\xNN" escapes and no newline after the last line (binary files)
//   @@ mutate NAME SRC OFFSET BYTE    NAME = the repository file SRC with the byte at OFFSET set (hex)
//   @@ truncate NAME SRC BYTES        NAME = the first BYTES bytes of SRC
//   @@ tensor NAME D0,D1,... COUNT [VALUE]   an ONNX float TensorProto with these dims and COUNT values
//                                            (each VALUE, 0.5 unless given)
//   @@ fifo NAME          a named pipe (an output path that must never be replaced by a file)
//   @@ sqlite NAME        body: SQL run on a new SQLite database NAME (a damaged result store)
//   @@ stderr             body: the expected stderr, $DIR and $REPO in place of those paths
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "deepchip/dse_binary.hpp"
#include "deepchip/source_dir.hpp"
#include "sim/onnx/import.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kCases = fs::path(DEEPCHIP_SOURCE_DIR) / "tests" / "bad_inputs";

struct Case {
  std::string what, args, expected_stderr;
  int exit_code = 2;
  std::vector<std::pair<std::string, std::vector<std::string>>> directives;  // line, body
};

Case read_case(const fs::path& path) {
  std::ifstream f(path);
  Case c;
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("@@ ", 0) == 0)
      c.directives.push_back({line.substr(3), {}});
    else if (!c.directives.empty())
      c.directives.back().second.push_back(line);
  }
  for (const auto& [d, body] : c.directives) {
    if (d.rfind("what: ", 0) == 0) c.what = d.substr(6);
    if (d.rfind("args: ", 0) == 0) c.args = d.substr(6);
    if (d.rfind("exit: ", 0) == 0) c.exit_code = std::stoi(d.substr(6));
    if (d == "stderr")
      for (const auto& l : body) c.expected_stderr += l + "\n";
  }
  return c;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x') {
      out += static_cast<char>(std::stoi(s.substr(i + 2, 2), nullptr, 16));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string read_all(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void make_inputs(const Case& c, const fs::path& dir) {  // ASSERTs: call through ASSERT_NO_FATAL_FAILURE
  for (const auto& [d, body] : c.directives) {
    std::istringstream words(d);
    std::string verb, name;
    words >> verb >> name;
    if (verb == "file" || verb == "file-escaped") {
      fs::create_directories((dir / name).parent_path());
      std::ofstream f(dir / name, std::ios::binary);
      for (size_t i = 0; i < body.size(); ++i)  // file-escaped has no newline after its last line
        f << (verb == "file" ? body[i] : unescape(body[i]))
          << (verb == "file" || i + 1 < body.size() ? "\n" : "");
    } else if (verb == "mutate" || verb == "truncate") {
      std::string src, where, value;
      words >> src >> where >> value;
      std::string bytes = read_all(fs::path(DEEPCHIP_SOURCE_DIR) / src);
      if (verb == "mutate")
        bytes[std::stoul(where)] = static_cast<char>(std::stoi(value, nullptr, 16));
      else
        bytes.resize(std::stoul(where));
      std::ofstream(dir / name, std::ios::binary) << bytes;
    } else if (verb == "fifo") {
      ASSERT_EQ(::mkfifo((dir / name).c_str(), 0644), 0);
    } else if (verb == "sqlite") {
      fs::create_directories((dir / name).parent_path());
      sqlite3* db = nullptr;
      ASSERT_EQ(sqlite3_open((dir / name).c_str(), &db), SQLITE_OK);
      std::string sql;
      for (const auto& l : body) sql += l + "\n";
      ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
      sqlite3_close(db);
    } else if (verb == "tensor") {
      std::string dims, count, value = "0.5";
      words >> dims >> count >> value;
      deepchip::sim::OnnxTensor t;
      std::stringstream ds(dims);
      for (std::string x; std::getline(ds, x, ',');) t.dims.push_back(std::stoll(x));
      t.values.assign(std::stoul(count), std::strtof(value.c_str(), nullptr));  // denormals too
      deepchip::sim::save_onnx_tensor(t, (dir / name).string());
    }
  }
}

class Catalog : public testing::TestWithParam<std::string> {};

TEST_P(Catalog, Case) {
  const Case c = read_case(kCases / (GetParam() + ".case"));
  ASSERT_FALSE(c.what.empty()) << "a case says what is wrong (@@ what:)";
  ASSERT_FALSE(c.args.empty());
  const fs::path dir = fs::temp_directory_path() / ("dse_bad_" + GetParam() + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  ASSERT_NO_FATAL_FAILURE(make_inputs(c, dir));
  const bool out_given = fs::exists(dir / "out");
  const std::string out_before = out_given && fs::is_regular_file(dir / "out") ? read_all(dir / "out") : "";
  std::string args = replace_all(c.args, "$OUT", (dir / "out").string());
  args = replace_all(replace_all(args, "$DIR", dir.string()), "$REPO", DEEPCHIP_SOURCE_DIR);
  const std::string cmd =
      "cd '" + dir.string() + "' && " + DSE_BINARY + " " + args + " >stdout.txt 2>stderr.txt";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status)) << "dse was killed by a signal: " << c.what;
  EXPECT_EQ(WEXITSTATUS(status), c.exit_code) << c.what;
  std::string err = replace_all(read_all(dir / "stderr.txt"), dir.string(), "$DIR");
  err = replace_all(err, DEEPCHIP_SOURCE_DIR, "$REPO");
  EXPECT_EQ(err, c.expected_stderr) << c.what;
  EXPECT_EQ(read_all(dir / "stdout.txt"), "") << c.what;
  for (const auto& [d, body] : c.directives) {  // an output path that is a FIFO stays one
    if (d.rfind("fifo ", 0) == 0) {
      EXPECT_TRUE(fs::is_fifo(dir / d.substr(5))) << "replaced: " << c.what;
    }
  }
  if (out_given)
    EXPECT_EQ(fs::is_regular_file(dir / "out") ? read_all(dir / "out") : "<changed>", out_before) << c.what;
  else
    EXPECT_FALSE(fs::exists(dir / "out")) << "something was written under --out: " << c.what;
  fs::remove_all(dir);
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kCases))
    if (e.path().extension() == ".case") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(BadInputs, Catalog, testing::ValuesIn(case_names()),
                         [](const testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(BadInputs, CatalogHasAtLeastSixtyCases) { EXPECT_GE(case_names().size(), 60u); }

}  // namespace
