// A stored point's files (`dse point`): a sweep writes points/<id>/ only for the points it runs as
// configured (explorer/README.md "Outputs"); any other point's files come from the store, on demand.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

namespace deepchip::explorer {

// The text of a point's effective_config.json and result.json, as a sweep writes them.
struct PointFiles {
  std::string effective_config;
  std::string result;
};

// The point `id` of the store in `dir`, its verify phase's row when it has one, else its explore row;
// nullopt when the store holds no such point. Throws sim::ConfigError when `dir` has no store.
std::optional<PointFiles> read_point_files(const std::filesystem::path& dir, const std::string& id);

}  // namespace deepchip::explorer
