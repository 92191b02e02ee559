// "Did you mean": the nearest of a list of names to a misspelt one.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace deepchip::sim {

// Levenshtein distance (insertions, deletions, substitutions of one byte each).
size_t edit_distance(const std::string& a, const std::string& b);

// The candidate nearest to `name` within edit distance `max_distance`, the first of equals; none if none.
std::optional<std::string> suggest(const std::string& name, const std::vector<std::string>& candidates,
                                   size_t max_distance = 3);

// The same after both sides are folded (lower case, without '-', '_', ' ' and '.'): "ResNet-18" finds
// "resnet18", "lenet" finds "lenet5".
std::optional<std::string> suggest_name(const std::string& name, const std::vector<std::string>& candidates,
                                        size_t max_distance = 2);

}  // namespace deepchip::sim
