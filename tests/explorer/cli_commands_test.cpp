// dse's other commands and its console end to end: dse run (traces, ONNX models), dse infer, time limits,
// progress lines, --help and --version.
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

#include "deepchip/dse_binary.hpp"
#include "deepchip/source_dir.hpp"
#include "explorer/config/config.hpp"
#include "sim/onnx/import.hpp"
#include "tests/explorer/cli_helpers.hpp"

namespace fs = std::filesystem;
using namespace deepchip::testing::cli;

namespace {

TEST(Cli, TraceWritesWaveformsOfTheRtlAndCycleArrays) {
  const fs::path dir = scratch("trace");
  write(dir / "net.json", R"({"inputs": [{"name": "x", "shape": [4, 4, 2]}],
      "layers": [{"name": "c", "type": "conv", "filters": 3, "kernel": 3, "padding": 1}]})");
  for (const std::string impl : {"rtl", "cycle"}) {
    write(dir / (impl + ".json"),
          R"({"network": "net.json", "hardware": {"array_rows": 4, "array_cols": 4, "array_impl": ")" + impl +
              R"("}})");
    const CliRun r = dse("run --config " + (dir / (impl + ".json")).string() + " --out " +
                         (dir / impl).string() + " --trace " + (dir / (impl + ".vcd")).string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::string vcd = read_text(dir / (impl + ".vcd"));
    EXPECT_NE(vcd.find("$enddefinitions"), std::string::npos) << impl;
    if (impl == "rtl") {
      EXPECT_NE(vcd.find(" out_valid "), std::string::npos);
    }
    if (impl == "cycle") {
      EXPECT_NE(vcd.find("$var wire 1 ! inject_valid $end"), std::string::npos);
      EXPECT_NE(vcd.find("psum_bottom_3"), std::string::npos);
      EXPECT_NE(vcd.find("\n1!\n"), std::string::npos);  // a vector was injected
    }
  }
  write(dir / "tile.json", R"({"network": "net.json", "hardware": {"array_impl": "tile"}})");
  const CliRun r =
      dse("run --config " + (dir / "tile.json").string() + " --trace " + (dir / "no.vcd").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.output,
      "dse: error: --trace: waveforms need hardware.array_impl \"cycle\" or \"rtl\" (tile computes a fold at "
      "once, timing computes no data)\n");
  EXPECT_FALSE(fs::exists(dir / "no.vcd"));
}

// The README's example writes the timeline into --out before the folder exists: dse makes the folder.
TEST(Cli, ATimelineInsideOutNeedsNoFolderBeforehand) {
  const fs::path dir = scratch("timeline_in_out");
  const CliRun r =
      dse("run --config " + std::string(DEEPCHIP_SOURCE_DIR) + "/configs/point_lenet5_cycle.json --out " +
          (dir / "point").string() + " --timeline " + (dir / "point" / "timeline.json").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(read_text(dir / "point" / "timeline.json").find("\"traceEvents\""), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "point" / "report.html"));
}

TEST(Cli, OnnxModelsRunWithTheirWeightsAndBadOnesAreOneLineErrors) {
  const fs::path dir = scratch("onnx");
  const std::string model =
      "/usr/share/libonnx-testdata/data/pytorch-converted/test_Conv2d_strided/model.onnx";
  write(dir / "p.json", R"({"network": ")" + model +
                            R"(", "hardware": {"array_rows": 8, "array_cols": 8, "array_impl": "cycle"}})");
  CliRun r = dse("run --config " + (dir / "p.json").string() + " --out " + (dir / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto result = deepchip::explorer::load_json_file((dir / "out" / "result.json").string());
  EXPECT_TRUE(result["golden_match"].get<bool>());
  EXPECT_GT(result["total"]["macs"].get<int64_t>(), 0);
  write(dir / "bad.onnx", "this is not protobuf");
  write(dir / "q.json", R"({"network": "bad.onnx"})");
  r = dse("run --config " + (dir / "q.json").string() + " --out " + (dir / "out2").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output, "dse: error: network: " + (dir / "bad.onnx").string() +
                          ": not an ONNX model (protobuf parse failed)\n");
  const std::string prelu = "/usr/share/libonnx-testdata/data/pytorch-converted/test_PReLU_2d/model.onnx";
  write(dir / "u.json", R"({"network": ")" + prelu + R"("})");
  r = dse("run --config " + (dir / "u.json").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("(PRelu): unsupported operator"), std::string::npos) << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1);
  EXPECT_FALSE(fs::exists(dir / "out2"));
}

TEST(Cli, InferRunsAnOnnxModelOnATensorFile) {
  const fs::path dir = scratch("infer");
  const std::string d = "/usr/share/libonnx-testdata/data/pytorch-converted/test_Conv2d_strided";
  const std::string args = "infer --model " + d + "/model.onnx --input " + d + "/test_data_set_0/input_0.pb";
  CliRun r = dse(args + " --output " + (dir / "float.pb").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = dse(args + " --output " + (dir / "int8.pb").string() + " --quantized");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto expected = deepchip::sim::load_onnx_tensor(d + "/test_data_set_0/output_0.pb");
  const auto f = deepchip::sim::load_onnx_tensor((dir / "float.pb").string());
  const auto q = deepchip::sim::load_onnx_tensor((dir / "int8.pb").string());
  ASSERT_EQ(f.dims, expected.dims);
  ASSERT_EQ(q.dims, expected.dims);
  double max_abs = 0, float_err = 0, int8_err = 0;
  for (size_t i = 0; i < expected.values.size(); ++i) {
    max_abs = std::max(max_abs, std::fabs(static_cast<double>(expected.values[i])));
    float_err = std::max(float_err, std::fabs(static_cast<double>(f.values[i] - expected.values[i])));
    int8_err = std::max(int8_err, std::fabs(static_cast<double>(q.values[i] - expected.values[i])));
  }
  EXPECT_LE(float_err, 1e-5 * std::max(1.0, max_abs));
  EXPECT_GT(int8_err, 0.0);             // the integer path really quantizes
  EXPECT_LE(int8_err, 0.05 * max_abs);  // within a few 8-bit steps of the float result
  r = dse("infer --model " + d + "/model.onnx");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.output,
      "dse: error: --input: required with `dse infer`\ndse: error: --output: required with `dse infer`\n");
}

TEST(Cli, APointOverItsTimeLimitIsRecordedAndTheSweepGoesOn) {
  // ResNet-18 on a 2x2 `cycle` array (run as configured: verify all; at the timing level it took 1 to
  // 1.5 s on this project's machine, too close to the limit) needs minutes; lenet5 finishes at once.
  const fs::path dir = scratch("timeout");
  write(dir / "sweep.json", R"({"networks": ["resnet18", "lenet5"], "verify": "all", "time_limit_s": 1,
      "hardware": {"array_rows": 2, "array_cols": 2, "array_impl": "cycle", "weight_buffer_kib": 1}})");
  const CliRun r =
      dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "out").string() + " --jobs 2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto summary = deepchip::explorer::load_json_file((dir / "out" / "summary.json").string());
  EXPECT_EQ(summary["points"], 2);
  EXPECT_EQ(summary["ok_points"], 1);
  ASSERT_EQ(summary["failed"].size(), 1u);
  EXPECT_EQ(summary["failed"][0]["reason"], "time limit of 1 s exceeded");
}

TEST(Cli, APointThatFailedOnItsTimeLimitRunsAgainWhenARerunChangesTheLimit) {
  // ResNet-18 on a 2x2 `cycle` array (run as configured: verify all) exceeds any of these limits; lenet5
  // finishes at once and stays stored.
  const fs::path dir = scratch("timeout_raised");
  auto sweep_with_limit = [&](const std::string& limit) {
    write(dir / "sweep.json",
          R"({"networks": ["resnet18", "lenet5"], "verify": "all", "time_limit_s": )" + limit + R"(,
        "hardware": {"array_rows": 2, "array_cols": 2, "array_impl": "cycle", "weight_buffer_kib": 1}})");
    const CliRun r = dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "out").string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    const auto summary = deepchip::explorer::load_json_file((dir / "out" / "summary.json").string());
    EXPECT_EQ(summary["ok_points"], 1);
    EXPECT_EQ(summary["failed"].size(), 1u);
    return std::make_pair(r.output, summary["failed"][0]["reason"].get<std::string>());
  };
  EXPECT_EQ(sweep_with_limit("1").second, "time limit of 1 s exceeded");
  // Raised: the stored failure does not hold, the point runs again (lenet5 is taken from the store).
  const auto [raised_output, raised_reason] = sweep_with_limit("1.5");
  EXPECT_EQ(raised_reason, "time limit of 1.5 s exceeded");
  EXPECT_NE(raised_output.find("(resuming: 1 already in"), std::string::npos) << raised_output;
  // The same limit again: both points are taken from the store.
  const auto [same_output, same_reason] = sweep_with_limit("1.5");
  EXPECT_EQ(same_reason, "time limit of 1.5 s exceeded");
  EXPECT_NE(same_output.find("(resuming: 2 already in"), std::string::npos) << same_output;
}

}  // namespace

namespace {

int count_lines_starting(const std::string& text, const std::string& prefix) {
  int n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) n += line.rfind(prefix, 0) == 0;
  return n;
}

TEST(Cli, ProgressIsAPlainLineEveryFivePercentAndQuietSilencesIt) {
  const fs::path dir = scratch("progress");
  write(dir / "sweep.json", R"({"networks": ["lenet5"], "hardware": {"array_impl": "timing"},
      "axes": {"array_rows": [4, 8, 12, 16, 20, 24, 28, 32, 36, 40], "array_cols": [4, 8, 16, 32]}})");
  const auto r = dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // 40 points: a line every 5% (2 points) at most, the last at 100%; not a line per point.
  const int verify_lines = count_lines_starting(r.output, "[verify ");
  const int lines = count_lines_starting(r.output, "[") - verify_lines;
  EXPECT_GE(lines, 2) << r.output;
  EXPECT_LE(lines, 20) << r.output;        // 20 explore steps
  EXPECT_GE(verify_lines, 1) << r.output;  // and the verification's (one per front point here, at most 20)
  EXPECT_LE(verify_lines, 20) << r.output;
  EXPECT_NE(r.output.find("[40/40 100%] "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(" points/min, ETA "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(", 0 failed, best cycles "), std::string::npos) << r.output;
  const auto quiet =
      dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "quiet").string() + " --quiet");
  ASSERT_EQ(quiet.exit_code, 0) << quiet.output;
  EXPECT_EQ(count_lines_starting(quiet.output, "["), 0) << quiet.output;
  EXPECT_EQ(quiet.output.find("design points"), std::string::npos) << quiet.output;
}

TEST(Cli, HelpDocumentsEveryCommandAndVersionPrintsTheRevision) {
  const auto help = dse("--help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* s :
       {"dse --config SWEEP.json", "--out DIR", "--jobs N", "--allow-other-revision", "--quiet",
        "dse run --config POINT.json", "--trace FILE", "dse infer --model", "--quantized", "dse --list-keys",
        "dse --schema", "dse --version", "exit codes:", "--timeline FILE", "dse report DIR"})
    EXPECT_NE(help.output.find(s), std::string::npos) << s;
  EXPECT_EQ(dse("run --help").output.rfind("usage: dse run --config POINT.json", 0), 0u);
  EXPECT_EQ(dse("infer --help").output.rfind("usage: dse infer --model", 0), 0u);
  EXPECT_EQ(dse("report --help").output.rfind("usage: dse report DIR", 0), 0u);
  // Bare `dse` asked for nothing: the usage on stderr, exit 2 (it used to say "--config: required").
  const auto bare = deepchip::testing::run_shell("(" + std::string(DSE_BINARY) + " 2>&1 >/dev/null)");
  EXPECT_EQ(bare.exit_code, 2);
  EXPECT_EQ(bare.output.rfind("usage:\ndse --config SWEEP.json", 0), 0u) << bare.output;
  EXPECT_NE(bare.output.find("5 the environment failed"), std::string::npos) << bare.output;
  const auto version = dse("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.output.rfind("dse ", 0), 0u) << version.output;
  EXPECT_EQ(std::count(version.output.begin(), version.output.end(), '\n'), 1) << version.output;
}

TEST(Cli, ListKeysMarkdownIsTheCommittedKeyReference) {
  const auto md = dse("--list-keys --markdown");
  ASSERT_EQ(md.exit_code, 0) << md.output;
  std::ifstream f(std::string(DEEPCHIP_SOURCE_DIR) + "/configs/keys.md");
  const std::string committed((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_EQ(md.output, committed);
  const auto alone = dse("--markdown");
  EXPECT_EQ(alone.exit_code, 2);
  EXPECT_NE(alone.output.find("--markdown: only with --list-keys"), std::string::npos) << alone.output;
}

}  // namespace

namespace {

// On a terminal the progress is one line rewritten in place (carriage return, erase to the end of the
// line); util-linux `script` gives dse a pseudo-terminal.
TEST(Cli, ProgressOnATerminalIsOneLineRewrittenInPlace) {
  const fs::path dir = scratch("tty");
  write(dir / "sweep.json", R"({"networks": ["lenet5"], "hardware": {"array_impl": "timing"},
      "axes": {"array_rows": [4, 8, 12, 16, 20, 24, 28, 32], "array_cols": [4, 8, 16, 32]}})");
  const std::string cmd = std::string(DSE_BINARY) + " --config " + (dir / "sweep.json").string() + " --out " +
                          (dir / "out").string();
  const auto r = deepchip::testing::run_shell("script -qec '" + cmd + "' /dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\r[32/32 100%] "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\x1b[K"), std::string::npos) << r.output;
  // Rewritten in place: the explore phase leaves one line, not one per update.
  EXPECT_EQ(count_lines_starting(r.output, "["), 0) << r.output;
}

}  // namespace
