// The objectives a sweep's Pareto front and search trade off (the "objectives" key), declared once: each
// names the column of results.csv it reads (a total statistic of sim/cost/stats.hpp, or top1) and whether
// more is better. The key's choices, the front, the search, the progress line and the report read it.
#pragma once
#include <string>
#include <vector>

namespace deepchip::explorer {

struct ObjectiveDecl {
  std::string name;    // the "objectives" key's value
  std::string column;  // a total statistic (results.csv's column of that name), or "top1" (accuracy)
  bool maximised = false;
  bool from_accuracy() const { return column == "top1"; }  // measured in the parent, not by the worker
};

const std::vector<ObjectiveDecl>& objective_decls();
const ObjectiveDecl& objective_decl(const std::string& name);  // throws std::logic_error when not declared
std::vector<std::string> objective_names();

}  // namespace deepchip::explorer
