#include "explorer/cli/command.hpp"

#include <algorithm>
#include <iostream>
#include <thread>

#include "explorer/store/result_store.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/output_file.hpp"

namespace fs = std::filesystem;

namespace deepchip::cli {

CLI::App* add_command(CLI::App& dse, const std::string& name) {
  CLI::App* app = dse.add_subcommand(name);
  app->set_help_flag();
  app->allow_extras();
  return app;
}

CLI::Option* add_value(CLI::App& app, const std::string& name, std::string& value) {
  return app.add_option(name, value)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

void check_arguments(const CLI::App& app, const std::vector<std::string>& numbers, bool unknown_arguments,
                     std::vector<std::string>& errors) {
  for (const CLI::Option* option : app.get_options()) {
    const std::string name = option->get_name();
    if (option->nonpositional() && option->count() > 1) errors.push_back(name + ": given twice");
    if (option->nonpositional() && option->get_expected_min() > 0 && option->count() == 1 &&
        option->results().size() == 1 && option->results().front().empty()) {
      const bool number = std::find(numbers.begin(), numbers.end(), name) != numbers.end();
      errors.push_back(name + ": an empty " + (number ? "value" : "path"));
    }
  }
  if (!unknown_arguments) return;
  bool after_unknown_option = false;
  for (const std::string& extra : app.remaining()) {
    if (extra.empty())
      errors.push_back("'': an empty argument");
    else if (extra[0] == '-')
      errors.push_back(extra + ": unknown argument");
    else if (!after_unknown_option)  // else taken as the unknown option's value
      errors.push_back(extra + ": unexpected argument");
    after_unknown_option = !extra.empty() && extra[0] == '-';
  }
}

int parse_int_argument(const std::string& text, int lo, int hi) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) return -1;
  const int v = std::stoi(text);
  return v >= lo && v <= hi ? v : -1;
}

int jobs_argument(const std::string& text, std::vector<std::string>& errors) {
  if (text.empty()) return 0;  // not given, or reported as an empty value
  const int jobs = parse_int_argument(text, 1, 1024);
  if (jobs < 1) errors.push_back("--jobs: must be an integer in 1..1024, got '" + text + "'");
  return jobs;
}

int jobs_or_cores(int jobs) {
  return jobs > 0 ? jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

void check_out_dir(const fs::path& dir) { sim::check_output_dir(dir, "--out"); }

// A device, FIFO or socket is refused; a symlink is written through.
void check_output_file(const std::string& option, const std::string& file) {
  std::error_code ec;
  const fs::path parent = fs::path(file).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec))
    throw sim::ConfigError(option + ": directory " + parent.string() + " does not exist");
  sim::output_target(file, option);
}

// A running sweep holds its lock on the same store; a point's report.html and exports would replace the
// sweep's.
void refuse_sweep_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(explorer::ResultStore::file(dir), ec) || fs::exists(dir / ".dse.lock", ec))
    throw sim::ConfigError("--out: " + dir.string() + " holds a sweep's result store (" +
                           explorer::ResultStore::file(dir).string() +
                           "); a single point's files would replace its exports: use another --out");
}

void print_warnings(const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) std::cerr << "dse: warning: " << w << "\n";
}

}  // namespace deepchip::cli
