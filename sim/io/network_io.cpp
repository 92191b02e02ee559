#include "sim/io/network_io.hpp"

#include "sim/io/errors.hpp"
#include "sim/util/suggest.hpp"

namespace deepchip::sim {

namespace {
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

Network load_network(const std::string& reference) {
  if (is_zoo_name(reference)) return zoo_network(reference);
  if (ends_with(reference, ".csv")) return load_scalesim_topology(reference);
  if (ends_with(reference, ".json")) return load_network_json(reference);
  std::string names;
  for (const auto& n : zoo_names()) names += (names.empty() ? "" : ", ") + n;
  const auto near = suggest_name(reference, zoo_names());
  throw InputError(reference + ": not a zoo network (" + names +
                   ") nor a file ending in .json, .csv or .onnx" +
                   (near ? "; did you mean '" + *near + "'?" : ""));
}

}  // namespace deepchip::sim
