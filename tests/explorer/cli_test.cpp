// The dse binary end to end: exit codes, one line per error, nothing written on bad input, sweep outputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "deepchip/source_dir.hpp"
#include "explorer/config/config.hpp"
#include "sim/onnx/import.hpp"
#include "tests/explorer/cli_helpers.hpp"

namespace fs = std::filesystem;
using namespace deepchip::testing::cli;

namespace {

TEST(Cli, BadSweepConfigGivesOneLinePerErrorExit2AndWritesNothing) {
  const fs::path dir = scratch("bad");
  write(dir / "sweep.json",
        R"({"networks": ["lenet5"], "axes": {"array_rows": [8, 16, -4], "array_colz": [4]}})");
  const CliRun r = dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "out").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output,
            "dse: error: axes.array_rows[2]: must be an integer in 1..512, got -4\n"
            "dse: error: axes.array_colz: unknown key (did you mean 'array_cols'?)\n");
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(Cli, BadNetworkFileNamesFileAndLine) {
  const fs::path dir = scratch("badnet");
  write(dir / "net.csv",
        "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
        "c1, 8, 8, 3, 3, 1, 4, 1,\nc2, 8, 8, 3, 3, 1, four, 1,\n");
  write(dir / "p.json", R"({"network": "net.csv"})");
  const CliRun r = dse("run --config " + (dir / "p.json").string() + " --out " + (dir / "out").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output, "dse: error: network: " + (dir / "net.csv").string() +
                          ":3: column 'Num filter' must be an integer in 1..16777216, got 'four'\n");
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(Cli, MalformedJsonAndBadArguments) {
  const fs::path dir = scratch("malformed");
  write(dir / "s.json", "{\"networks\": [\"lenet5\"],");
  CliRun r = dse("--config " + (dir / "s.json").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output.rfind("dse: error: " + (dir / "s.json").string() + ": not valid JSON", 0), 0u)
      << r.output;
  r = dse("--config " + (dir / "s.json").string() + " --jobs zero");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output, "dse: error: --jobs: must be an integer in 1..1024, got 'zero'\n");
  r = dse("--frobnicate");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output, "dse: error: --frobnicate: unknown argument\n");
}

TEST(Cli, SweepWritesResultsLayersSummaryAndPareto) {
  const fs::path dir = scratch("sweep");
  write(dir / "sweep.json", R"({"networks": ["lenet5"], "hardware": {"array_impl": "cycle"},
      "axes": {"array_rows": [4, 8], "array_cols": [4, 8], "weight_bits": [4, 8]}})");
  const CliRun r =
      dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "out").string() + " --jobs 2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream results(dir / "out" / "results.csv");
  std::string header, line;
  std::getline(results, header);
  EXPECT_EQ(header.rfind("point_id,network,array_rows,array_cols,array_impl,", 0), 0u) << header;
  int rows = 0, pareto = 0;
  const auto columns = [](const std::string& s) {
    std::vector<std::string> c;
    std::stringstream ss(s);
    std::string x;
    while (std::getline(ss, x, ',')) c.push_back(x);
    return c;
  };
  const auto head = columns(header);
  const auto col = [&](const char* name) { return std::find(head.begin(), head.end(), name) - head.begin(); };
  while (std::getline(results, line)) {
    const auto c = columns(line);
    ++rows;
    EXPECT_EQ(c[static_cast<size_t>(col("ok"))], "1") << line;
    // verify "pareto" (the default): the Pareto points were executed and golden-checked, the others not.
    const bool on_front = c[static_cast<size_t>(col("pareto"))] == "1";
    EXPECT_EQ(c[static_cast<size_t>(col("golden_match"))], on_front ? "1" : "") << line;
    pareto += on_front;
  }
  EXPECT_EQ(rows, 8);
  EXPECT_GE(pareto, 1);
  std::ifstream layers(dir / "out" / "layers.csv");
  int layer_rows = -1;
  while (std::getline(layers, line)) ++layer_rows;
  EXPECT_EQ(layer_rows, 8 * 7);
  const auto summary = deepchip::explorer::load_json_file((dir / "out" / "summary.json").string());
  EXPECT_EQ(summary["points"], 8);
  EXPECT_EQ(summary["pareto"].size(), static_cast<size_t>(pareto));
  EXPECT_EQ(summary["verify"], "pareto");
  EXPECT_EQ(summary["verified_points"], pareto);
  const std::string verified = std::to_string(pareto);
  EXPECT_NE(r.output.find("[verify " + verified + "/" + verified + " 100%]"), std::string::npos) << r.output;
  // Every point can be rerun alone from its effective config.
  const std::string id = summary["pareto"][0]["point_id"];
  const CliRun again =
      dse("run --config " + (dir / "out" / "points" / id / "effective_config.json").string() + " --out " +
          (dir / "rerun").string());
  EXPECT_EQ(again.exit_code, 0) << again.output;
  const auto first =
      deepchip::explorer::load_json_file((dir / "out" / "points" / id / "result.json").string());
  const auto second = deepchip::explorer::load_json_file((dir / "rerun" / "result.json").string());
  EXPECT_EQ(first["total"], second["total"]);
  EXPECT_NE(r.output.find("Pareto-optimal points"), std::string::npos);
  // Storage columns are consistent: bits per weight x weights = stored bits, 32 / bits per weight =
  // compression.
  const auto& total = first["total"];
  EXPECT_NEAR(total["bits_per_weight"].get<double>() * total["weight_count"].get<double>(),
              total["weight_bits_stored"].get<double>(), 1e-6);
  EXPECT_NEAR(32.0 / total["bits_per_weight"].get<double>(), total["compression_vs_fp32"].get<double>(),
              1e-9);
}

// verify "all": every point executes with its array_impl and is golden-checked, with the same stats as the
// timing exploration of verify "pareto".
TEST(Cli, VerifyAllExecutesEveryPointWithTheSameStats) {
  const fs::path dir = scratch("verify");
  const std::string sweep = R"({"networks": ["lenet5"], "hardware": {"array_impl": "cycle"},
      "quantization": {"sparsity": 0.5}, "axes": {"array_rows": [4, 8], "weight_bits": [4, 8],
      "zero_handling": ["gating", "skipping"]}})";
  write(dir / "all.json", sweep.substr(0, sweep.size() - 1) + R"(, "verify": "all"})");  // sweep ends in }
  write(dir / "pareto.json", sweep);
  for (const char* v : {"all", "pareto"}) {
    const CliRun r = dse("--config " + (dir / (std::string(v) + ".json")).string() + " --out " +
                         (dir / v).string() + " --jobs 2");
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  const Csv all = read_csv(dir / "all" / "results.csv"), pareto = read_csv(dir / "pareto" / "results.csv");
  ASSERT_EQ(all.rows.size(), 8u);
  ASSERT_EQ(all.head, pareto.head);
  for (size_t i = 0; i < all.rows.size(); ++i) {
    EXPECT_EQ(all.cell(all.rows[i], "golden_match"), "1");
    for (size_t c = 0; c < all.head.size(); ++c) {
      if (all.head[c] == "golden_match" || all.head[c] == "seconds") continue;
      EXPECT_EQ(all.rows[i][c], pareto.rows[i][c]) << all.head[c];
    }
  }
  const auto summary = deepchip::explorer::load_json_file((dir / "all" / "summary.json").string());
  EXPECT_EQ(summary["verified_points"], 8);
}

// Accuracy in the loop: the trained model's points carry top-1 accuracy (cached per compression), points
// over max_accuracy_drop are marked and kept off the Pareto front, and summary.json has the budget table.
TEST(Cli, AccuracyInTheLoopMarksConstraintViolations) {
  const fs::path dir = scratch("accuracy");
  write(dir / "sweep.json", R"({"networks": [")" + std::string(DEEPCHIP_SOURCE_DIR) +
                                R"(/configs/models/fmnist_cnn.onnx"],
      "hardware": {"array_rows": 8, "array_cols": 8},
      "accuracy": {"test_images": 300, "calibration_images": 32, "max_accuracy_drop": 0.05},
      "objectives": ["cycles", "accuracy"],
      "axes": {"weight_bits": [8, 2], "huffman": ["off", "on"], "array_impl": ["tile", "cycle"]}})");
  const CliRun r =
      dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "out").string() + " --jobs 2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // Two distinct integer models (Huffman is lossless, the array does not change numerics): two evaluations.
  size_t evaluations = 0;
  for (size_t at = r.output.find("accuracy of "); at != std::string::npos;
       at = r.output.find("accuracy of ", at + 1))
    ++evaluations;
  EXPECT_EQ(evaluations, 2u) << r.output;
  const Csv csv = read_csv(dir / "out" / "results.csv");
  // Every column name once (the reference_top1 key and the reference the drop is measured from differ).
  EXPECT_EQ(std::set<std::string>(csv.head.begin(), csv.head.end()).size(), csv.head.size());
  const auto cell = [&](const std::vector<std::string>& c, const char* name) { return csv.cell(c, name); };
  for (const auto& c : csv.rows) {
    EXPECT_EQ(cell(c, "accuracy_images"), "300");
    EXPECT_EQ(cell(c, "accuracy_reference_top1"), cell(c, "float_top1"));  // the key is 0: the float model
    const double drop = std::stod(cell(c, "accuracy_drop"));
    EXPECT_NEAR(drop, std::stod(cell(c, "float_top1")) - std::stod(cell(c, "top1")), 1e-12);
    // int8 keeps the accuracy; 2-bit weights without training do not.
    const bool int8 = cell(c, "weight_bits") == "8";
    EXPECT_EQ(drop < 0.05, int8);
    EXPECT_EQ(cell(c, "constraints_ok"), drop <= 0.05 ? "1" : "0");
    if (cell(c, "constraints_ok") == "0") {
      EXPECT_EQ(cell(c, "pareto"), "0");
    }
  }
  EXPECT_EQ(csv.rows.size(), 8u);
  const auto summary = deepchip::explorer::load_json_file((dir / "out" / "summary.json").string());
  EXPECT_EQ(summary["constraint_violations"].size(), 4u);
  EXPECT_EQ(summary["objectives"], nlohmann::ordered_json::parse(R"(["cycles", "accuracy"])"));
  ASSERT_EQ(summary["best_within_accuracy_drop"].size(), 2u);
  EXPECT_EQ(summary["best_within_accuracy_drop"][0]["most_compressed"]["quantization"]["weight_bits"], 8);
  EXPECT_NE(r.output.find("violate their constraints"), std::string::npos);
}

// ARM+FPGA points: placement, per-domain cycles, transfers and resources in results.csv; a too-large array
// on xc7z020 is ok=false with the resource that is over.
TEST(Cli, ZynqPointsReportPlacementDomainsAndResources) {
  const fs::path dir = scratch("zynq");
  write(dir / "sweep.json", R"({"networks": ["lenet5"],
      "hardware": {"array_cols": 8, "input_buffer_kib": 32, "weight_buffer_kib": 32, "output_buffer_kib": 32},
      "soc": {"device": "xc7z020"}, "verify": "all",
      "axes": {"array_rows": [8, 32], "partition": ["auto", "all_arm"]}})");
  const CliRun r =
      dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "out").string() + " --jobs 2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Csv csv = read_csv(dir / "out" / "results.csv");
  EXPECT_EQ(std::set<std::string>(csv.head.begin(), csv.head.end()).size(), csv.head.size());
  const auto cell = [&](const std::vector<std::string>& c, const char* name) { return csv.cell(c, name); };
  for (const auto& c : csv.rows) {
    EXPECT_EQ(cell(c, "luts_available"), "53200");
    if (cell(c, "array_rows") == "32" && cell(c, "partition") == "auto") {
      EXPECT_EQ(cell(c, "ok"), "0");
      EXPECT_EQ(cell(c, "reason"), "does not fit xc7z020: DSP: needs 256, xc7z020 has 220 (36 over)");
      continue;
    }
    EXPECT_EQ(cell(c, "ok"), "1");
    EXPECT_EQ(cell(c, "golden_match"), "1");
    EXPECT_GT(std::stoll(cell(c, "arm_cycles")), 0);
    if (cell(c, "partition") == "all_arm") {
      EXPECT_EQ(cell(c, "fpga_cycles"), "0");
      EXPECT_EQ(cell(c, "placed_on_arm"), "conv1;pool1;conv2;pool2;fc1;fc2;fc3");
    }
    // A system's area is its resources (no silicon columns); its power its energy over its time.
    EXPECT_EQ(cell(c, "area_mm2"), "");
    double utilization = 0;
    for (const char* r : {"luts", "ffs", "bram36", "uram", "dsps"}) {
      const double available = std::stod(cell(c, (std::string(r) + "_available").c_str()));
      if (available > 0)
        utilization =
            std::max(utilization, std::stod(cell(c, (std::string(r) + "_used").c_str())) / available);
    }
    EXPECT_NEAR(std::stod(cell(c, "fpga_utilization")), utilization, 1e-12);
    const double seconds = std::stod(cell(c, "seconds"));
    EXPECT_NEAR(std::stod(cell(c, "power_w")), std::stod(cell(c, "energy_total_pj")) * 1e-12 / seconds,
                1e-9 * std::stod(cell(c, "power_w")));
    EXPECT_NEAR(std::stod(cell(c, "power_static_w")),
                std::stod(cell(c, "energy_static_pj")) * 1e-12 / seconds,
                1e-9 * std::stod(cell(c, "power_static_w")));
  }
  EXPECT_EQ(csv.rows.size(), 4u);
  const Csv layers = read_csv(dir / "out" / "layers.csv");
  EXPECT_NE(std::find(layers.head.begin(), layers.head.end(), "on_arm"), layers.head.end());
}

TEST(Cli, InfeasiblePointIsRecordedNotFatal) {
  const fs::path dir = scratch("infeasible");
  write(dir / "sweep.json", R"({"networks": ["lenet5"], "quantization": {"activation_bits": 16},
      "axes": {"weight_bits": [8, 16]}})");
  const CliRun r = dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto summary = deepchip::explorer::load_json_file((dir / "out" / "summary.json").string());
  ASSERT_EQ(summary["failed"].size(), 1u);
  EXPECT_EQ(
      summary["failed"][0]["reason"].get<std::string>().rfind("accumulator too narrow for layer conv1", 0),
      0u)
      << summary["failed"][0]["reason"];
}

// Ternary weights take no weight_bits: the two points of that axis compute the same and print as one row,
// the other listed under it with the setting that differs (results.csv keeps both).
TEST(Cli, DesignsWithTheSameResultsPrintOnce) {
  const fs::path dir = scratch("same_results");
  write(dir / "sweep.json", R"({"networks": ["lenet5"], "quantization": {"weight_format": "ternary"},
      "axes": {"weight_bits": [4, 8]}})");
  const CliRun r = dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::istringstream csv(read_text(dir / "out" / "results.csv"));
  std::string header, first, second;
  std::getline(csv, header);
  std::getline(csv, first);
  std::getline(csv, second);
  const std::string second_id = second.substr(0, second.find(','));
  size_t rows = 0;
  for (size_t at = r.output.find("\nlenet5 "); at != std::string::npos;
       at = r.output.find("\nlenet5 ", at + 1))
    ++rows;
  EXPECT_EQ(rows, 1u) << r.output;
  EXPECT_NE(r.output.find("\n         the same results: " + second_id + " (weight_bits 8)\n"),
            std::string::npos)
      << r.output;
}

// verify "pareto": the sweep writes points/<id>/ for the verified points only; `dse point` writes any other
// stored point's files from the store (a rerun from them keeps the id); an unknown id, or a folder without
// a store, is one line and exit 2, with nothing written.
TEST(Cli, PointFilesOfTheFrontAndOfAnyPointOnDemand) {
  const fs::path dir = scratch("point_files");
  write(dir / "sweep.json", R"({"networks": ["lenet5"], "axes": {"array_rows": [4, 8, 16]}})");
  const fs::path out = dir / "out";
  ASSERT_EQ(dse("--config " + (dir / "sweep.json").string() + " --out " + out.string()).exit_code, 0);
  const auto summary = deepchip::explorer::load_json_file((out / "summary.json").string());
  std::set<std::string> folders, verified;
  for (const auto& entry : fs::directory_iterator(out / "points")) folders.insert(entry.path().filename());
  for (const auto& p : summary["pareto"]) verified.insert(p["point_id"].get<std::string>());
  EXPECT_EQ(folders, verified);
  std::istringstream csv(read_text(out / "results.csv"));
  std::string line, other;
  std::getline(csv, line);
  while (other.empty() && std::getline(csv, line))
    if (!verified.count(line.substr(0, line.find(',')))) other = line.substr(0, line.find(','));
  ASSERT_FALSE(other.empty()) << "every point is on the front";
  const CliRun point = dse("point " + out.string() + " " + other);
  ASSERT_EQ(point.exit_code, 0) << point.output;
  const CliRun rerun = dse("run --config " + (out / "points" / other / "effective_config.json").string() +
                           " --out " + (dir / "rerun").string());
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_NE(rerun.output.find("point " + other + " ("), std::string::npos) << rerun.output;
  // The same stats; only the rerun, on tile, executed the numerics and checked them against the golden.
  auto stored =
      deepchip::explorer::load_json_file((out / "points" / other / "result.json").string())["total"];
  auto again = deepchip::explorer::load_json_file((dir / "rerun" / "result.json").string())["total"];
  EXPECT_FALSE(stored["golden_match"].get<bool>());
  EXPECT_TRUE(again["golden_match"].get<bool>());
  stored.erase("golden_match");
  again.erase("golden_match");
  EXPECT_EQ(stored, again);
  const CliRun unknown = dse("point " + out.string() + " " + other + " 0123456789ab");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.output,
            "dse: error: point: 0123456789ab: no such point in " + (out / "results.sqlite").string() + "\n");
  const CliRun no_store = dse("point " + dir.string() + " " + other);
  EXPECT_EQ(no_store.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir / "points"));
}

// A buffer outside the energy table's SRAM points runs, with one warning line from each command that reads
// a config (the sweep prints it once, not per point).
TEST(Cli, ABufferOutsideTheSramPointsRunsWithOneWarningLine) {
  const fs::path dir = scratch("sram_warning");
  write(dir / "point.json", R"({"network": "lenet5", "hardware": {"weight_buffer_kib": 2}})");
  write(dir / "sweep.json", R"({"networks": ["lenet5"], "hardware": {"weight_buffer_kib": 2},
      "axes": {"array_rows": [8, 16]}})");
  const std::string warning = "dse: warning: hardware.weight_buffer_kib: 2 KiB is outside the SRAM points";
  const auto count = [&](const std::string& text) {
    size_t n = 0;
    for (size_t at = text.find(warning); at != std::string::npos; at = text.find(warning, at + 1)) ++n;
    return n;
  };
  const CliRun run =
      dse("run --config " + (dir / "point.json").string() + " --out " + (dir / "run").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(count(run.output), 1u) << run.output;
  const CliRun sweep =
      dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "sweep").string());
  ASSERT_EQ(sweep.exit_code, 0) << sweep.output;
  EXPECT_EQ(count(sweep.output), 1u) << sweep.output;
}

// verify "pareto" explores at the timing level, but a point must still be feasible on its configured array:
// an rtl size that is not built fails with the rtl's reason, on the front or not.
TEST(Cli, TimingExplorationKeepsTheConfiguredArraysFeasibility) {
  const fs::path dir = scratch("explored_for");
  write(dir / "sweep.json", R"({"networks": ["lenet5"], "hardware": {"array_impl": "rtl"},
      "axes": {"array_rows": [4, 5, 6], "array_cols": [4]}})");
  const CliRun r =
      dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "out").string() + " --jobs 2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Csv csv = read_csv(dir / "out" / "results.csv");
  ASSERT_EQ(csv.rows.size(), 3u);
  EXPECT_EQ(csv.cell(csv.rows[0], "ok"), "1");
  for (size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(csv.cell(csv.rows[i], "ok"), "0");
    EXPECT_EQ(csv.cell(csv.rows[i], "reason").rfind("rtl array is built for", 0), 0u)
        << csv.cell(csv.rows[i], "reason");
  }
}

// The rtl array is weight-stationary: os and is points on it are infeasible with that reason, ws runs.
TEST(Cli, RtlRunsOnlyTheWeightStationaryDataflow) {
  const fs::path dir = scratch("rtl_dataflow");
  write(dir / "sweep.json", R"({"networks": ["lenet5"], "hardware": {"array_impl": "rtl", "array_rows": 4,
      "array_cols": 4}, "verify": "all", "axes": {"dataflow": ["ws", "os", "is"]}})");
  const CliRun r = dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Csv csv = read_csv(dir / "out" / "results.csv");
  ASSERT_EQ(csv.rows.size(), 3u);
  for (const auto& row : csv.rows) {
    const std::string df = csv.cell(row, "dataflow");
    EXPECT_EQ(csv.cell(row, "ok"), df == "ws" ? "1" : "0") << df;
    if (df != "ws") {
      EXPECT_EQ(csv.cell(row, "reason"), "rtl array is weight-stationary: dataflow " + df +
                                             " runs on array_impl cycle, tile or timing");
    }
  }
}

// A sweep of decodings: every point decodes (the decoding columns filled), the Pareto points are verified on
// tile golden-exact, and a wider weight fetch never slows a step; the rtl array refuses it with its reason.
TEST(Cli, DecodingSweepFillsThePhaseColumns) {
  const fs::path dir = scratch("decoding_sweep");
  write(dir / "sweep.json",
        R"({"networks": ["gpt2_tiny"], "sequence": {"prompt_tokens": 6, "decode_tokens": 3},
      "hardware": {"array_rows": 8, "array_cols": 8, "dram_bandwidth_bytes_per_cycle": 256},
      "axes": {"dataflow": ["ws", "is"], "weight_load_rows": [1, 8]}})");
  const CliRun r = dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Csv csv = read_csv(dir / "out" / "results.csv");
  ASSERT_EQ(csv.rows.size(), 4u);
  std::map<std::string, double> cycles_per_step;
  for (const auto& row : csv.rows) {
    EXPECT_EQ(csv.cell(row, "ok"), "1");
    if (csv.cell(row, "pareto") == "1") {
      EXPECT_EQ(csv.cell(row, "golden_match"), "1");
    }
    EXPECT_GE(std::stod(csv.cell(row, "decode_bound_ratio_min")), 1.0);
    EXPECT_GT(std::stod(csv.cell(row, "decode_tokens_per_s")), 0.0);
    EXPECT_GT(std::stoll(csv.cell(row, "dram_kv_read_bytes")), 0);
    cycles_per_step[csv.cell(row, "dataflow") + csv.cell(row, "weight_load_rows")] =
        std::stod(csv.cell(row, "decode_cycles_per_step"));
  }
  EXPECT_LT(cycles_per_step["ws8"], cycles_per_step["ws1"]);  // 1-cycle loads instead of 8 per fold
  EXPECT_LT(cycles_per_step["is8"], cycles_per_step["is1"]);
  write(dir / "rtl.json", R"({"network": "gpt2_tiny", "hardware": {"array_impl": "rtl", "array_rows": 8,
      "array_cols": 8, "weight_load_rows": 2}})");
  const CliRun rtl = dse("run --config " + (dir / "rtl.json").string() + " --out " + (dir / "rtl").string());
  EXPECT_EQ(rtl.exit_code, 1);
  EXPECT_NE(rtl.output.find("rtl array loads one weight row per cycle: weight_load_rows 2 runs on array_impl "
                            "cycle, tile or timing"),
            std::string::npos)
      << rtl.output;
}

}  // namespace
