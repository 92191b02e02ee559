// The dse command line (README "Commands"): one file per command, each adding its options to a CLI11 app
// (a subcommand, or the top-level app for the sweep) and saying how it checks them together and what it
// runs; main.cpp parses, reports every bad argument (one line each, exit code 2) and maps the errors of a
// run to exit codes.
#pragma once
#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "explorer/config/config.hpp"
#include "explorer/run/runner.hpp"

namespace deepchip::cli {

constexpr int kExitBadInput = 2;
constexpr int kExitEnvironment = 5;

struct Command {
  CLI::App* app = nullptr;
  const char* usage = "";  // printed by --help and, with every other command's, by a bare `dse`
  // Checks of the options taken together, after parsing: one line per problem appended to `errors`.
  std::function<void(std::vector<std::string>& errors)> check = [](std::vector<std::string>&) {};
  std::function<int()> run;
  bool reports_own_extras = false;  // unknown arguments are the command's to report (dse scalesim)
};

// The commands, one file each. The sweep's options live on the top-level app (`dse --config ...`).
Command add_sweep(CLI::App& dse);
Command add_merge(CLI::App& dse);
Command add_run(CLI::App& dse);
Command add_report(CLI::App& dse);
Command add_scalesim(CLI::App& dse);
Command add_walk_noise(CLI::App& dse);
Command add_infer(CLI::App& dse);
Command add_point(CLI::App& dse);

// A subcommand of `dse` with the conventions of every command: no CLI11 help (the usage text is ours),
// unknown arguments kept for main.cpp to report.
CLI::App* add_command(CLI::App& dse, const std::string& name);
// An option with a value; given twice it is reported (check_arguments), never "the last wins".
CLI::Option* add_value(CLI::App& app, const std::string& name, std::string& value);
// The problems main.cpp reports for any command: options given twice, empty values, and unknown arguments
// unless the command reports its own. `numbers`: the options whose value is a number (an empty one is "an
// empty value", not "an empty path").
void check_arguments(const CLI::App& app, const std::vector<std::string>& numbers, bool unknown_arguments,
                     std::vector<std::string>& errors);

// The whole of `text` as a decimal integer in [lo, hi], else -1 ("2x", "1e3", " 2" and "" are not integers).
int parse_int_argument(const std::string& text, int lo, int hi);
// --jobs N (1..1024), or the machine's cores when not given.
int jobs_argument(const std::string& text, std::vector<std::string>& errors);
int jobs_or_cores(int jobs);

// --out must be a directory or creatable as one; checked before anything runs.
void check_out_dir(const std::filesystem::path& dir);
// A file to be written later: its directory must exist, and it must be a regular file or new.
void check_output_file(const std::string& option, const std::string& file);
// `dse run` and `dse walk-noise` never write a point's files into a sweep's folder.
void refuse_sweep_dir(const std::filesystem::path& dir);

// A configuration's warnings (values outside a table's points, ...), one "dse: warning: " line each on
// stderr.
void print_warnings(const std::vector<std::string>& warnings);

// A sweep (or a merged one) run with its progress on stderr, then its best points and files on stdout.
int sweep_and_report(const explorer::SweepSpec& spec, const explorer::SweepOptions& options,
                     const std::string& out, bool quiet);

}  // namespace deepchip::cli
