// dse report DIR: a sweep's report from its store (nothing runs), or a point's from its result files.
#include <iostream>

#include "explorer/cli/command.hpp"
#include "explorer/report/exports.hpp"
#include "explorer/report/html/report_page.hpp"
#include "explorer/store/result_store.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/output_file.hpp"

namespace fs = std::filesystem;

namespace deepchip::cli {
namespace {

constexpr const char* kUsage =
    "dse report DIR\n"
    "  Writes DIR/report.html (one self-contained page, opens offline) from a sweep's result store\n"
    "  (DIR/results.sqlite, which records the sweep's config: the config file is not read) or a point's\n"
    "  results (DIR/result.json, and DIR/timeline.json when there). Every sweep and dse run write it at the\n"
    "  end too.\n";

struct ReportArgs {
  std::vector<std::string> dirs;
  std::string config, out;  // refused with their reason
};

int report_sweep(const fs::path& dir) {
  const explorer::StoreIdentity id = explorer::ResultStore::read_identity(dir);
  const explorer::SweepSpec spec = explorer::stored_sweep(id, dir);
  explorer::SweepOptions options;
  options.report_only = true;
  options.revision = id.revision;
  options.allow_other_revision = true;
  options.config_path = id.config_path;
  options.config_text = id.config_text;
  options.shard_index = id.shard_index;
  options.shard_count = id.shard_count;
  explorer::run_sweep(spec, dir.string(), options);
  std::cout << "report: " << explorer::report_file(dir.string()).string() << "\n";
  return 0;
}

int report_point(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir / "result.json", ec) || !fs::exists(dir / "effective_config.json", ec))
    throw sim::ConfigError("report: " + dir.string() +
                           " has neither results.sqlite (a sweep's --out) nor result.json and "
                           "effective_config.json (a dse run's)");
  auto plain = [](const nlohmann::ordered_json& j) { return nlohmann::json::parse(j.dump()); };
  const auto result = plain(explorer::load_json_file((dir / "result.json").string()));
  const auto effective = plain(explorer::load_json_file((dir / "effective_config.json").string()));
  std::optional<sim::Timeline> timeline;
  double clock_hz = 0;
  if (fs::exists(dir / "timeline.json", ec))
    timeline = explorer::load_trace(plain(explorer::load_json_file((dir / "timeline.json").string())),
                                    (dir / "timeline.json").string(), clock_hz);
  sim::write_file_atomically(
      dir / "report.html", explorer::report_page_html(explorer::point_report_data(
                               effective, result, timeline ? &*timeline : nullptr, clock_hz, dir.string())));
  std::cout << "report: " << (dir / "report.html").string() << "\n";
  return 0;
}

}  // namespace

Command add_report(CLI::App& dse) {
  auto a = std::make_shared<ReportArgs>();
  CLI::App* app = add_command(dse, "report");
  app->add_option("DIR", a->dirs);
  add_value(*app, "--config", a->config);
  add_value(*app, "--out", a->out);
  Command c;
  c.app = app;
  c.usage = kUsage;
  c.check = [a](std::vector<std::string>& errors) {
    if (a->dirs.empty()) errors.push_back("report: give the directory (a sweep's --out or a dse run's)");
    for (size_t i = 1; i < a->dirs.size(); ++i)
      errors.push_back(a->dirs[i] + ": `dse report` takes one directory");
    if (!a->config.empty() || !a->out.empty())
      errors.push_back("report: takes only the directory (it writes DIR/report.html)");
  };
  c.run = [a] {
    std::error_code ec;
    const fs::path dir = a->dirs.front();
    return fs::exists(explorer::ResultStore::file(dir), ec) ? report_sweep(dir) : report_point(dir);
  };
  return c;
}

}  // namespace deepchip::cli
