// Identity by content (explorer/config/identity.hpp): a sweep grown or narrowed reuses the stored points it
// still contains and ends as a fresh run of it would; one that shares no point is refused naming the keys;
// point ids are the same from any folder, for a copied network file, and from a point's effective config.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "deepchip/dse_binary.hpp"
#include "deepchip/source_dir.hpp"
#include "explorer/config/config.hpp"
#include "explorer/config/identity.hpp"
#include "sim/io/errors.hpp"
#include "tests/explorer/dse_process.hpp"
#include "tests/explorer/scratch_dir.hpp"

namespace fs = std::filesystem;
using deepchip::testing::run_dse;
using deepchip::testing::run_shell;
using nlohmann::json;

namespace {

fs::path scratch(const std::string& name) { return deepchip::testing::scratch_dir("dse_identity_", name); }

std::string read_text(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

int64_t explored_rows(const fs::path& out) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2((out / "results.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM points WHERE phase = 'explore'", -1, &st, nullptr);
  const int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

// The first column of results.csv (the point ids), header left out.
std::set<std::string> point_ids(const fs::path& out) {
  std::istringstream csv(read_text(out / "results.csv"));
  std::set<std::string> ids;
  std::string line;
  std::getline(csv, line);
  while (std::getline(csv, line)) ids.insert(line.substr(0, line.find(',')));
  return ids;
}

fs::path write(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

deepchip::testing::DseRun sweep(const fs::path& config, const fs::path& out) {
  return run_dse("--config " + config.string() + " --out " + out.string() + " --jobs 2");
}

const char* kTwoRows = R"({"networks": ["lenet5"], "hardware": {"array_impl": "tile"},
                          "axes": {"array_rows": [8, 16], "array_cols": [8]}})";
// The same sweep with a third row count, its keys in another order and a default written out.
const char* kThreeRows = R"({"seed": 1, "axes": {"array_cols": [8], "array_rows": [16, 8, 32]},
                            "hardware": {"array_impl": "tile", "clock_mhz": 200}, "networks": ["lenet5"]})";

deepchip::explorer::SweepSpec parse(const std::string& text) {
  return deepchip::explorer::parse_sweep(nlohmann::ordered_json::parse(text), "inline.json");
}

}  // namespace

TEST(SweepIdentity, KeyOrderAndWrittenDefaultsDoNotChangeIt) {
  const auto a = parse(R"({"networks": ["lenet5"], "axes": {"array_rows": [8, 16]}})");
  const auto b = parse(R"({"axes": {"array_rows": [16, 8]}, "seed": 1, "networks": ["lenet5"],
                          "hardware": {"clock_mhz": 200}, "objectives": ["cycles"]})");
  EXPECT_EQ(a.identity, b.identity);
  EXPECT_EQ(a.space.point({0, 0}).id, b.space.point({0, 1}).id);  // array_rows 8 in both
}

TEST(SweepIdentity, SweepsThatShareNoPointNameEveryKeyThatDiffers) {
  const json stored =
      json::parse(parse(R"({"networks": ["lenet5"], "axes": {"array_rows": [8, 16]}})").identity);
  const json grown = json::parse(
      parse(R"({"networks": ["lenet5", "alexnet"], "axes": {"array_rows": [8, 16, 32]}})").identity);
  EXPECT_TRUE(deepchip::explorer::disjoint_dimensions(stored, grown).empty());
  const json other = json::parse(
      parse(R"({"networks": ["alexnet"], "hardware": {"clock_mhz": 250}, "axes": {"array_rows": [32]}})")
          .identity);
  EXPECT_EQ(deepchip::explorer::disjoint_dimensions(stored, other),
            (std::vector<std::string>{"hardware.array_rows: [8,16] in the store's sweep, 32 in this one",
                                      "hardware.clock_mhz: 200 in the store's sweep, 250 in this one",
                                      "network: \"lenet5\" in the store's sweep, \"alexnet\" in this one"}));
}

TEST(SweepIdentity, AGrownSweepRunsOnlyItsNewPointsAndEndsAsAFreshRunOfIt) {
  const fs::path dir = scratch("grown");
  ASSERT_EQ(sweep(write(dir / "two.json", kTwoRows), dir / "out").exit_code, 0);
  const auto grown = sweep(write(dir / "three.json", kThreeRows), dir / "out");
  ASSERT_EQ(grown.exit_code, 0) << grown.output;
  EXPECT_NE(grown.output.find("3 design points (resuming: 2 already in"), std::string::npos) << grown.output;
  EXPECT_NE(grown.output.find("[1/1 100%]"), std::string::npos) << "not one point explored:\n"
                                                                << grown.output;
  EXPECT_EQ(explored_rows(dir / "out"), 3);
  ASSERT_EQ(sweep(dir / "three.json", dir / "fresh").exit_code, 0);
  for (const char* file : {"results.csv", "layers.csv"})
    EXPECT_EQ(read_text(dir / "out" / file), read_text(dir / "fresh" / file)) << file;
  // The store holds the grown sweep now: its report is made from the folder alone.
  const std::string report = read_text(dir / "out" / "report.html");
  fs::remove(dir / "out" / "report.html");
  ASSERT_EQ(run_dse("report " + (dir / "out").string()).exit_code, 0);
  EXPECT_EQ(read_text(dir / "out" / "report.html"), report);
  // Narrowed to one point: nothing runs, the exports are those of a fresh run of the narrow sweep.
  const fs::path one = write(dir / "one.json", R"({"networks": ["lenet5"], "hardware": {"array_impl": "tile"},
                                                   "axes": {"array_rows": [32], "array_cols": [8]}})");
  const auto narrowed = sweep(one, dir / "out");
  ASSERT_EQ(narrowed.exit_code, 0) << narrowed.output;
  EXPECT_NE(narrowed.output.find("1 design points (resuming: 1 already in"), std::string::npos)
      << narrowed.output;
  EXPECT_EQ(narrowed.output.find("\n["), std::string::npos) << "a stored point ran again:\n"
                                                            << narrowed.output;
  ASSERT_EQ(sweep(one, dir / "fresh_one").exit_code, 0);
  EXPECT_EQ(read_text(dir / "out" / "results.csv"), read_text(dir / "fresh_one" / "results.csv"));
  EXPECT_EQ(explored_rows(dir / "out"), 3);
}

TEST(SweepIdentity, ASweepThatSharesNoPointIsRefusedWithTheKeysThatDiffer) {
  const fs::path dir = scratch("disjoint");
  ASSERT_EQ(sweep(write(dir / "two.json", kTwoRows), dir / "out").exit_code, 0);
  const std::string csv = read_text(dir / "out" / "results.csv");
  const auto r = sweep(
      write(dir / "clock.json", R"({"networks": ["lenet5"], "axes": {"array_rows": [8], "array_cols": [8]},
                                                    "hardware": {"array_impl": "tile", "clock_mhz": 250}})"),
      dir / "out");
  EXPECT_EQ(r.exit_code, 2);
  const std::string where = "dse: error: --out: " + (dir / "out").string() + ": ";
  EXPECT_EQ(r.output,
            where + "hardware.clock_mhz: 200 in the store's sweep, 250 in this one\n" + where +
                "the sweep there shares no design point with this one; use another --out, or delete " +
                (dir / "out" / "results.sqlite").string() + " to start over\n");
  EXPECT_EQ(read_text(dir / "out" / "results.csv"), csv);
  EXPECT_EQ(explored_rows(dir / "out"), 2);
}

// A network file copied into two folders, each with its sweep, run from elsewhere: the same ids. A point's
// effective config rerun with dse run keeps its id. A change to the file's content changes them.
TEST(SweepIdentity, IdsFollowContentNotFolders) {
  const fs::path dir = scratch("content");
  const std::string net = read_text(fs::path(DEEPCHIP_SOURCE_DIR) / "configs/networks/tiny_resnet.json");
  const std::string config = R"({"networks": ["net.json"], "hardware": {"array_impl": "tile"},
                                 "axes": {"array_rows": [8, 16]}})";
  for (const char* folder : {"first", "second"}) {
    fs::create_directories(dir / folder);
    write(dir / folder / "net.json", net);
    write(dir / folder / "sweep.json", config);
  }
  ASSERT_EQ(sweep(dir / "first" / "sweep.json", dir / "first" / "out").exit_code, 0);
  const auto elsewhere = run_shell("cd " + (dir / "second").string() + " && " + DSE_BINARY +
                                   " --config sweep.json --out out --jobs 2");
  ASSERT_EQ(elsewhere.exit_code, 0) << elsewhere.output;
  const auto ids = point_ids(dir / "first" / "out");
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(point_ids(dir / "second" / "out"), ids);
  const std::string id = *ids.begin();
  // Its files from the store (a sweep writes them itself for the verified points only).
  ASSERT_EQ(run_dse("point " + (dir / "first" / "out").string() + " " + id).exit_code, 0);
  const auto rerun =
      run_dse("run --config " + (dir / "first" / "out" / "points" / id / "effective_config.json").string() +
              " --out " + (dir / "rerun").string());
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_NE(rerun.output.find("point " + id + " ("), std::string::npos) << rerun.output;
  write(dir / "second" / "net.json", json::parse(net).dump(1));  // the same network, other bytes
  ASSERT_EQ(sweep(dir / "second" / "sweep.json", dir / "changed").exit_code, 0);
  for (const auto& changed : point_ids(dir / "changed")) EXPECT_EQ(ids.count(changed), 0u) << changed;
}
