// dse: the DeepChip design-space explorer (README "Commands").
//   dse --config sweep.json [--out DIR] [--jobs N]   sweep (results.sqlite; its exports results.csv,
//                                                    layers.csv, summary.json in DIR); resumable
//   dse run --config point.json [--out DIR]          one design point, per-layer table
//   dse report DIR                                   DIR/report.html of a sweep's or a point's results
//   dse merge, scalesim, walk-noise, infer           see their files beside this one
//   dse --list-keys [--markdown] | --schema          the config keys, as text, Markdown or JSON schema
// Bad input: one line per error naming its JSON path or file:line, exit code 2, nothing written.
#include <filesystem>
#include <iostream>

#include "explorer/cli/command.hpp"
#include "explorer/config/config_keys.hpp"
#include "sim/io/errors.hpp"

namespace fs = std::filesystem;
using namespace deepchip;
using namespace deepchip::cli;

namespace {

constexpr const char* kCommonUsage =
    "dse --list-keys    every config key with unit, default, range and doc (--markdown: as configs/keys.md)\n"
    "dse --schema       the JSON schema of the config\n"
    "dse --version      the code revision\n"
    "dse [COMMAND] --help\n"
    "exit codes: 0 done; 1 the design point is not ok or differs from golden (dse run); 2 bad input\n"
    "            (config, network, model, tensor, dataset, result store or argument: one line per problem\n"
    "            on stderr, nothing written); 3 internal error (a bug: please report it); 4 a sweep with\n"
    "            points whose workers were killed from outside (not stored: rerun the same command to run\n"
    "            them); 5 the environment failed (disk full, read-only file system, permission, I/O error:\n"
    "            one line naming the path; no file half-written; rerun once fixed to resume); 130/143\n"
    "            interrupted by SIGINT/SIGTERM (workers stopped, finished points kept)\n";

struct CommandLine {
  CLI::App dse{"dse"};
  std::vector<Command> commands;
  bool version = false, list_keys = false, markdown = false, schema = false;

  CommandLine() {
    dse.set_help_flag();
    dse.allow_extras();
    dse.require_subcommand(0, 1);
    commands = {add_sweep(dse),    add_merge(dse),      add_run(dse),   add_report(dse),
                add_scalesim(dse), add_walk_noise(dse), add_infer(dse), add_point(dse)};
    for (auto& c : commands) c.app->add_flag("-h,--help");
    dse.add_flag("--version", version);
    dse.add_flag("--list-keys", list_keys);
    dse.add_flag("--markdown", markdown);
    dse.add_flag("--schema", schema);
  }
  std::string all_usage() const {
    std::string text = "usage:\n";
    for (const auto& c : commands) text += c.usage;
    return text + kCommonUsage;
  }
  // The command given: a subcommand, else the sweep (the top-level app).
  const Command& active() const {
    for (const auto& c : commands)
      if (c.app != &dse && c.app->parsed()) return c;
    return commands.front();
  }
};

// CLI11's own parse errors as one line each: "--config: needs a value" for an option without its value.
std::string parse_error_line(const CLI::ParseError& e) {
  const std::string what = e.what();
  const auto missing = what.find(": 1 required");
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) && missing != std::string::npos)
    return what.substr(0, missing) + ": needs a value";
  return what;
}

// "X: unknown argument" for an option another command has says which: "--trace: only with `dse run`".
void name_owners_of_unknown_options(const CommandLine& cl, std::vector<std::string>& errors) {
  const std::string unknown = ": unknown argument";
  for (auto& error : errors) {
    if (error.size() <= unknown.size() ||
        error.compare(error.size() - unknown.size(), unknown.size(), unknown))
      continue;
    const std::string option = error.substr(0, error.size() - unknown.size());
    std::string owners;
    for (const auto& c : cl.commands)
      if (c.app->get_option_no_throw(option) != nullptr)
        owners += std::string(owners.empty() ? "" : " or ") +
                  (c.app == &cl.dse ? "a sweep (dse --config)" : "`dse " + c.app->get_name() + "`");
    if (!owners.empty()) error = option + ": only with " + owners;
  }
}

// Options of the top-level app (the sweep's, the informational flags) given with a subcommand.
void refuse_top_level_options(const CommandLine& cl, const Command& c, std::vector<std::string>& errors) {
  if (c.app == &cl.dse) return;
  for (const CLI::Option* option : cl.dse.get_options())
    if (option->count() > 0)
      errors.push_back(option->get_name() + ": not an option of `dse " + c.app->get_name() + "`");
}

int parse_and_run(CommandLine& cl, int argc, char** argv) {
  try {
    cl.dse.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    throw sim::ConfigError(parse_error_line(e));
  }
  const Command& c = cl.active();
  std::vector<std::string> errors;
  check_arguments(*c.app, {"--jobs", "--shard", "-i"}, !c.reports_own_extras, errors);
  name_owners_of_unknown_options(cl, errors);
  refuse_top_level_options(cl, c, errors);
  const bool help = c.app->get_option("--help")->count() > 0;
  const bool info = c.app == &cl.dse && (cl.version || cl.list_keys || cl.schema);
  if (!help && !info) c.check(errors);
  if (cl.markdown && !cl.list_keys) errors.push_back("--markdown: only with --list-keys");
  if (!errors.empty()) throw sim::ConfigError(errors);
  if (help) {
    std::cout << (c.app == &cl.dse ? cl.all_usage() : std::string("usage: ") + c.usage);
    return 0;
  }
  if (cl.version) {
    std::cout << "dse " << explorer::git_revision() << "\n";
    return 0;
  }
  if (cl.list_keys) {
    std::cout << (cl.markdown ? explorer::list_keys_markdown() : explorer::list_keys_text());
    return 0;
  }
  if (cl.schema) {
    std::cout << explorer::schema_json().dump(2) << "\n";
    return 0;
  }
  return c.run();
}

}  // namespace

// libsystemc provides main(), which calls sc_main (its declaration, from SystemC's sc_externs.h, is repeated
// here so that the explorer includes no SystemC header: it reaches the models only through
// models/system/evaluate.hpp).
extern "C" int sc_main(int argc, char* argv[]);

int sc_main(int argc, char* argv[]) {
  using sim::printable;
  CommandLine cl;
  if (argc <= 1) {  // bare `dse`: what it can do, on stderr (nothing was asked, so not a success)
    std::cerr << cl.all_usage();
    return kExitBadInput;
  }
  try {
    return parse_and_run(cl, argc, argv);
  } catch (const sim::ConfigError& e) {
    for (const auto& m : e.messages()) std::cerr << "dse: error: " << printable(m) << "\n";
    return kExitBadInput;
  } catch (const sim::InputError& e) {
    std::cerr << "dse: error: " << printable(e.what()) << "\n";
    return kExitBadInput;
  } catch (const sim::EnvironmentError& e) {
    std::cerr << "dse: error: " << printable(e.what()) << "\n";
    return kExitEnvironment;
  } catch (const fs::filesystem_error& e) {
    // A path the input named that is wrong is bad input; anything else the machine refused.
    const int err = e.code().value();
    const bool wrong_path = err == ENOENT || err == ENOTDIR || err == ENAMETOOLONG || err == ELOOP;
    std::cerr << "dse: error: " << printable(e.path1().string()) << ": " << e.code().message() << "\n";
    return wrong_path ? kExitBadInput : kExitEnvironment;
  } catch (const std::bad_alloc&) {
    // Inputs within the limits fit a stated bound (tests/README.md "Input limits": about 40 bytes per element
    // of the largest tensor at peak); a machine with less memory than that is the environment's limit.
    std::cerr << "dse: error: out of memory: this machine (or its ulimit) has less memory than the input "
                 "needs (about 40 bytes per element of its largest tensor or im2col matrix at peak)\n";
    return kExitEnvironment;
  } catch (const std::exception& e) {
    std::cerr << "dse: internal error: " << printable(e.what())
              << " (this is a bug; please report it with the command and its input files)\n";
    return 3;
  } catch (...) {
    std::cerr << "dse: internal error: unknown exception (this is a bug; please report it)\n";
    return 3;
  }
}
