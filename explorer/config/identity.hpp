// Identity by content. A design point's id and a sweep's identity are hashes of what the configs mean,
// not of how or where they were written:
// - a point's id hashes its effective config (defaults filled, keys sorted) with every data file named by
//   its file name and content (identity_form), so the same point from any folder, from another clone of the
//   repository, or from its own effective_config.json gets the same id;
// - a sweep's identity (SweepDimensions) is, for every key path of its points, the set of values its
//   points take there: one value for a fixed setting, the values of an axis, the networks. Two sweeps share
//   points only where every one of these sets intersects (the space is a product), so a store accepts any
//   sweep that shares points with the one that wrote it (an axis or network grown or narrowed, keys
//   reordered, a default written out), and refuses one that shares none, naming the keys that differ.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace deepchip::explorer {

class DesignSpace;

// "<file name>#<16 hex digits>": the file's FNV-1a 64 over its bytes (and, for a .onnx model, over its
// record <model>.json beside it when there is one). A file that cannot be read is named by its path: the
// point fails with the reading's own error when it runs. Hashes are remembered per path, size and time.
std::string file_content_name(const std::string& path);

// The effective config with its data files (network file, energy_table) by file_content_name; zoo names
// and directories (accuracy.dataset_dir: an installed package's folder) stay as they are.
nlohmann::json identity_form(const nlohmann::json& effective);

// 12 hex digits of the FNV-1a 64 of identity_form(effective), canonical (sorted keys).
std::string point_id(const nlohmann::json& effective);

// {key path: [values]} over every leaf of the space's points ("network" for the networks; a per-layer
// axis's path is quantization.layer_overrides.<layer>.<key>), each list sorted: canonical, so its dump()
// is the sweep's identity.
nlohmann::json sweep_dimensions(const DesignSpace& space);

// One line per key path whose value sets do not intersect ("hardware.clock_mhz: 200 in the store's sweep,
// 250 in this one"); empty when the two sweeps share points.
std::vector<std::string> disjoint_dimensions(const nlohmann::json& stored, const nlohmann::json& current);

}  // namespace deepchip::explorer
