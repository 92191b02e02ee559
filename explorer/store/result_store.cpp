#include "explorer/store/result_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <optional>

#include "explorer/config/identity.hpp"
#include "explorer/store/kill_points.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/json_input.hpp"
#include "sim/io/output_file.hpp"
#include "sim/util/fnv_hash.hpp"

namespace deepchip::explorer {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kFormat = "4";  // bump when the schema changes (2: rows carry a checksum; 3: PE energy;
                                      // 4: identity by content)

// The checksum of what load() reads of a row: FNV-1a 64 over its id, phase and JSON texts, each followed
// by a NUL (a missing area or accuracy hashes as "\x01"). A flipped byte that still parses as JSON (a
// digit, a key's letter) changes it.
std::string row_checksum(const std::string& id, const std::string& phase, const std::string& result,
                         const std::optional<std::string>& area, const std::optional<std::string>& accuracy) {
  sim::Fnv1a64 h;
  for (const std::string* part : {&id, &phase, &result}) h.add(*part).add_byte(0);
  for (const auto* part : {&area, &accuracy}) {
    if (*part)
      h.add(**part).add_byte(0);
    else
      h.add_byte(1);
  }
  std::string hex(16, '0');
  uint64_t v = h.value();
  for (int i = 15; i >= 0; --i, v >>= 4) hex[static_cast<size_t>(i)] = "0123456789abcdef"[v & 15];
  return hex;
}

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
  if (fd < 0) throw sim::EnvironmentError(path.string() + ": cannot open: " + std::strerror(errno));
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
  sim::make_output_dir(dir, "--out");
  lock_fd_ = take_lock(dir);
  try {
    db_.emplace(file(dir).string());
    db_->exec("PRAGMA journal_mode=WAL");
    // WAL with synchronous=NORMAL: a commit survives the process being killed; a power loss may undo the
    // last commits (those points run again on resume), never the store's consistency.
    db_->exec("PRAGMA synchronous=NORMAL");
    check_integrity();
    create_schema();
    check_identity(identity, allow_other_revision);
  } catch (...) {
    db_.reset();
    ::close(lock_fd_);
    throw;
  }
}

ResultStore::~ResultStore() {
  insert_point_.reset(), delete_layers_.reset(), insert_layer_.reset();  // finalized before the database
  db_.reset();
  ::close(lock_fd_);
}

// SQLite's own structural check (b-trees, and indexes against their tables). An index that disagrees with
// its table (a flipped byte in a row's key) is rebuilt from the table; anything else is a damaged store.
void ResultStore::check_integrity() {
  auto first_problem = [this] {
    SqliteStatement q(*db_, "PRAGMA integrity_check(1)");
    return q.step() ? q.text_column(0) : std::string("no answer");
  };
  std::string problem = first_problem();
  if (problem == "ok") return;
  db_->exec("REINDEX");
  problem = first_problem();
  if (problem != "ok")
    throw sim::InputError(file(dir_).string() + ": damaged result store (SQLite's check: " + problem +
                          "); move it away to start the sweep over");
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
      "checksum TEXT NOT NULL, PRIMARY KEY (point_id, phase))");
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
                                                                 {"config_text", identity.config_text},
                                                                 {"created", utc_now()}})
      put.bind(1, k).bind(2, v).run();
    t.commit();
    return;
  }
  if (meta["format"] != kFormat)
    throw sim::ConfigError(where + "has format " + meta["format"] + ", this dse writes format " + kFormat +
                           "; use another --out");
  check_shares_points(meta["sweep"], identity.sweep);
  if (meta["shard"] != identity.shard)
    throw sim::ConfigError(where + "holds shard " + meta["shard"] + " of this sweep, not " + identity.shard +
                           "; use another --out");
  if (meta["revision"] != revision_ && !allow_other_revision)
    throw sim::ConfigError(where + "was written by code revision " + meta["revision"] + ", this dse is " +
                           revision_ + "; pass --allow-other-revision to add this revision's points to it");
  if (meta["sweep"] == identity.sweep && meta["config_text"] == identity.config_text) return;
  // A sweep grown or narrowed: the store is this sweep's now (dse report DIR reads it from here).
  SqliteTransaction t(*db_);
  SqliteStatement put(*db_, "UPDATE meta SET value = ? WHERE key = ?");
  for (const auto& [k, v] : std::map<std::string, std::string>{{"sweep", identity.sweep},
                                                               {"config", identity.config_path},
                                                               {"config_text", identity.config_text}})
    put.bind(1, v).bind(2, k).run();
  t.commit();
}

// A store takes any sweep that shares design points with the one it holds (identity.hpp); one that shares
// none is refused with one line per key whose values differ.
void ResultStore::check_shares_points(const std::string& stored, const std::string& current) {
  if (stored == current) return;
  std::vector<std::string> lines;
  try {
    lines = disjoint_dimensions(json::parse(stored), json::parse(current));
  } catch (const json::exception&) {
    lines = {"(the store's sweep is unreadable)"};
  }
  if (lines.empty()) return;
  const std::string where = "--out: " + dir_.string() + ": ";
  for (auto& line : lines) line = where + line;
  lines.push_back(where +
                  "the sweep there shares no design point with this one; use another --out, or delete " +
                  file(dir_).string() + " to start over");
  throw sim::ConfigError(lines);
}

bool ResultStore::parse_shard(const std::string& text, int& index, int& count) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return false;
  auto number = [](const std::string& digits) -> long {
    if (digits.empty() || digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos)
      return -1;
    return std::stol(digits);
  };
  const long k = number(text.substr(0, slash)), n = number(text.substr(slash + 1));
  if (k < 1 || n < k) return false;
  index = static_cast<int>(k - 1);
  count = static_cast<int>(n);
  return true;
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
  StoreIdentity id{meta["sweep"], meta["revision"], meta["shard"], meta["config"], meta["config_text"]};
  if (!parse_shard(id.shard, id.shard_index, id.shard_count))
    throw sim::InputError(file(dir).string() + ": damaged result store: its shard is '" + id.shard +
                          "', not K/N with 1 <= K <= N");
  return id;
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
  std::vector<std::string> damaged_ids;
  const std::string phase_text = phase_name(phase);
  {
    SqliteStatement q(*db_, "SELECT point_id, result, area, accuracy, checksum FROM points WHERE phase = ?");
    q.bind(1, phase_text);
    while (q.step()) {
      const std::string id = q.text_column(0);
      const std::string where = file(dir_).string() + ": point " + id;
      auto optional_text = [&](int column) {
        return q.is_null(column) ? std::nullopt : std::optional<std::string>(q.text_column(column));
      };
      const std::string result = q.text_column(1);
      const auto area = optional_text(2), accuracy = optional_text(3);
      if (row_checksum(id, phase_text, result, area, accuracy) != q.text_column(4)) {
        damaged_.push_back(
            where + " (" + phase_text +
            "): damaged row (its checksum does not match): not exported, the point runs again");
        damaged_ids.push_back(id);
        continue;
      }
      StoredPoint p;
      try {
        p.result = sim::point_result_from_json(sim::parse_json(result, where + " result"));
        if (area) p.area = area_from_json(sim::parse_json(*area, where + " area"));
        if (accuracy) p.accuracy = accuracy_from_json(sim::parse_json(*accuracy, where + " accuracy"));
      } catch (const json::exception& e) {
        throw sim::InputError(where + ": malformed stored result: " + e.what());
      }
      points.emplace(id, std::move(p));
    }
  }
  for (const auto& id : damaged_ids) remove_point(id, phase_text);
  return points;
}

void ResultStore::remove_point(const std::string& id, const std::string& phase) {
  SqliteTransaction t(*db_);
  SqliteStatement point(*db_, "DELETE FROM points WHERE point_id = ? AND phase = ?");
  point.bind(1, id).bind(2, phase).run();
  SqliteStatement layers(*db_, "DELETE FROM layers WHERE point_id = ? AND phase = ?");
  layers.bind(1, id).bind(2, phase).run();
  t.commit();
}

void ResultStore::forget(const std::string& id, StorePhase phase) { remove_point(id, phase_name(phase)); }

double ResultStore::worker_seconds() {
  SqliteStatement q(*db_, "SELECT COALESCE(SUM(wall_seconds), 0) FROM points");
  return q.step() ? q.double_column(0) : 0.0;
}

void ResultStore::prepare_commit_statements() {
  if (insert_point_) return;
  const std::vector<std::string> fixed = {"point_id", "phase",  "network",  "array_impl",
                                          "ok",       "reason", "verified", "golden_match"};
  const std::vector<std::string> tail = {"effective_config", "result",       "area",        "accuracy",
                                         "revision",         "wall_seconds", "finished_at", "checksum"};
  std::string columns = column_list(fixed);
  for (const auto& c : tail) columns += ", " + c;
  insert_point_ = std::make_unique<SqliteStatement>(
      *db_, "INSERT INTO points (" + columns + ") VALUES (" +
                parameter_markers(fixed.size() + stat_columns().size() + tail.size()) + ")");
  delete_layers_ =
      std::make_unique<SqliteStatement>(*db_, "DELETE FROM layers WHERE point_id = ? AND phase = ?");
  insert_layer_ = std::make_unique<SqliteStatement>(
      *db_, "INSERT INTO layers (" +
                column_list({"point_id", "phase", "layer_index", "layer", "kind", "golden_match"}) +
                ") VALUES (" + parameter_markers(6 + stat_columns().size()) + ")");
}

void ResultStore::commit(const PointConfig& point, StorePhase phase, const StoredPoint& stored,
                         const std::string& impl, double wall_seconds, const std::string& result_json) {
  const sim::PointResult& r = stored.result;
  const std::string phase_text = phase_name(phase);
  prepare_commit_statements();
  SqliteTransaction t(*db_);
  SqliteStatement& insert = *insert_point_;
  insert.reset();  // after a step that threw
  insert.bind(1, point.id).bind(2, phase_text).bind(3, point.network).bind(4, impl);
  insert.bind(5, int64_t{r.ok})
      .bind(6, r.reason)
      .bind(7, int64_t{r.verified})
      .bind(8, int64_t{r.golden_match});
  int next = bind_stats(insert, 9, r.total);
  const std::string result = result_json.empty() ? sim::dump_json(sim::to_json(r)) : result_json;
  const std::optional<std::string> area =
      stored.area ? std::optional<std::string>(sim::dump_json(to_json(*stored.area))) : std::nullopt;
  const std::optional<std::string> accuracy =
      stored.accuracy ? std::optional<std::string>(sim::dump_json(to_json(*stored.accuracy))) : std::nullopt;
  insert.bind(next, sim::dump_json(point.effective));
  insert.bind(next + 1, result);
  if (area)
    insert.bind(next + 2, *area);
  else
    insert.bind_null(next + 2);
  if (accuracy)
    insert.bind(next + 3, *accuracy);
  else
    insert.bind_null(next + 3);
  insert.bind(next + 4, revision_);
  insert.bind(next + 5, wall_seconds);
  insert.bind(next + 6, utc_now());
  insert.bind(next + 7, row_checksum(point.id, phase_text, result, area, accuracy));
  insert.run();

  // Layers left by a point row deleted by hand (to have it run again) make way for the new ones.
  delete_layers_->reset();
  delete_layers_->bind(1, point.id).bind(2, phase_text).run();
  SqliteStatement& layer = *insert_layer_;
  layer.reset();
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const sim::LayerStats& l = r.layers[i];
    layer.bind(1, point.id).bind(2, phase_text).bind(3, static_cast<int64_t>(i)).bind(4, l.name);
    layer.bind(5, l.kind).bind(6, int64_t{l.golden_match});
    bind_stats(layer, 7, l);
    layer.run();
  }
  t.commit();
  kill_point_after_commit();
}

json to_json(const sim::AreaEstimate& a) {
  return {{"pe", a.pe},       {"generic_cells", a.generic_cells},
          {"luts", a.luts},   {"ffs", a.ffs},
          {"dsp48", a.dsp48}, {"carry4", a.carry4}};
}

sim::AreaEstimate area_from_json(const json& j) {
  sim::AreaEstimate a;
  a.pe = j.at("pe").get<std::string>();
  a.generic_cells = j.at("generic_cells").get<int64_t>();
  a.luts = j.at("luts").get<int64_t>();
  a.ffs = j.at("ffs").get<int64_t>();
  a.dsp48 = j.at("dsp48").get<int64_t>();
  a.carry4 = j.at("carry4").get<int64_t>();
  return a;
}

SweepSpec stored_sweep(const StoreIdentity& id, const fs::path& dir) {
  const bool recorded = !id.config_text.empty();
  const nlohmann::ordered_json config =
      recorded ? sim::parse_json_ordered(id.config_text, ResultStore::file(dir).string() + " config_text")
               : load_json_file(id.config_path);
  SweepSpec spec = parse_sweep(config, id.config_path);
  if (spec.identity != id.sweep)
    throw sim::ConfigError(
        dir.string() + ": " +
        (recorded ? "the sweep's networks changed since its result store was written (its config is "
                    "recorded in " +
                        ResultStore::file(dir).string() + ")"
                  : id.config_path + " changed since " + ResultStore::file(dir).string() + " was written") +
        ": its sweep is another one now");
  return spec;
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
