#include "explorer/search/crowding.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace deepchip::explorer {

std::vector<double> crowding_distances(const std::vector<const std::vector<double>*>& front) {
  std::vector<double> crowding(front.size(), 0.0);
  if (front.empty()) return crowding;
  const auto value = [&](size_t i, size_t m) { return (*front[i])[m]; };
  for (size_t m = 0; m < front[0]->size(); ++m) {
    std::vector<size_t> order;
    for (size_t i = 0; i < front.size(); ++i)
      if (!std::isnan(value(i, m))) order.push_back(i);
    if (order.size() < 2) continue;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return value(a, m) < value(b, m); });
    const double lo = value(order.front(), m), hi = value(order.back(), m);
    crowding[order.front()] = crowding[order.back()] = std::numeric_limits<double>::infinity();
    if (hi <= lo) continue;
    for (size_t k = 1; k + 1 < order.size(); ++k)
      crowding[order[k]] += (value(order[k + 1], m) - value(order[k - 1], m)) / (hi - lo);
  }
  return crowding;
}

}  // namespace deepchip::explorer
