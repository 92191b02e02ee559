// Helpers of the dse end-to-end tests (cli_test.cpp, cli_commands_test.cpp): running dse, scratch folders,
// files and CSVs.
#pragma once
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/explorer/dse_process.hpp"
#include "tests/explorer/scratch_dir.hpp"

namespace deepchip::testing::cli {

namespace fs = std::filesystem;

using CliRun = deepchip::testing::DseRun;
inline CliRun dse(const std::string& args) { return deepchip::testing::run_dse(args); }

inline fs::path scratch(const std::string& name) { return deepchip::testing::scratch_dir("dse_cli_", name); }

inline void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

// A CSV file ("quoted, cells" kept whole) whose cells are looked up by column name.
struct Csv {
  std::vector<std::string> head;
  std::vector<std::vector<std::string>> rows;
  const std::string& cell(const std::vector<std::string>& row, const char* name) const {
    return row.at(static_cast<size_t>(std::find(head.begin(), head.end(), name) - head.begin()));
  }
};

inline std::vector<std::string> csv_cells(const std::string& line) {
  std::vector<std::string> c(1);
  bool quoted = false;
  for (char ch : line) {
    if (ch == '"')
      quoted = !quoted;
    else if (ch == ',' && !quoted)
      c.emplace_back();
    else
      c.back() += ch;
  }
  return c;
}

inline Csv read_csv(const fs::path& path) {
  std::ifstream f(path);
  Csv csv;
  std::string line;
  if (std::getline(f, line)) csv.head = csv_cells(line);
  while (std::getline(f, line)) csv.rows.push_back(csv_cells(line));
  return csv;
}

inline std::string read_text(const fs::path& p) {
  std::ifstream f(p);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

}  // namespace deepchip::testing::cli
