// Area, power and derived metrics as objectives and constraints, end to end through dse (issue 33's
// acceptance): an area objective spreads the front over array sizes; a constraint changes which points are
// feasible, in a grid and in nsga2; bad constraints get one line per error.
#include <gtest/gtest.h>

#include <set>

#include "explorer/config/config.hpp"
#include "tests/explorer/cli_helpers.hpp"

namespace fs = std::filesystem;
using namespace deepchip::testing::cli;

namespace {

// LeNet-5 over array shapes 4..32 (16 points) with cycles, energy and area traded off.
std::string sweep_text(const std::string& extra) {
  return R"({"networks": ["lenet5"], "objectives": ["cycles", "energy", "area"],
      "hardware": {"input_buffer_kib": 16, "weight_buffer_kib": 16, "output_buffer_kib": 16},
      "axes": {"array_rows": [4, 8, 16, 32], "array_cols": [4, 8, 16, 32]})" +
         extra + "}";
}

Csv run_sweep(const fs::path& dir, const std::string& text) {
  fs::create_directories(dir);
  write(dir / "sweep.json", text);
  const CliRun r =
      dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "out").string() + " --jobs 2");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return read_csv(dir / "out" / "results.csv");
}

double number(const Csv& csv, const std::vector<std::string>& row, const char* column) {
  return std::stod(csv.cell(row, column));
}

TEST(Constraints, AnAreaObjectiveSpreadsTheFrontOverArraySizes) {
  const Csv csv = run_sweep(scratch("area_front"), sweep_text(""));
  ASSERT_EQ(csv.rows.size(), 16u);
  std::set<std::string> front_shapes;
  double largest = 0, smallest = 1e9;  // of the PE array
  for (const auto& row : csv.rows) {
    ASSERT_EQ(csv.cell(row, "ok"), "1");
    const double area = number(csv, row, "area_mm2");
    double parts = 0;
    for (const char* c :
         {"area_pe_array_mm2", "area_sram_input_mm2", "area_sram_weight_mm2", "area_sram_output_mm2",
          "area_huffman_decoder_mm2", "area_vector_unit_mm2", "area_dram_interface_mm2"})
      parts += number(csv, row, c);
    EXPECT_NEAR(area, parts, 1e-9 * area);
    const double array = number(csv, row, "area_pe_array_mm2");
    largest = std::max(largest, array), smallest = std::min(smallest, array);
    // Static energy is the leakage over the run; power is energy over time.
    EXPECT_NEAR(number(csv, row, "energy_static_pj"),
                number(csv, row, "power_static_w") * number(csv, row, "seconds") * 1e12,
                1e-6 * number(csv, row, "energy_static_pj"));
    EXPECT_NEAR(number(csv, row, "power_w"),
                number(csv, row, "energy_total_pj") * 1e-12 / number(csv, row, "seconds"),
                1e-9 * number(csv, row, "power_w"));
    if (csv.cell(row, "pareto") == "1")
      front_shapes.insert(csv.cell(row, "array_rows") + "x" + csv.cell(row, "array_cols"));
  }
  EXPECT_NEAR(largest, 64 * smallest, 1e-9 * largest);  // 1,024 PEs against 16
  EXPECT_GE(front_shapes.size(), 3u);  // small, cheap arrays are on the front beside fast, large ones
}

TEST(Constraints, AnAreaOrLatencyBoundDecidesWhichGridPointsAreFeasible) {
  const Csv free = run_sweep(scratch("free"), sweep_text(""));
  std::vector<double> areas;
  for (const auto& row : free.rows) areas.push_back(number(free, row, "area_mm2"));
  std::sort(areas.begin(), areas.end());
  // About half the points are over it (the bound as the config writes it, 6 decimals).
  const double max_area = std::stod(std::to_string(areas[areas.size() / 2]));
  const Csv bound = run_sweep(scratch("bound"), sweep_text(R"(, "constraints": {"area_mm2": {"max": )" +
                                                           std::to_string(max_area) + "}}"));
  size_t feasible = 0, front = 0;
  for (const auto& row : bound.rows) {
    const bool within = number(bound, row, "area_mm2") <= max_area;
    EXPECT_EQ(bound.cell(row, "constraints_ok"), within ? "1" : "0");
    if (!within) {
      EXPECT_EQ(bound.cell(row, "pareto"), "0");
    }
    feasible += within, front += bound.cell(row, "pareto") == "1";
  }
  EXPECT_GE(feasible, 8u);
  EXPECT_LT(feasible, 16u);
  EXPECT_GE(front, 1u);
  // A latency bound: only arrays fast enough.
  std::vector<double> latencies;
  for (const auto& row : free.rows) latencies.push_back(number(free, row, "latency_ms"));
  std::sort(latencies.begin(), latencies.end());
  const double max_ms = std::stod(std::to_string(latencies[latencies.size() / 4]));
  const fs::path fast_dir = scratch("fast");
  const Csv fast = run_sweep(
      fast_dir, sweep_text(R"(, "constraints": {"latency_ms": {"max": )" + std::to_string(max_ms) + "}}"));
  for (const auto& row : fast.rows)
    EXPECT_EQ(fast.cell(row, "constraints_ok"), number(fast, row, "latency_ms") <= max_ms ? "1" : "0");
  const auto summary = deepchip::explorer::load_json_file((fast_dir / "out" / "summary.json").string());
  EXPECT_EQ(summary["constraints"]["latency_ms"]["max"].get<double>(), max_ms);
  EXPECT_FALSE(summary["constraint_violations"].empty());
}

TEST(Constraints, Nsga2KeepsItsFrontWithinTheConstraint) {
  const Csv csv = run_sweep(scratch("nsga2"), sweep_text(R"(, "constraints": {"area_mm2": {"max": 2.0}},
      "search": {"strategy": "nsga2", "budget": 12, "population": 4})"));
  ASSERT_EQ(csv.rows.size(), 12u);
  size_t front = 0, violating = 0;
  for (const auto& row : csv.rows) {
    EXPECT_EQ(csv.cell(row, "constraints_ok"), number(csv, row, "area_mm2") <= 2.0 ? "1" : "0");
    violating += csv.cell(row, "constraints_ok") == "0";
    if (csv.cell(row, "pareto") == "1") {
      ++front;
      EXPECT_LE(number(csv, row, "area_mm2"), 2.0);
    }
  }
  EXPECT_GE(front, 1u);
  EXPECT_GE(violating, 1u);  // the search met the bound (seeded: 16 x 32, the fastest it tried)
}

TEST(Constraints, BadConstraintsGetOneLineEach) {
  const fs::path dir = scratch("bad_constraints");
  fs::create_directories(dir);
  write(dir / "sweep.json", R"({"networks": ["lenet5"], "constraints": {"area_mm": {"max": 2},
      "latency_ms": {"max": "5"}, "power_w": {"min": 2, "max": 1}, "cycles": {"below": 3}}})");
  const CliRun r = dse("--config " + (dir / "sweep.json").string() + " --out " + (dir / "out").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output,
            "dse: error: constraints.area_mm: unknown key (did you mean 'area_mm2'?)\n"
            "dse: error: constraints.cycles.below: unknown key\n"
            "dse: error: constraints.latency_ms.max: must be a finite number, got \"5\"\n"
            "dse: error: constraints.power_w: min 2 is above max 1\n");
  EXPECT_FALSE(fs::exists(dir / "out"));
  // Area needs a technology table with silicon.
  write(dir / "table.json", R"({"source": "test", "int_mult_8bit_pj": 0.2, "int_add_32bit_pj": 0.1,
      "sram_64bit_access_pj": [{"size_kib": 8, "pj": 10}, {"size_kib": 32, "pj": 20}], "dram_pj_per_bit": 20})");
  write(dir / "area.json", R"({"networks": ["lenet5"], "energy_table": "table.json",
      "objectives": ["cycles", "area"]})");
  const CliRun a = dse("--config " + (dir / "area.json").string() + " --out " + (dir / "out").string());
  EXPECT_EQ(a.exit_code, 2);
  EXPECT_EQ(a.output,
            "dse: error: objectives: area needs the silicon section of the technology table, which " +
                (dir / "table.json").string() + " does not have (configs/tech/45nm.json has one)\n");
}

}  // namespace
