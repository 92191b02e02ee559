// The result store and resume: a sweep SIGKILLed at points the test chooses by count (its main process after
// the Nth commit, or the workers of chosen points; explorer/store/kill_points.hpp) and rerun each time ends
// with the same results.csv and layers.csv as an uninterrupted run, every point stored once; a store in use
// or of another code revision is refused with one line, one of a sweep that shares no point with a line per
// differing key.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "deepchip/dse_binary.hpp"
#include "deepchip/source_dir.hpp"
#include "tests/explorer/dse_process.hpp"
#include "tests/explorer/scratch_dir.hpp"

namespace fs = std::filesystem;
using deepchip::testing::children_of;
using deepchip::testing::run_dse;
using deepchip::testing::spawn_dse;

namespace {

const std::string kSweep = std::string(DEEPCHIP_SOURCE_DIR) + "/configs/sweep.json";  // 36 points, pareto

fs::path scratch(const std::string& name) { return deepchip::testing::scratch_dir("dse_resume_", name); }

std::string read_text(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string sweep_args(const fs::path& out, const std::string& config = kSweep) {
  return "--config " + config + " --out " + out.string() + " --jobs 2";
}

// One integer from the store (sqlite3's C API: the test does not trust the code under test to read it).
int64_t query(const fs::path& out, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2((out / "results.sqlite").c_str(), &db, SQLITE_OPEN_READWRITE, nullptr),
            SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  const int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

// The uninterrupted run the interrupted ones must end equal to; its wall time in seconds.
double reference_run(const fs::path& out, const std::string& config = kSweep) {
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_dse(sweep_args(out, config));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void expect_same_exports(const fs::path& expected, const fs::path& actual) {
  EXPECT_EQ(read_text(actual / "results.csv"), read_text(expected / "results.csv"));
  EXPECT_EQ(read_text(actual / "layers.csv"), read_text(expected / "layers.csv"));
  // Every point once per phase: the store has the same rows as the uninterrupted run's (the resumed store
  // may hold extra verifications, see verify_targets; it never holds a point twice: primary keys).
  const int64_t points = query(expected, "SELECT COUNT(*) FROM points WHERE phase = 'explore'");
  EXPECT_EQ(query(actual, "SELECT COUNT(*) FROM points WHERE phase = 'explore'"), points);
  EXPECT_EQ(query(actual, "SELECT COUNT(DISTINCT point_id) FROM points WHERE phase = 'explore'"), points);
  EXPECT_EQ(query(actual, "SELECT COUNT(*) FROM layers WHERE phase = 'explore'"),
            query(expected, "SELECT COUNT(*) FROM layers WHERE phase = 'explore'"));
}

// The interrupted sweep in dir/out, rerun once more, ends equal to dir/reference.
void resume_to_the_end(const fs::path& dir, const std::string& config = kSweep) {
  const auto last = run_dse(sweep_args(dir / "out", config));
  ASSERT_EQ(last.exit_code, 0) << last.output;
  expect_same_exports(dir / "reference", dir / "out");
}

nlohmann::json json_file(const fs::path& p) { return nlohmann::json::parse(read_text(p)); }

// Points committed to the store in dir/out so far (0 before it exists).
int64_t committed(const fs::path& out) {
  return fs::exists(out / "results.sqlite") ? query(out, "SELECT COUNT(*) FROM points") : 0;
}

// `dse args` with kill points (explorer/store/kill_points.hpp) set in its environment; the shell execs dse,
// so a dse killed by a signal reads as exit code -1.
deepchip::testing::DseRun run_dse_with(const std::string& environment, const std::string& args) {
  return deepchip::testing::run_shell("exec env " + environment + " " + std::string(DSE_BINARY) + " " + args);
}

// The main process SIGKILLs itself right after a number of commits the test draws (1 .. its share of what is
// left), `kills` times; then one more run finishes the sweep, which must end as the uninterrupted run in
// dir/reference ended. Every kill lands where it was meant to: the store holds exactly the rows committed.
void kill_main_after_chosen_commits(const fs::path& dir, const std::string& config, int kills,
                                    unsigned seed) {
  reference_run(dir / "reference", config);
  const int64_t total_rows = query(dir / "reference", "SELECT COUNT(*) FROM points");  // explore + verify
  std::mt19937 rng(seed);
  int landed = 0;
  for (int kill_no = 0; kill_no < kills; ++kill_no) {
    const int64_t stored = committed(dir / "out");
    if (total_rows - stored < 2) break;  // nothing left to interrupt
    // At most an equal share of what is left per kill still to come, so that every kill has rows to cut.
    const int64_t share = std::max<int64_t>(1, (total_rows - stored - 1) / (kills - kill_no));
    const int64_t after = std::uniform_int_distribution<int64_t>(1, share)(rng);
    const auto r =
        run_dse_with("DSE_TEST_KILL_AFTER_COMMITS=" + std::to_string(after), sweep_args(dir / "out", config));
    EXPECT_EQ(r.exit_code, -1) << "kill " << kill_no << " after " << after << " commits: " << r.output;
    EXPECT_EQ(committed(dir / "out"), stored + after) << "kill " << kill_no;
    landed += r.exit_code == -1;
  }
  std::cout << "seed " << seed << ": " << landed << " kills landed\n";
  EXPECT_EQ(landed, kills);
  resume_to_the_end(dir, config);
}

TEST(Resume, SigkillOfTheMainProcessAfterTenChosenCommitsLosesAndDuplicatesNoPoint) {
  kill_main_after_chosen_commits(scratch("main"), kSweep, 10, 20261201);
}

// A resumed nsga2 continues the same generations: the strategy is replayed, told the stored results.
TEST(Resume, AKilledNsga2SearchResumesItsGenerations) {
  const fs::path dir = scratch("nsga2");
  std::ofstream(dir / "nsga2.json") << R"({"networks": ["lenet5", "svhn_convnet"],
      "hardware": {"array_impl": "tile"},
      "axes": {"array_rows": [4, 8, 16, 32, 64], "array_cols": [4, 8, 16, 32, 64],
               "weight_buffer_kib": [4, 16, 64], "dram_bandwidth_bytes_per_cycle": [4, 16, 64]},
      "search": {"strategy": "nsga2", "budget": 48, "population": 8, "seed": 3}})";
  kill_main_after_chosen_commits(dir, (dir / "nsga2.json").string(), 6, 20261203);
  const auto summary = json_file(dir / "out" / "summary.json");
  EXPECT_EQ(summary["search"]["strategy"], "nsga2");
  EXPECT_EQ(summary["points"], 48);
  EXPECT_EQ(summary["search"]["hypervolume"][0]["generations"].size(), 6u);  // 48 points, 8 per generation
}

// Ten workers of the 36 exploration points, drawn by the test, SIGKILL themselves before they evaluate:
// exactly those ten points are reported as not stored (exit code 4), and the rerun runs them.
TEST(Resume, TenWorkersKilledRunAgainOnResume) {
  const fs::path dir = scratch("workers");
  reference_run(dir / "reference");
  const unsigned seed = 20261202;
  std::mt19937 rng(seed);
  std::vector<int> workers(36);
  std::iota(workers.begin(), workers.end(), 0);
  std::shuffle(workers.begin(), workers.end(), rng);
  std::string list;
  for (int i = 0; i < 10; ++i) list += (i ? "," : "") + std::to_string(workers[i]);
  const auto r = run_dse_with("DSE_TEST_KILL_WORKERS=" + list, sweep_args(dir / "out"));
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(
      r.output.find("dse: 10 points did not finish (their workers were killed from outside) and are not "
                    "stored; rerun the same command to run them"),
      std::string::npos)
      << r.output;
  EXPECT_EQ(query(dir / "out", "SELECT COUNT(*) FROM points WHERE phase = 'explore'"), 26);
  std::cout << "seed " << seed << ": workers " << list << " killed\n";
  resume_to_the_end(dir);
}

// results.csv's rows by point id, without the column that compares a point with another
// (speedup_vs_int8_dense: its int8 baseline may be a crashed point). No cell of these sweeps holds a comma.
std::map<std::string, std::vector<std::string>> rows_by_id(const fs::path& csv) {
  std::map<std::string, std::vector<std::string>> rows;
  std::istringstream in(read_text(csv));
  std::optional<size_t> relative;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    if (!relative) relative = std::find(cells.begin(), cells.end(), "speedup_vs_int8_dense") - cells.begin();
    if (*relative < cells.size()) cells[*relative].clear();
    rows[cells.at(0)] = cells;
  }
  return rows;
}

// Workers evaluate point after point; one that crashes, or whose point throws, fails that point alone: the
// points it finished before are kept, a new worker takes the rest, and every other row is the uninterrupted
// run's (verify all, so that no row depends on the front).
TEST(Resume, ACrashedWorkerFailsItsPointAloneAndIsReplaced) {
  const fs::path dir = scratch("crash");
  fs::create_directories(dir);
  nlohmann::json config = json_file(kSweep);
  config["networks"] = {"svhn_convnet"};  // 18 points
  config["verify"] = "all";
  std::ofstream(dir / "all.json") << config.dump();
  const std::string all = (dir / "all.json").string();
  reference_run(dir / "reference", all);
  // One job: the worker whose point threw (7) exits after its result, and the next point goes to a new one.
  const auto r = run_dse_with("DSE_TEST_CRASH_WORKERS=3,4,11 DSE_TEST_THROW_IN_POINTS=7",
                              "--config " + all + " --out " + (dir / "out").string() + " --jobs 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json summary = json_file(dir / "out" / "summary.json");
  EXPECT_EQ(summary["points"], 18);
  ASSERT_EQ(summary["failed"].size(), 4u) << summary.dump();
  std::set<std::string> crashed;
  int aborted = 0;
  for (const auto& f : summary["failed"]) {
    const std::string reason = f["reason"];
    aborted += reason.rfind("worker crashed (signal 6, Aborted, peak RSS ", 0) == 0;
    if (reason.rfind("worker crashed", 0) != 0) {
      EXPECT_EQ(reason, "error: DSE_TEST_THROW_IN_POINTS");
    }
    crashed.insert(f["point_id"].get<std::string>());
  }
  EXPECT_EQ(aborted, 3);
  const auto expected = rows_by_id(dir / "reference" / "results.csv");
  const auto actual = rows_by_id(dir / "out" / "results.csv");
  ASSERT_EQ(actual.size(), expected.size());
  for (const auto& [id, row] : expected) {
    if (crashed.count(id) == 0) {
      EXPECT_EQ(actual.at(id), row) << id;
    }
  }
}

TEST(Resume, AFinishedSweepRerunRunsNothingAndWritesTheSameExports) {
  const fs::path dir = scratch("rerun");
  reference_run(dir / "out");
  const std::string csv = read_text(dir / "out" / "results.csv");
  const auto again = run_dse(sweep_args(dir / "out"));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("36 design points (resuming: 36 already in"), std::string::npos)
      << again.output;
  EXPECT_EQ(again.output.find("\n["), std::string::npos) << "a stored point ran again:\n" << again.output;
  EXPECT_EQ(read_text(dir / "out" / "results.csv"), csv);
}

TEST(Resume, ASecondDseOnAnOutInUseIsRefused) {
  const fs::path dir = scratch("lock");
  const pid_t first = spawn_dse(dir, {"--config", kSweep, "--out", (dir / "out").string(), "--jobs", "1"});
  ASSERT_TRUE(deepchip::testing::eventually([&] { return !children_of(first).empty(); }, 60));
  const auto second = run_dse(sweep_args(dir / "out"));
  kill(first, SIGKILL);
  waitpid(first, nullptr, 0);
  EXPECT_EQ(second.exit_code, 2) << second.output;
  EXPECT_EQ(second.output, "dse: error: --out: " + (dir / "out").string() +
                               " is in use by another dse (its lock " + (dir / "out" / ".dse.lock").string() +
                               " is held); wait for it to finish or use another --out\n");
}

TEST(Resume, AStoreOfAnotherSweepIsRefusedAndLeftAsItIs) {
  const fs::path dir = scratch("other_sweep");
  reference_run(dir / "out");
  const std::string csv = read_text(dir / "out" / "results.csv");
  std::ofstream(dir / "other.json") << R"({"networks": ["lenet5"], "axes": {"array_rows": [4, 8]}})";
  const auto r = run_dse("--config " + (dir / "other.json").string() + " --out " + (dir / "out").string());
  EXPECT_EQ(r.exit_code, 2);
  const std::string where = "dse: error: --out: " + (dir / "out").string() + ": ";
  EXPECT_EQ(r.output,
            where + "hardware.array_rows: [16,32,64] in the store's sweep, [4,8] in this one\n" + where +
                "hardware.weight_buffer_kib: 128 in the store's sweep, 256 in this one\n" + where +
                "network: [\"resnet18\",\"svhn_convnet\"] in the store's sweep, \"lenet5\" in this "
                "one\n" +
                where +
                "the sweep there shares no design point with this one; use another --out, or delete " +
                (dir / "out" / "results.sqlite").string() + " to start over\n");
  EXPECT_EQ(read_text(dir / "out" / "results.csv"), csv);
  EXPECT_EQ(query(dir / "out", "SELECT COUNT(*) FROM points WHERE phase = 'explore'"), 36);
}

TEST(Resume, AStoreOfAnotherRevisionIsRefusedUnlessAllowed) {
  const fs::path dir = scratch("other_revision");
  reference_run(dir / "out");
  query(dir / "out", "UPDATE meta SET value = 'abcdef012345' WHERE key = 'revision'");
  const auto refused = run_dse(sweep_args(dir / "out"));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.output.find("its result store was written by code revision abcdef012345, this dse is "),
            std::string::npos)
      << refused.output;
  EXPECT_NE(refused.output.find("; pass --allow-other-revision to add this revision's points to it\n"),
            std::string::npos);
  EXPECT_EQ(std::count(refused.output.begin(), refused.output.end(), '\n'), 1) << refused.output;
  // Deleting points makes the allowed resume run exactly those.
  query(dir / "out",
        "DELETE FROM points WHERE rowid IN (SELECT rowid FROM points WHERE phase = 'explore' LIMIT 5)");
  const auto allowed = run_dse(sweep_args(dir / "out") + " --allow-other-revision");
  EXPECT_EQ(allowed.exit_code, 0) << allowed.output;
  EXPECT_NE(allowed.output.find("(resuming: 31 already in"), std::string::npos) << allowed.output;
  EXPECT_NE(allowed.output.find("[5/5 100%]"), std::string::npos) << allowed.output;
  EXPECT_EQ(query(dir / "out", "SELECT COUNT(*) FROM points WHERE phase = 'explore'"), 36);
}

TEST(Resume, AFileThatIsNotAStoreIsOneLineExit2) {
  const fs::path dir = scratch("not_a_store");
  fs::create_directories(dir / "out");
  std::ofstream(dir / "out" / "results.sqlite") << "this is not an SQLite database, just some text\n";
  const auto r = run_dse(sweep_args(dir / "out"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  EXPECT_NE(r.output.find((dir / "out" / "results.sqlite").string()), std::string::npos) << r.output;
}

}  // namespace

namespace {

// Runs SQL on the store in `out` (sqlite3's C API, as a person with the sqlite3 shell would).
void execute(const fs::path& out, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((out / "results.sqlite").c_str(), &db, SQLITE_OPEN_READWRITE, nullptr),
            SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST(Resume, ADamagedRowIsReportedRunAgainAndNeverExported) {
  const fs::path dir = scratch("damaged_row");
  reference_run(dir / "reference");
  fs::copy(dir / "reference", dir / "out", fs::copy_options::recursive);
  // A change that still parses: a key's letter (the stat then read as 0 before rows had checksums).
  execute(dir / "out",
          "UPDATE points SET result = replace(result, '\"energy_total_pj\"', '\"energy_total_pk\"') "
          "WHERE point_id = (SELECT point_id FROM points WHERE phase = 'explore' ORDER BY point_id LIMIT 1) "
          "AND phase = 'explore'");
  const auto r = run_dse(sweep_args(dir / "out"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("dse: warning: " + (dir / "out" / "results.sqlite").string() + ": point "),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("damaged row (its checksum does not match): not exported, the point runs again"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("resuming: 35 already"), std::string::npos) << r.output;
  expect_same_exports(dir / "reference", dir / "out");
}

// Single bytes of the store file overwritten at seeded random offsets: each run either refuses the store
// with one line (exit 2: SQLite found the damage) or ends with the exports of the undamaged run (a damaged
// row found by its checksum runs again; a byte in a column dse does not read changes nothing). Never an
// export with a wrong number, never an internal error.
TEST(Resume, RandomByteFlipsOfTheStoreNeverReachTheExports) {
  const fs::path dir = scratch("byte_flips");
  // A small sweep (4 LeNet-5 points): its store is mostly point rows, so the flips hit what is read back.
  const std::string config = (dir / "small.json").string();
  std::ofstream(config) << R"({"networks": ["lenet5"], "hardware": {"array_impl": "tile"},
      "axes": {"array_rows": [4, 8], "array_cols": [4, 8]}})";
  reference_run(dir / "reference", config);
  const std::string store = read_text(dir / "reference" / "results.sqlite");
  ASSERT_GT(store.size(), 4096u);
  std::mt19937 rng(20261206);
  int refused = 0, equal = 0, rerun = 0;
  for (int flip = 0; flip < 40; ++flip) {
    const fs::path out = dir / ("out" + std::to_string(flip));
    fs::copy(dir / "reference", out, fs::copy_options::recursive);
    for (const char* gone : {"results.csv", "layers.csv", "summary.json", "report.html"})
      fs::remove(out / gone);
    std::string bytes = store;
    const size_t at = std::uniform_int_distribution<size_t>(0, bytes.size() - 1)(rng);
    bytes[at] = static_cast<char>(bytes[at] ^ (1 << std::uniform_int_distribution<int>(0, 7)(rng)));
    std::ofstream(out / "results.sqlite", std::ios::binary | std::ios::trunc) << bytes;
    const auto r = run_dse(sweep_args(out, config) + " --quiet");
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 2) << "flip at " << at << ": " << r.output;
    if (r.exit_code == 2) {
      ++refused;
      EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
      EXPECT_FALSE(fs::exists(out / "results.csv")) << "flip at " << at;
      continue;
    }
    ++equal;
    if (r.output.find("damaged row") != std::string::npos) ++rerun;
    EXPECT_EQ(read_text(out / "results.csv"), read_text(dir / "reference" / "results.csv"))
        << "flip at " << at;
    EXPECT_EQ(read_text(out / "layers.csv"), read_text(dir / "reference" / "layers.csv")) << "flip at " << at;
  }
  std::cout << refused << " flips refused, " << equal << " ended equal to the undamaged run (" << rerun
            << " of them after rerunning a damaged row)\n";
}

TEST(Resume, AReportThatCannotWriteEverythingWritesNothing) {
  const fs::path dir = scratch("report_order");
  reference_run(dir / "out");
  // report.html is a FIFO: refused, and the exports written before it used to be rewritten first.
  fs::remove(dir / "out" / "report.html");
  ASSERT_EQ(::mkfifo((dir / "out" / "report.html").c_str(), 0644), 0);
  for (const char* name : {"results.csv", "layers.csv", "summary.json"})
    std::ofstream(dir / "out" / name) << "marker";
  const auto r = run_dse("report " + (dir / "out").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(r.output, "dse: error: " + (dir / "out" / "report.html").string() +
                          " is a FIFO, not a regular file: nothing written\n");
  for (const char* name : {"results.csv", "layers.csv", "summary.json"})
    EXPECT_EQ(read_text(dir / "out" / name), "marker") << name;
  EXPECT_TRUE(fs::is_fifo(dir / "out" / "report.html"));
}

// The store records the sweep's config: `dse report DIR` writes the same report after the config file is
// gone or describes another sweep.
TEST(Resume, AReportNeedsOnlyTheOutputFolder) {
  const fs::path dir = scratch("report_alone");
  fs::copy_file(kSweep, dir / "sweep.json");
  reference_run(dir / "out", (dir / "sweep.json").string());
  const std::string report = read_text(dir / "out" / "report.html");
  ASSERT_FALSE(report.empty());
  fs::remove(dir / "out" / "report.html");
  std::ofstream(dir / "sweep.json") << R"({"networks": ["lenet5"], "axes": {"array_rows": [4, 8]}})";
  auto r = run_dse("report " + (dir / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(read_text(dir / "out" / "report.html"), report);
  fs::remove(dir / "sweep.json");
  fs::remove(dir / "out" / "report.html");
  r = run_dse("report " + (dir / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(read_text(dir / "out" / "report.html"), report);
}

TEST(Shards, ThreeShardsMergedEqualTheUnshardedRunAndMismatchesAreRefused) {
  const fs::path dir = scratch("shards");
  reference_run(dir / "reference");
  int64_t sharded = 0;
  for (int k = 1; k <= 3; ++k) {
    const fs::path out = dir / ("shard" + std::to_string(k));
    const auto r = run_dse(sweep_args(out) + " --shard " + std::to_string(k) + "/3");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const int64_t n = query(out, "SELECT COUNT(*) FROM points WHERE phase = 'explore'");
    EXPECT_GT(n, 0) << "shard " << k << " is empty";
    sharded += n;
  }
  EXPECT_EQ(sharded, 36);  // the shards partition the grid
  const auto merged = run_dse("merge " + (dir / "shard1").string() + " " + (dir / "shard2").string() + " " +
                              (dir / "shard3").string() + " --out " + (dir / "merged").string());
  ASSERT_EQ(merged.exit_code, 0) << merged.output;
  expect_same_exports(dir / "reference", dir / "merged");
  // A shard's store reopened as another shard, and stores of different sweeps, are refused.
  const auto other_shard = run_dse(sweep_args(dir / "shard1") + " --shard 2/3");
  EXPECT_EQ(other_shard.exit_code, 2);
  EXPECT_NE(other_shard.output.find("holds shard 1/3 of this sweep, not 2/3"), std::string::npos)
      << other_shard.output;
  std::ofstream(dir / "other.json") << R"({"networks": ["lenet5"], "axes": {"array_rows": [4, 8]}})";
  ASSERT_EQ(
      run_dse("--config " + (dir / "other.json").string() + " --out " + (dir / "other").string()).exit_code,
      0);
  const auto mismatch = run_dse("merge " + (dir / "shard1").string() + " " + (dir / "other").string() +
                                " --out " + (dir / "bad").string());
  EXPECT_EQ(mismatch.exit_code, 2);
  EXPECT_EQ(mismatch.output, "dse: error: " + (dir / "other").string() +
                                 ": its result store belongs to another sweep than " +
                                 (dir / "shard1").string() + "'s\n");
  EXPECT_FALSE(fs::exists(dir / "bad"));
}

TEST(Shards, Nsga2CannotBeSharded) {
  const fs::path dir = scratch("nsga2_shard");
  std::ofstream(dir / "s.json") << R"({"networks": ["lenet5"], "axes": {"array_rows": [4, 8, 16, 32]},
      "search": {"strategy": "nsga2", "budget": 4, "population": 4}})";
  const auto r =
      run_dse("--config " + (dir / "s.json").string() + " --out " + (dir / "out").string() + " --shard 1/2");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--shard: strategy nsga2 cannot be split into shards"), std::string::npos)
      << r.output;
}

}  // namespace
