#include "explorer/config/objectives.hpp"

#include <stdexcept>

namespace deepchip::explorer {

const std::vector<ObjectiveDecl>& objective_decls() {
  static const std::vector<ObjectiveDecl> decls = {
      {"cycles", "cycles", false},
      {"energy", "energy_total_pj", false},
      {"accuracy", "top1", true},
      {"weight_storage", "weight_bits_stored", false},
  };
  return decls;
}

const ObjectiveDecl& objective_decl(const std::string& name) {
  for (const auto& d : objective_decls())
    if (d.name == name) return d;
  throw std::logic_error("unvalidated objective " + name);
}

std::vector<std::string> objective_names() {
  std::vector<std::string> names;
  for (const auto& d : objective_decls()) names.push_back(d.name);
  return names;
}

}  // namespace deepchip::explorer
