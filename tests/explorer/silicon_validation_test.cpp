// The silicon model against a published accelerator (configs/README.md "Area and power", validation):
// Google's TPU v1 (N. Jouppi et al., "In-Datacenter Performance Analysis of a Tensor Processing Unit", ISCA
// 2017) in its own configuration at 28 nm (tests/conformance/silicon/tpu_v1.json, configs/tech/28nm.json).
// The paper gives a die of at most 331 mm2 (Table 2) and its floor plan (Figure 2): Unified Buffer 29%,
// Matrix Multiply Unit 24%, Accumulators 6%; and 40 W busy, 28 W idle per die (Table 2). This test recomputes
// the ratios the README states, so that they cannot drift from the model.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "deepchip/source_dir.hpp"
#include "explorer/config/config.hpp"
#include "tests/explorer/cli_helpers.hpp"

namespace fs = std::filesystem;
using namespace deepchip::testing::cli;

namespace {

constexpr double kDieMm2 = 331;  // an upper bound: the component areas below are upper bounds too

TEST(SiliconValidation, TpuV1AreaAndPowerAgainstThePaper) {
  const fs::path dir = scratch("tpu_v1");
  const CliRun r = dse("run --config " + std::string(DEEPCHIP_SOURCE_DIR) +
                       "/tests/conformance/silicon/tpu_v1.json --out " + (dir / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto result = deepchip::explorer::load_json_file((dir / "out" / "result.json").string());
  const auto& si = result["silicon"];
  const double mxu = si["area_pe_array_mm2"].get<double>(), ub = si["area_sram_input_mm2"].get<double>(),
               acc = si["area_sram_output_mm2"].get<double>();
  // Model over paper, as the README's table gives them (two decimals).
  auto ratio = [](double model, double paper) { return std::round(100 * model / paper) / 100; };
  EXPECT_EQ(ratio(mxu, 0.24 * kDieMm2), 0.22);
  EXPECT_EQ(ratio(ub, 0.29 * kDieMm2), 0.29);
  EXPECT_EQ(ratio(acc, 0.06 * kDieMm2), 0.24);
  EXPECT_EQ(ratio(mxu + ub + acc, 0.59 * kDieMm2), 0.26);
  // On-chip power: everything but the DRAM's energy, over the run.
  const double seconds = result["seconds"].get<double>();
  const double on_chip_w =
      (result["total"]["energy_total_pj"].get<double>() - result["total"]["energy_dram_pj"].get<double>()) *
      1e-12 / seconds;
  EXPECT_EQ(ratio(on_chip_w, 40), 0.11);
  EXPECT_EQ(ratio(si["power_static_w"].get<double>(), 28), 0.03);
  std::cout << "TPU v1 at 28 nm: MXU " << mxu << " mm2, Unified Buffer " << ub << " mm2, Accumulators " << acc
            << " mm2; on-chip power " << on_chip_w << " W (static " << si["power_static_w"] << " W)\n";
}

// The same network under ws, os and is: each layer's PE energy is what its dataflow moves, from that run's
// own counters (configs/README.md "Area and power": bits per MAC, loads along the chain, os's drain), and the
// three totals differ.
TEST(SiliconValidation, PeEnergyFollowsEachDataflowsMovement) {
  const fs::path dir = scratch("pe_energy");
  write(dir / "sweep.json", R"({"networks": ["lenet5"], "verify": "all",
      "hardware": {"array_rows": 8, "array_cols": 8, "input_buffer_kib": 16, "weight_buffer_kib": 16,
                   "output_buffer_kib": 16}, "axes": {"dataflow": ["ws", "os", "is"]}})");
  const CliRun r = dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Csv points = read_csv(dir / "out" / "results.csv");
  const Csv layers = read_csv(dir / "out" / "layers.csv");
  std::map<std::string, std::string> dataflow_of;
  std::map<std::string, double> forward_of;
  for (const auto& p : points.rows) {
    dataflow_of[points.cell(p, "point_id")] = points.cell(p, "dataflow");
    forward_of[points.cell(p, "dataflow")] = std::stod(points.cell(p, "energy_pe_forward_pj"));
  }
  const double chain = (8 + 1) / 2.0, pj = 0.009;  // 8 rows, one load row; int8, 32-bit sums, 64-bit words
  int checked = 0;
  for (const auto& l : layers.rows) {
    const double macs = std::stod(layers.cell(l, "macs"));
    if (macs == 0) continue;
    auto counter = [&](const char* c) { return std::stod(layers.cell(l, c)); };
    const std::string flow = dataflow_of.at(layers.cell(l, "point_id"));
    double forwarded = 0, local = 0;
    if (flow == "ws") {
      forwarded = macs * 40 + counter("sram_weight_reads") * 64 * chain;
      local = counter("sram_weight_reads") * 64;
    } else if (flow == "os") {
      forwarded = macs * 16 + counter("sram_output_writes") * 64 * chain;
      local = macs * 32;
    } else {
      forwarded = macs * 40 + counter("sram_input_reads") * 64 * chain;
      local = counter("sram_input_reads") * 64;
    }
    EXPECT_NEAR(counter("energy_pe_forward_pj"), forwarded * pj, 1e-9 * forwarded) << flow;
    EXPECT_NEAR(counter("energy_pe_register_pj"), local * pj, 1e-9 * local) << flow;
    ++checked;
  }
  EXPECT_EQ(checked, 3 * 5);  // LeNet-5's two convs and three FCs, under each dataflow
  EXPECT_NE(forward_of["ws"], forward_of["os"]);
  EXPECT_NE(forward_of["ws"], forward_of["is"]);
  EXPECT_NE(forward_of["os"], forward_of["is"]);
}

}  // namespace
