// Every example config in configs/ runs as a regression: exit 0, every point ok and golden-matching.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "deepchip/source_dir.hpp"
#include "explorer/config/config.hpp"
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

// dse walk-noise end to end on 100 test images and a 3-level ladder: one CSV row per conv/fc layer of the
// trained model and an (all) row; a network without a dataset is refused with exit code 2.
TEST(Examples, WalkNoiseCommand) {
  const fs::path out = out_dir("walk_noise");
  fs::create_directories(out);
  const std::string model = std::string(DEEPCHIP_SOURCE_DIR) + "/configs/models/fmnist_cnn.onnx";
  std::ofstream(out / "point.json") << R"({"network": ")" << model << R"(", "accuracy": {"test_images": 100},
      "hardware": {"array_impl": "timing"},
      "noise": {"walk_min_level": 0.1, "walk_max_level": 10, "walk_steps_per_decade": 1}})";
  std::string output;
  ASSERT_EQ(run("walk-noise --config " + (out / "point.json").string() + " --out " + (out / "walk").string(),
                output),
            0)
      << output;
  std::ifstream csv(out / "walk" / "walk_noise.csv");
  std::vector<std::string> lines;
  for (std::string line; std::getline(csv, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 1u + 4u + 1u) << output;  // header, conv1, conv2, fc1, fc2, (all)
  EXPECT_EQ(lines[0].rfind("layer,kind,robust_level,below_ladder,images,repeats,clean_top1,threshold_top1,"
                           "top1_at_0.1,top1_at_1,top1_at_10",
                           0),
            0u)
      << lines[0];
  EXPECT_EQ(lines.back().rfind("(all),additive,", 0), 0u) << lines.back();
  EXPECT_TRUE(fs::exists(out / "walk" / "walk_noise.json"));
  std::ofstream(out / "lenet.json") << R"({"network": "lenet5"})";
  output.clear();
  EXPECT_EQ(
      run("walk-noise --config " + (out / "lenet.json").string() + " --out " + (out / "w2").string(), output),
      2);
  EXPECT_NE(output.find("dse: error: accuracy.dataset: dse walk-noise measures accuracy"), std::string::npos)
      << output;
  EXPECT_FALSE(fs::exists(out / "w2"));
  fs::remove_all(out);
}

}  // namespace
