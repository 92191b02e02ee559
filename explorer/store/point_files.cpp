#include "explorer/store/point_files.hpp"

#include "explorer/store/result_store.hpp"
#include "explorer/store/sqlite_db.hpp"
#include "sim/io/json_input.hpp"

namespace deepchip::explorer {

std::string result_file_text(nlohmann::json result, const std::string& revision) {
  result["git_revision"] = revision;
  return sim::dump_json(result, 2) + "\n";
}

std::vector<std::optional<PointFiles>> read_point_files(const std::filesystem::path& dir,
                                                        const std::vector<std::string>& ids) {
  const StoreIdentity identity = ResultStore::read_identity(dir);
  SqliteDb db(ResultStore::file(dir).string());
  SqliteStatement read(db,
                       "SELECT effective_config, result FROM points WHERE point_id = ? "
                       "ORDER BY phase = 'verify' DESC LIMIT 1");
  std::vector<std::optional<PointFiles>> found;
  for (const std::string& id : ids) {
    read.reset();
    read.bind(1, id);
    if (!read.step()) {
      found.emplace_back();
      continue;
    }
    const std::string where = ResultStore::file(dir).string() + ": point " + id;
    PointFiles files;
    files.effective_config = sim::dump_json(sim::parse_json(read.text_column(0), where), 2) + "\n";
    files.result = result_file_text(sim::parse_json(read.text_column(1), where), identity.revision);
    found.push_back(std::move(files));
  }
  return found;
}

}  // namespace deepchip::explorer
