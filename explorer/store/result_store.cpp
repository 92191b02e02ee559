#include "explorer/store/result_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include "sim/errors.hpp"
#include "sim/json_input.hpp"

namespace deepchip::explorer {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kFormat = "1";  // bump when the schema changes

const char* phase_name(StorePhase p) { return p == StorePhase::kExplore ? "explore" : "verify"; }

// The stat columns of LayerStats, in declaration order, with their SQL types.
const std::vector<std::pair<std::string, std::string>>& stat_columns() {
  static const auto columns = [] {
    std::vector<std::pair<std::string, std::string>> c;
    sim::LayerStats{}.visit_fields([&](const char* name, auto value, const char*, const char*) {
      c.emplace_back(name, std::is_floating_point_v<decltype(value)> ? "REAL" : "INTEGER");
    });
    return c;
  }();
  return columns;
}

std::string column_list(const std::vector<std::string>& fixed) {
  std::string s;
  for (const auto& c : fixed) s += (s.empty() ? "" : ", ") + c;
  for (const auto& [name, type] : stat_columns()) s += ", " + name;
  return s;
}

// "?, ?, ..." : `count` SQL parameter markers.
std::string parameter_markers(size_t count) {
  std::string s;
  for (size_t i = 0; i < count; ++i) s += i ? ", ?" : "?";
  return s;
}

// Binds the stats after `next - 1` fixed parameters; returns the next free index.
int bind_stats(SqliteStatement& st, int next, const sim::LayerStats& stats) {
  stats.visit_fields([&](const char*, auto value, const char*, const char*) {
    if constexpr (std::is_floating_point_v<decltype(value)>)
      st.bind(next++, static_cast<double>(value));
    else
      st.bind(next++, static_cast<int64_t>(value));
  });
  return next;
}

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A POSIX record lock (fcntl), not flock: it belongs to this process alone, so the forked workers do not
// hold it, and the kernel drops it the moment this process dies (a rerun right after a SIGKILL is not
// refused while the workers are still being reaped).
int take_lock(const fs::path& dir) {
  const fs::path path = dir / ".dse.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw sim::InputError(path.string() + ": cannot open: " + std::strerror(errno));
  struct flock whole {};
  whole.l_type = F_WRLCK;
  whole.l_whence = SEEK_SET;  // l_start 0, l_len 0: the whole file
  if (fcntl(fd, F_SETLK, &whole) != 0) {
    ::close(fd);
    throw sim::ConfigError("--out: " + dir.string() + " is in use by another dse (its lock " + path.string() +
                           " is held); wait for it to finish or use another --out");
  }
  return fd;
}

}  // namespace

ResultStore::ResultStore(const fs::path& dir, const StoreIdentity& identity, bool allow_other_revision)
    : dir_(dir), revision_(identity.revision) {
  fs::create_directories(dir);
  lock_fd_ = take_lock(dir);
  try {
    db_.emplace(file(dir).string());
    db_->exec("PRAGMA journal_mode=WAL");
    // WAL with synchronous=NORMAL: a commit survives the process being killed; a power loss may undo the
    // last commits (those points run again on resume), never the store's consistency.
    db_->exec("PRAGMA synchronous=NORMAL");
    create_schema();
    check_identity(identity, allow_other_revision);
  } catch (...) {
    db_.reset();
    ::close(lock_fd_);
    throw;
  }
}

ResultStore::~ResultStore() {
  db_.reset();
  ::close(lock_fd_);
}

void ResultStore::create_schema() {
  std::string stats;
  for (const auto& [name, type] : stat_columns()) stats += ", " + name + " " + type;
  SqliteTransaction t(*db_);
  db_->exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  db_->exec(
      "CREATE TABLE IF NOT EXISTS points (point_id TEXT NOT NULL, phase TEXT NOT NULL, network TEXT NOT "
      "NULL, "
      "array_impl TEXT NOT NULL, ok INTEGER NOT NULL, reason TEXT NOT NULL, verified INTEGER NOT NULL, "
      "golden_match INTEGER NOT NULL" +
      stats +
      ", effective_config TEXT NOT NULL, result TEXT NOT NULL, area TEXT, accuracy TEXT, "
      "revision TEXT NOT NULL, wall_seconds REAL NOT NULL, finished_at TEXT NOT NULL, "
      "PRIMARY KEY (point_id, phase))");
  db_->exec(
      "CREATE TABLE IF NOT EXISTS layers (point_id TEXT NOT NULL, phase TEXT NOT NULL, "
      "layer_index INTEGER NOT NULL, layer TEXT NOT NULL, kind TEXT NOT NULL, golden_match INTEGER NOT NULL" +
      stats + ", PRIMARY KEY (point_id, phase, layer_index))");
  t.commit();
}

void ResultStore::check_identity(const StoreIdentity& identity, bool allow_other_revision) {
  std::map<std::string, std::string> meta;
  SqliteStatement read(*db_, "SELECT key, value FROM meta");
  while (read.step()) meta[read.text_column(0)] = read.text_column(1);
  const std::string where = "--out: " + dir_.string() + ": its result store ";
  if (meta.empty()) {
    SqliteTransaction t(*db_);
    SqliteStatement put(*db_, "INSERT INTO meta (key, value) VALUES (?, ?)");
    for (const auto& [k, v] : std::map<std::string, std::string>{{"format", kFormat},
                                                                 {"sweep", identity.sweep},
                                                                 {"revision", identity.revision},
                                                                 {"shard", identity.shard},
                                                                 {"config", identity.config_path},
                                                                 {"created", utc_now()}})
      put.bind(1, k).bind(2, v).run();
    t.commit();
    return;
  }
  if (meta["format"] != kFormat)
    throw sim::ConfigError(where + "has format " + meta["format"] + ", this dse writes format " + kFormat +
                           "; use another --out");
  if (meta["sweep"] != identity.sweep)
    throw sim::ConfigError(where +
                           "belongs to another sweep (its config or networks differ from this one); use "
                           "another --out, or delete " +
                           file(dir_).string() + " to start over");
  if (meta["shard"] != identity.shard)
    throw sim::ConfigError(where + "holds shard " + meta["shard"] + " of this sweep, not " + identity.shard +
                           "; use another --out");
  if (meta["revision"] != revision_ && !allow_other_revision)
    throw sim::ConfigError(where + "was written by code revision " + meta["revision"] + ", this dse is " +
                           revision_ + "; pass --allow-other-revision to add this revision's points to it");
}

StoreIdentity ResultStore::read_identity(const fs::path& dir) {
  if (!fs::is_regular_file(file(dir)))
    throw sim::ConfigError(dir.string() + ": no result store (" + file(dir).string() + " does not exist)");
  SqliteDb db(file(dir).string());
  std::map<std::string, std::string> meta;
  SqliteStatement read(db, "SELECT key, value FROM meta");
  while (read.step()) meta[read.text_column(0)] = read.text_column(1);
  if (meta["format"] != kFormat)
    throw sim::ConfigError(dir.string() + ": its result store has format '" + meta["format"] +
                           "', this dse reads format " + kFormat);
  return {meta["sweep"], meta["revision"], meta["shard"], meta["config"]};
}

void ResultStore::import_points(const fs::path& other_dir) {
  SqliteStatement attach(*db_, "ATTACH DATABASE ? AS other");
  attach.bind(1, file(other_dir).string()).run();
  {
    SqliteTransaction t(*db_);
    db_->exec("INSERT OR IGNORE INTO points SELECT * FROM other.points");
    db_->exec(
        "INSERT OR IGNORE INTO layers SELECT l.* FROM other.layers AS l JOIN other.points AS p "
        "ON l.point_id = p.point_id AND l.phase = p.phase");
    t.commit();
  }
  db_->exec("DETACH DATABASE other");
}

std::map<std::string, StoredPoint> ResultStore::load(StorePhase phase) {
  std::map<std::string, StoredPoint> points;
  SqliteStatement q(*db_, "SELECT point_id, result, area, accuracy FROM points WHERE phase = ?");
  q.bind(1, std::string(phase_name(phase)));
  while (q.step()) {
    const std::string id = q.text_column(0);
    const std::string where = file(dir_).string() + ": point " + id;
    StoredPoint p;
    try {
      p.result = sim::point_result_from_json(sim::parse_json(q.text_column(1), where + " result"));
      if (!q.is_null(2)) p.area = area_from_json(sim::parse_json(q.text_column(2), where + " area"));
      if (!q.is_null(3))
        p.accuracy = accuracy_from_json(sim::parse_json(q.text_column(3), where + " accuracy"));
    } catch (const json::exception& e) {
      throw sim::InputError(where + ": malformed stored result: " + e.what());
    }
    points.emplace(id, std::move(p));
  }
  return points;
}

double ResultStore::worker_seconds() {
  SqliteStatement q(*db_, "SELECT COALESCE(SUM(wall_seconds), 0) FROM points");
  return q.step() ? q.double_column(0) : 0.0;
}

void ResultStore::commit(const PointConfig& point, StorePhase phase, const StoredPoint& stored,
                         const std::string& impl, double wall_seconds) {
  const sim::PointResult& r = stored.result;
  const std::string phase_text = phase_name(phase);
  SqliteTransaction t(*db_);
  const std::vector<std::string> fixed = {"point_id", "phase",  "network",  "array_impl",
                                          "ok",       "reason", "verified", "golden_match"};
  const std::vector<std::string> tail = {"effective_config", "result",       "area",       "accuracy",
                                         "revision",         "wall_seconds", "finished_at"};
  std::string columns = column_list(fixed);
  for (const auto& c : tail) columns += ", " + c;
  SqliteStatement insert(*db_, "INSERT INTO points (" + columns + ") VALUES (" +
                                   parameter_markers(fixed.size() + stat_columns().size() + tail.size()) +
                                   ")");
  insert.bind(1, point.id).bind(2, phase_text).bind(3, point.network).bind(4, impl);
  insert.bind(5, int64_t{r.ok})
      .bind(6, r.reason)
      .bind(7, int64_t{r.verified})
      .bind(8, int64_t{r.golden_match});
  int next = bind_stats(insert, 9, r.total);
  insert.bind(next, sim::dump_json(point.effective));
  insert.bind(next + 1, sim::dump_json(sim::to_json(r)));
  if (stored.area)
    insert.bind(next + 2, sim::dump_json(to_json(*stored.area)));
  else
    insert.bind_null(next + 2);
  if (stored.accuracy)
    insert.bind(next + 3, sim::dump_json(to_json(*stored.accuracy)));
  else
    insert.bind_null(next + 3);
  insert.bind(next + 4, revision_);
  insert.bind(next + 5, wall_seconds);
  insert.bind(next + 6, utc_now());
  insert.run();

  // Layers left by a point row deleted by hand (to have it run again) make way for the new ones.
  SqliteStatement orphans(*db_, "DELETE FROM layers WHERE point_id = ? AND phase = ?");
  orphans.bind(1, point.id).bind(2, phase_text).run();
  SqliteStatement layer(
      *db_, "INSERT INTO layers (" +
                column_list({"point_id", "phase", "layer_index", "layer", "kind", "golden_match"}) +
                ") VALUES (" + parameter_markers(6 + stat_columns().size()) + ")");
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const sim::LayerStats& l = r.layers[i];
    layer.bind(1, point.id).bind(2, phase_text).bind(3, static_cast<int64_t>(i)).bind(4, l.name);
    layer.bind(5, l.kind).bind(6, int64_t{l.golden_match});
    bind_stats(layer, 7, l);
    layer.run();
  }
  t.commit();
}

json to_json(const AreaEstimate& a) {
  return {{"pe", a.pe},       {"generic_cells", a.generic_cells},
          {"luts", a.luts},   {"ffs", a.ffs},
          {"dsp48", a.dsp48}, {"carry4", a.carry4}};
}

AreaEstimate area_from_json(const json& j) {
  AreaEstimate a;
  a.pe = j.at("pe").get<std::string>();
  a.generic_cells = j.at("generic_cells").get<int64_t>();
  a.luts = j.at("luts").get<int64_t>();
  a.ffs = j.at("ffs").get<int64_t>();
  a.dsp48 = j.at("dsp48").get<int64_t>();
  a.carry4 = j.at("carry4").get<int64_t>();
  return a;
}

json to_json(const AccuracyReport& a) {
  return {{"dataset", a.dataset},
          {"images", a.images},
          {"float_top1", a.float_top1},
          {"top1", a.top1},
          {"reference_top1", a.reference_top1},
          {"noise_repeats", a.noise_repeats},
          {"top1_std", a.top1_std},
          {"seconds", a.seconds}};
}

AccuracyReport accuracy_from_json(const json& j) {
  AccuracyReport a;
  a.dataset = j.at("dataset").get<std::string>();
  a.images = j.at("images").get<int64_t>();
  a.float_top1 = j.at("float_top1").get<double>();
  a.top1 = j.at("top1").get<double>();
  a.reference_top1 = j.at("reference_top1").get<double>();
  a.noise_repeats = j.value("noise_repeats", 0);  // stores written before the noise section: exact
  a.top1_std = j.value("top1_std", 0.0);
  a.seconds = j.at("seconds").get<double>();
  return a;
}

}  // namespace deepchip::explorer
