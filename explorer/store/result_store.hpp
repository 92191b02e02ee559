// The sweep's result store: OUT/results.sqlite (SQLite, WAL mode), one transaction per finished point, so a
// sweep killed at any moment keeps every point it finished and none twice. It holds, per point and phase
// ("explore": the run that placed the point; "verify": its re-run with numerics under verify "pareto"), the
// effective config, the result exactly as the worker wrote it, the totals and per-layer stats as columns
// (query them with the sqlite3 shell or pandas), area and accuracy, the code revision and the wall time.
// results.csv, layers.csv and summary.json are exports of it.
//
// One dse at a time per store: OUT/.dse.lock is held (a POSIX record lock) while the store is open; the
// kernel drops it when the process dies, however it dies. A store remembers the sweep it holds
// (SweepSpec::identity) and the code revision that created it. It takes a sweep that shares design points
// with that one (an axis or the networks grown or narrowed: the points it still contains are reused, by id)
// and holds that sweep from then on; one that shares none, or another revision unless allowed, is refused
// before anything is written.
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "explorer/config/config.hpp"
#include "explorer/run/workload_cache.hpp"
#include "explorer/store/sqlite_db.hpp"
#include "sim/cost/rtl_area.hpp"
#include "sim/cost/stats.hpp"

namespace deepchip::explorer {

// A finished point of one phase, as committed.
struct StoredPoint {
  sim::PointResult result;
  std::optional<sim::AreaEstimate> area;
  std::optional<AccuracyReport> accuracy;
};

enum class StorePhase { kExplore, kVerify };

// What a store belongs to: a sweep (SweepSpec::identity), a shard of it ("K/N"; "1/1" for the whole), the
// code revision that wrote it, and the sweep's config: its file and its text as run, so that `dse report`
// and `dse merge` read the sweep from the store, whatever became of the file.
struct StoreIdentity {
  std::string sweep;
  std::string revision;
  std::string shard = "1/1";
  std::string config_path;
  std::string config_text;               // empty in stores written before it was recorded
  int shard_index = 0, shard_count = 1;  // `shard` read as K/N (read_identity)
};

class ResultStore {
 public:
  static std::filesystem::path file(const std::filesystem::path& dir) { return dir / "results.sqlite"; }

  // Creates `dir` and the store if needed. Throws sim::ConfigError naming --out when another dse holds the
  // store, when its sweep shares no point with this one (a line per differing key), or when it was written by
  // another code revision and `allow_other_revision` is false.
  ResultStore(const std::filesystem::path& dir, const StoreIdentity& identity, bool allow_other_revision);
  ~ResultStore();
  ResultStore(const ResultStore&) = delete;
  ResultStore& operator=(const ResultStore&) = delete;

  // Every committed point of a phase, by point id. A row whose checksum does not match what is read
  // (damage to the file that SQLite itself did not notice) is deleted, so that its point runs again, and
  // described in damaged().
  std::map<std::string, StoredPoint> load(StorePhase phase);
  // One line per damaged row load() found and removed.
  const std::vector<std::string>& damaged() const { return damaged_; }
  // `result_json`: sim::dump_json(sim::to_json(stored.result)) when the caller has it (a worker made it),
  // else empty (made here).
  void commit(const PointConfig& point, StorePhase phase, const StoredPoint& stored, const std::string& impl,
              double wall_seconds, const std::string& result_json = {});
  // Removes the point's row of `phase` (and its layers): it runs again.
  void forget(const std::string& id, StorePhase phase);
  // Wall time of every committed point's worker, summed (both phases).
  double worker_seconds();
  // Adds every point row (and its layers) of the store in `other_dir` that this one does not have.
  void import_points(const std::filesystem::path& other_dir);

  // The identity recorded in the store in `dir`, read without taking its lock; throws sim::ConfigError
  // naming `dir` when there is no store.
  static StoreIdentity read_identity(const std::filesystem::path& dir);
  // "K/N" with 1 <= K <= N <= 999999; false for anything else.
  static bool parse_shard(const std::string& text, int& index, int& count);

 private:
  void check_integrity();
  void create_schema();
  void check_identity(const StoreIdentity& identity, bool allow_other_revision);
  void check_shares_points(const std::string& stored, const std::string& current);
  void remove_point(const std::string& id, const std::string& phase);
  void prepare_commit_statements();
  std::vector<std::string> damaged_;

  std::filesystem::path dir_;
  int lock_fd_ = -1;
  std::string revision_;
  std::optional<SqliteDb> db_;
  // commit's statements, prepared once (after db_: finalized before it closes).
  std::unique_ptr<SqliteStatement> insert_point_, delete_layers_, insert_layer_;
};

// The sweep a store belongs to, from the config text it recorded (relative paths resolved against the
// recorded config file's folder), or from that file for a store without the text; throws sim::ConfigError
// when that no longer gives the store's sweep (a network file changed, or the file for an older store).
SweepSpec stored_sweep(const StoreIdentity& id, const std::filesystem::path& dir);

// The JSON forms the store keeps area and accuracy in (lossless: doubles print with 17 digits).
nlohmann::json to_json(const sim::AreaEstimate& a);
sim::AreaEstimate area_from_json(const nlohmann::json& j);
nlohmann::json to_json(const AccuracyReport& a);
AccuracyReport accuracy_from_json(const nlohmann::json& j);

}  // namespace deepchip::explorer
