// The result store's parts one by one (the resume tests drive them end to end through dse): the SQLite
// wrapper (binds, reads, NULLs, transactions, errors naming the file), ResultStore (a committed point read
// back as it was, the identity checks, the lock, damaged rows), and the import that dse merge builds on.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "explorer/config/config.hpp"
#include "explorer/store/merge.hpp"
#include "explorer/store/result_store.hpp"
#include "explorer/store/sqlite_db.hpp"
#include "sim/io/errors.hpp"
#include "tests/explorer/scratch_dir.hpp"

namespace fs = std::filesystem;
using namespace deepchip;
using namespace deepchip::explorer;

namespace {

fs::path scratch(const std::string& name) { return deepchip::testing::scratch_dir("dse_store_", name); }

TEST(SqliteDb, BindsAndReadsEveryTypeAndNull) {
  SqliteDb db((scratch("types") / "t.sqlite").string());
  db.exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT, n TEXT)");
  SqliteStatement insert(db, "INSERT INTO t VALUES (?, ?, ?, ?)");
  insert.bind(1, int64_t{-(int64_t{1} << 62)})
      .bind(2, 0.1)
      .bind(3, std::string("a\0b", 3))
      .bind_null(4)
      .run();
  insert.bind(1, int64_t{7}).bind(2, -2.5).bind(3, std::string("x")).bind(4, std::string("y")).run();
  SqliteStatement select(db, "SELECT i, d, s, n FROM t ORDER BY i");
  ASSERT_TRUE(select.step());
  EXPECT_EQ(select.int_column(0), -(int64_t{1} << 62));
  EXPECT_EQ(select.double_column(1), 0.1);  // doubles round-trip exactly
  EXPECT_EQ(select.text_column(2), std::string("a\0b", 3));
  EXPECT_TRUE(select.is_null(3));
  ASSERT_TRUE(select.step());
  EXPECT_EQ(select.int_column(0), 7);
  EXPECT_EQ(select.text_column(3), "y");
  EXPECT_FALSE(select.is_null(3));
  EXPECT_FALSE(select.step());
}

int64_t count_rows(SqliteDb& db) {
  SqliteStatement count(db, "SELECT COUNT(*) FROM t");
  EXPECT_TRUE(count.step());
  return count.int_column(0);
}

TEST(SqliteDb, ATransactionNotCommittedIsRolledBack) {
  SqliteDb db((scratch("transaction") / "t.sqlite").string());
  db.exec("CREATE TABLE t (i INTEGER)");
  {
    SqliteTransaction t(db);
    SqliteStatement(db, "INSERT INTO t VALUES (1)").run();
  }  // destroyed before commit()
  EXPECT_EQ(count_rows(db), 0);
  {
    SqliteTransaction t(db);
    SqliteStatement(db, "INSERT INTO t VALUES (1)").run();
    t.commit();
  }
  EXPECT_EQ(count_rows(db), 1);
}

TEST(SqliteDb, AnErrorNamesTheFileAndSqlitesMessage) {
  const std::string path = (scratch("errors") / "t.sqlite").string();
  SqliteDb db(path);
  try {
    SqliteStatement(db, "SELECT * FROM no_such_table");
    FAIL() << "no error";
  } catch (const sim::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no such table"), std::string::npos) << e.what();
  }
}

PointConfig point(int rows) {
  nlohmann::ordered_json j = {{"network", "lenet5"}, {"hardware", {{"array_rows", rows}}}};
  return parse_point(j, "point.json");
}

StoredPoint stored(int64_t cycles) {
  StoredPoint s;
  s.result.ok = true;
  s.result.verified = true;
  s.result.golden_match = true;
  s.result.seconds = 1e-3;
  s.result.total.name = "total";
  s.result.total.cycles = cycles;
  s.result.total.energy_total_pj = 0.1 + static_cast<double>(cycles);
  sim::LayerStats layer;
  layer.name = "conv1";
  layer.kind = "conv";
  layer.cycles = cycles;
  s.result.layers = {layer};
  AccuracyReport a;
  a.dataset = "fashion_mnist";
  a.images = 100;
  a.top1 = 0.875;
  a.float_top1 = 0.9;
  a.reference_top1 = 0.9;
  s.accuracy = a;
  return s;
}

StoreIdentity identity(const std::string& sweep, const std::string& revision = "r1") {
  StoreIdentity id;
  id.sweep = sweep;
  id.revision = revision;
  id.config_path = "sweep.json";
  return id;
}

TEST(ResultStore, ACommittedPointIsReadBackAsItWas) {
  const fs::path dir = scratch("roundtrip");
  const PointConfig p = point(8);
  {
    ResultStore store(dir, identity("s1"), false);
    store.commit(p, StorePhase::kExplore, stored(1234), "tile", 0.5);
  }
  ResultStore store(dir, identity("s1"), false);
  const auto explore = store.load(StorePhase::kExplore);
  ASSERT_EQ(explore.size(), 1u);
  const StoredPoint& back = explore.at(p.id);
  EXPECT_EQ(sim::to_json(back.result), sim::to_json(stored(1234).result));
  ASSERT_TRUE(back.accuracy.has_value());
  EXPECT_EQ(back.accuracy->top1, 0.875);
  EXPECT_FALSE(back.area.has_value());
  EXPECT_TRUE(store.load(StorePhase::kVerify).empty());
  EXPECT_EQ(store.worker_seconds(), 0.5);
  EXPECT_TRUE(store.damaged().empty());
}

TEST(ResultStore, AnotherSweepOrRevisionOrASecondOpenerIsRefused) {
  const fs::path dir = scratch("identity");
  {
    ResultStore store(dir, identity("s1"), false);
    // The lock is a POSIX record lock: held against other processes (dse runs), so ask from a child.
    const pid_t child = fork();
    if (child == 0) {
      try {
        ResultStore second(dir, identity("s1"), false);
      } catch (const sim::ConfigError&) {
        _exit(0);
      }
      _exit(1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a second process opened a store in use";
  }
  EXPECT_THROW(ResultStore(dir, identity("s2"), false), sim::ConfigError);
  EXPECT_THROW(ResultStore(dir, identity("s1", "r2"), false), sim::ConfigError);
  EXPECT_NO_THROW(ResultStore(dir, identity("s1", "r2"), true));
  const StoreIdentity read = ResultStore::read_identity(dir);
  EXPECT_EQ(read.sweep, "s1");
  EXPECT_EQ(read.revision, "r1");
  EXPECT_EQ(read.shard, "1/1");
}

TEST(ResultStore, ShardTextsAreKOfN) {
  int k = 0, n = 0;
  EXPECT_TRUE(ResultStore::parse_shard("2/3", k, n));
  EXPECT_EQ(k, 1);
  EXPECT_EQ(n, 3);
  for (const char* bad : {"0/3", "4/3", "1/0", "1/", "/2", "a/b", "1/1000000", "", "1/2/3"})
    EXPECT_FALSE(ResultStore::parse_shard(bad, k, n)) << bad;
}

TEST(ResultStore, AChangedRowIsReportedAndRemovedSoItRunsAgain) {
  const fs::path dir = scratch("damaged");
  const PointConfig p = point(8), q = point(16);
  {
    ResultStore store(dir, identity("s1"), false);
    store.commit(p, StorePhase::kExplore, stored(100), "tile", 0.1);
    store.commit(q, StorePhase::kExplore, stored(200), "tile", 0.1);
  }
  {
    SqliteDb db(ResultStore::file(dir).string());
    SqliteStatement(db, "UPDATE points SET result = replace(result, '100', '101') WHERE point_id = ?")
        .bind(1, p.id)
        .run();
  }
  ResultStore store(dir, identity("s1"), false);
  const auto explore = store.load(StorePhase::kExplore);
  EXPECT_EQ(explore.size(), 1u);
  EXPECT_EQ(explore.count(q.id), 1u);
  ASSERT_EQ(store.damaged().size(), 1u);
  EXPECT_NE(store.damaged()[0].find(p.id), std::string::npos) << store.damaged()[0];
  EXPECT_EQ(store.load(StorePhase::kExplore).size(), 1u);  // removed: it runs again
}

TEST(ResultStore, ImportAddsWhatTheStoreLacksAndKeepsWhatItHas) {
  const fs::path a = scratch("import_a"), b = scratch("import_b");
  const PointConfig p = point(8), q = point(16);
  {
    ResultStore store(a, identity("s1"), false);
    store.commit(p, StorePhase::kExplore, stored(100), "tile", 0.1);
  }
  {
    ResultStore store(b, identity("s1"), false);
    store.commit(p, StorePhase::kExplore, stored(100), "tile", 0.1);
    store.commit(q, StorePhase::kExplore, stored(200), "tile", 0.1);
    store.commit(q, StorePhase::kVerify, stored(200), "tile", 0.1);
  }
  ResultStore store(a, identity("s1"), false);
  store.import_points(b);
  EXPECT_EQ(store.load(StorePhase::kExplore).size(), 2u);
  EXPECT_EQ(store.load(StorePhase::kVerify).size(), 1u);
  EXPECT_EQ(sim::to_json(store.load(StorePhase::kExplore).at(q.id).result), sim::to_json(stored(200).result));
  store.import_points(b);  // again: nothing twice
  EXPECT_EQ(store.load(StorePhase::kExplore).size(), 2u);
}

TEST(Merge, InputsThatAreNotStoresOrIncludeTheOutputAreRefusedBeforeWriting) {
  const fs::path dir = scratch("merge");
  fs::create_directories(dir / "empty");
  EXPECT_THROW(merge_stores({(dir / "empty").string()}, (dir / "out").string(), "r1", false),
               sim::ConfigError);
  EXPECT_FALSE(fs::exists(dir / "out" / "results.sqlite"));
  { ResultStore store(dir / "shard", identity("s1"), false); }
  EXPECT_THROW(merge_stores({(dir / "shard").string()}, (dir / "shard").string(), "r1", false),
               sim::ConfigError);
  EXPECT_THROW(merge_stores({(dir / "shard").string()}, (dir / "out").string(), "r2", false),
               sim::ConfigError);
  EXPECT_FALSE(fs::exists(dir / "out" / "results.sqlite"));
}

}  // namespace
