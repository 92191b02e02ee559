// dse merge: the stores of a sweep's shards (--shard K/N runs, e.g. a Slurm job array) united into one
// store, from which the sweep is then resumed: its exports are those of one unsharded run (the points a
// shard lacks, and verifications the whole sweep's front needs that no shard's front asked for, run then).
#pragma once
#include <string>
#include <vector>

#include "explorer/config/config.hpp"

namespace deepchip::explorer {

struct MergePlan {
  SweepSpec spec;           // the sweep, read from the config its shards recorded (stored_sweep)
  std::string config_path;  // that config's file and text
  std::string config_text;
};

// Checks that every input holds a store of the same sweep and code revision (`revision`, unless
// `allow_other_revision`), that the recorded config still describes that sweep, and that `out` is not
// one of the inputs; then creates (or opens) the store in `out` and imports every input's points into it.
// Throws sim::ConfigError naming the input or the config on any mismatch, before writing anything.
MergePlan merge_stores(const std::vector<std::string>& inputs, const std::string& out,
                       const std::string& revision, bool allow_other_revision);

}  // namespace deepchip::explorer
