// dse point DIR ID...: a stored point's files, written from the sweep's result store.
#include <iostream>
#include <memory>

#include "explorer/cli/command.hpp"
#include "explorer/store/point_files.hpp"
#include "explorer/store/result_store.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/output_file.hpp"

namespace fs = std::filesystem;

namespace deepchip::cli {
namespace {

constexpr const char* kUsage =
    "dse point DIR ID...\n"
    "  Writes DIR/points/ID/effective_config.json and result.json for each ID (a point_id of\n"
    "  DIR/results.csv) from the sweep's result store; nothing runs. A sweep writes them itself only for\n"
    "  the points it runs as configured (the verified front under verify \"pareto\"). Rerun a point\n"
    "  alone with dse run --config DIR/points/ID/effective_config.json.\n";

struct PointArgs {
  std::vector<std::string> args;  // DIR, then the ids
};

int write_points(const fs::path& dir, const std::vector<std::string>& ids) {
  // Every id is read before anything is written: an unknown one writes nothing.
  std::vector<std::optional<explorer::PointFiles>> files = explorer::read_point_files(dir, ids);
  std::vector<std::string> unknown;
  for (size_t i = 0; i < ids.size(); ++i)
    if (!files[i])
      unknown.push_back("point: " + ids[i] + ": no such point in " +
                        explorer::ResultStore::file(dir).string());
  if (!unknown.empty()) throw sim::ConfigError(unknown);
  sim::OutputSet outputs;  // all of them or none
  for (size_t i = 0; i < ids.size(); ++i) {
    const fs::path out = dir / "points" / ids[i];
    sim::make_output_dir(out, "point");
    outputs.add(out / "effective_config.json", files[i]->effective_config);
    outputs.add(out / "result.json", files[i]->result);
  }
  outputs.commit();
  for (const std::string& id : ids)
    std::cout << "point " << id << ": " << (dir / "points" / id).string()
              << "/ (effective_config.json, result.json)\n";
  return 0;
}

}  // namespace

Command add_point(CLI::App& dse) {
  auto a = std::make_shared<PointArgs>();
  CLI::App* app = add_command(dse, "point");
  app->add_option("DIR ID", a->args);
  Command c;
  c.app = app;
  c.usage = kUsage;
  c.check = [a](std::vector<std::string>& errors) {
    if (a->args.size() < 2) errors.push_back("point: give a sweep's directory and one or more point ids");
  };
  c.run = [a] {
    const fs::path dir = a->args.front();
    return write_points(dir, std::vector<std::string>(a->args.begin() + 1, a->args.end()));
  };
  return c;
}

}  // namespace deepchip::cli
