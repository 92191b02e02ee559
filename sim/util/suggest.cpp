#include "sim/util/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace deepchip::sim {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::optional<std::string> suggest(const std::string& name, const std::vector<std::string>& candidates,
                                   size_t max_distance) {
  std::optional<std::string> best;
  size_t best_distance = max_distance + 1;
  for (const auto& c : candidates) {
    const size_t d = edit_distance(name, c);
    if (d < best_distance) best_distance = d, best = c;
  }
  return best;
}

namespace {
std::string folded(const std::string& s) {
  std::string f;
  for (unsigned char c : s)
    if (c != '-' && c != '_' && c != ' ' && c != '.') f += static_cast<char>(std::tolower(c));
  return f;
}
}  // namespace

std::optional<std::string> suggest_name(const std::string& name, const std::vector<std::string>& candidates,
                                        size_t max_distance) {
  std::vector<std::string> folded_candidates;
  for (const auto& c : candidates) folded_candidates.push_back(folded(c));
  const auto best = suggest(folded(name), folded_candidates, max_distance);
  if (!best) return std::nullopt;
  const auto at = std::find(folded_candidates.begin(), folded_candidates.end(), *best);
  return candidates[static_cast<size_t>(at - folded_candidates.begin())];
}

}  // namespace deepchip::sim
