// A stored point's files (`dse point`): a sweep writes points/<id>/ only for the points it runs as
// configured (explorer/README.md "Outputs"); any other point's files come from the store, on demand.
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace deepchip::explorer {

// The text of a point's effective_config.json and result.json, as a sweep writes them.
struct PointFiles {
  std::string effective_config;
  std::string result;
};

// result.json's text: a point's result (sim::to_json) with the code revision that computed it, as a sweep
// writes it into points/<id>/.
std::string result_file_text(nlohmann::json result, const std::string& revision);

// Each of the points `ids` of the store in `dir` (read with one connection), its verify phase's row when it
// has one, else its explore row; nullopt for an id the store does not hold. Throws sim::ConfigError when
// `dir` has no store.
std::vector<std::optional<PointFiles>> read_point_files(const std::filesystem::path& dir,
                                                        const std::vector<std::string>& ids);

}  // namespace deepchip::explorer
