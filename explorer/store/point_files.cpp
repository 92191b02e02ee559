#include "explorer/store/point_files.hpp"

#include "explorer/store/result_store.hpp"
#include "explorer/store/sqlite_db.hpp"
#include "sim/io/json_input.hpp"

namespace deepchip::explorer {

std::optional<PointFiles> read_point_files(const std::filesystem::path& dir, const std::string& id) {
  const StoreIdentity identity = ResultStore::read_identity(dir);
  SqliteDb db(ResultStore::file(dir).string());
  SqliteStatement read(db,
                       "SELECT effective_config, result FROM points WHERE point_id = ? "
                       "ORDER BY phase = 'verify' DESC LIMIT 1");
  read.bind(1, id);
  if (!read.step()) return std::nullopt;
  const std::string where = ResultStore::file(dir).string() + ": point " + id;
  PointFiles files;
  files.effective_config = sim::dump_json(sim::parse_json(read.text_column(0), where), 2) + "\n";
  // As the worker hands it over: the result with the revision that computed it.
  nlohmann::json result = sim::parse_json(read.text_column(1), where);
  result["git_revision"] = identity.revision;
  files.result = sim::dump_json(result, 2) + "\n";
  return files;
}

}  // namespace deepchip::explorer
