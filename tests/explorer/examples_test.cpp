// Every example config in configs/ runs as a regression: exit 0, every point ok and golden-matching.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include "explorer/config.hpp"
#include "tests/explorer/dse_process.hpp"

namespace fs = std::filesystem;

namespace {

int run(const std::string& args, std::string& output) {
  const auto r = deepchip::testing::run_dse(args);
  output += r.output;
  return r.exit_code;
}

fs::path out_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("dse_example_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(d);
  return d;
}

void check_sweep(const std::string& config, size_t expected_points) {
  const fs::path out = out_dir(fs::path(config).stem().string());
  std::string output;
  ASSERT_EQ(
      run("--config " + std::string(DEEPCHIP_SOURCE_DIR) + "/configs/" + config + " --out " + out.string(),
          output),
      0)
      << output;
  const auto summary = deepchip::explorer::load_json_file((out / "summary.json").string());
  EXPECT_EQ(summary["points"], expected_points);
  EXPECT_EQ(summary["ok_points"], expected_points) << summary["failed"].dump();
  EXPECT_GE(summary["pareto"].size(), 1u);
  // verify "pareto": every Pareto point was executed and matched the golden executor.
  size_t verified = 0;
  for (const auto& entry : fs::directory_iterator(out / "points")) {
    const auto r = deepchip::explorer::load_json_file((entry.path() / "result.json").string());
    if (r["verified"].get<bool>()) {
      EXPECT_TRUE(r["golden_match"].get<bool>()) << entry.path();
    }
    verified += r["verified"].get<bool>();
  }
  EXPECT_EQ(summary["verified_points"], verified);
  for (const auto& p : summary["pareto"]) {
    const auto r = deepchip::explorer::load_json_file(
        (out / "points" / p["point_id"].get<std::string>() / "result.json").string());
    EXPECT_TRUE(r["verified"].get<bool>() && r["golden_match"].get<bool>()) << p["point_id"];
  }
  fs::remove_all(out);
}

TEST(Examples, DefaultSweep) { check_sweep("sweep.json", 36); }

TEST(Examples, ScaleSimAndJsonNetworks) { check_sweep("scalesim_sweep.json", 16); }

TEST(Examples, DeepChipCompressionSweep) { check_sweep("deepchip_sweep.json", 32); }

TEST(Examples, PointRun) {
  const fs::path out = out_dir("point");
  std::string output;
  EXPECT_EQ(run("run --config " + std::string(DEEPCHIP_SOURCE_DIR) +
                    "/configs/point_lenet5_cycle.json --out " + out.string(),
                output),
            0)
      << output;
  EXPECT_NE(output.find("total"), std::string::npos);
  EXPECT_TRUE(fs::exists(out / "effective_config.json"));
  fs::remove_all(out);
}

}  // namespace
