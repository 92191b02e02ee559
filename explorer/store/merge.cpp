#include "explorer/store/merge.hpp"

#include <filesystem>

#include "explorer/store/result_store.hpp"
#include "sim/io/errors.hpp"

namespace deepchip::explorer {

namespace fs = std::filesystem;

MergePlan merge_stores(const std::vector<std::string>& inputs, const std::string& out,
                       const std::string& revision, bool allow_other_revision) {
  if (inputs.empty()) throw sim::ConfigError("merge: give the --out directories of the shards to merge");
  std::vector<StoreIdentity> ids;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (fs::equivalent(in, out, ec))
      throw sim::ConfigError("--out: " + out + " is one of the stores to merge; merge into a new directory");
    ids.push_back(ResultStore::read_identity(in));
  }
  for (size_t i = 1; i < ids.size(); ++i) {
    if (ids[i].sweep != ids[0].sweep)
      throw sim::ConfigError(inputs[i] + ": its result store belongs to another sweep than " + inputs[0] +
                             "'s");
    if (ids[i].revision != ids[0].revision)
      throw sim::ConfigError(inputs[i] + ": its result store was written by code revision " +
                             ids[i].revision + ", " + inputs[0] + "'s by " + ids[0].revision);
  }
  if (ids[0].revision != revision && !allow_other_revision)
    throw sim::ConfigError(inputs[0] + ": its result store was written by code revision " + ids[0].revision +
                           ", this dse is " + revision +
                           "; pass --allow-other-revision to merge it with this revision");
  MergePlan plan{stored_sweep(ids[0], inputs[0]), ids[0].config_path, ids[0].config_text};
  ResultStore merged(out, {ids[0].sweep, revision, "1/1", ids[0].config_path, ids[0].config_text},
                     allow_other_revision);
  for (const auto& in : inputs) merged.import_points(in);
  return plan;
}

}  // namespace deepchip::explorer
