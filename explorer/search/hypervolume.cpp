#include "explorer/search/hypervolume.hpp"

#include <algorithm>

namespace deepchip::explorer {

namespace {

using Point = std::vector<double>;

bool weakly_dominates(const Point& a, const Point& b, size_t dims) {
  for (size_t i = 0; i < dims; ++i)
    if (a[i] > b[i]) return false;
  return true;
}

// The points no other point weakly dominates in the first `dims` objectives (duplicates kept once).
std::vector<Point> front_of(const std::vector<Point>& points, size_t dims) {
  std::vector<Point> front;
  for (size_t i = 0; i < points.size(); ++i) {
    bool dominated = false;
    for (size_t j = 0; j < points.size() && !dominated; ++j)
      dominated = j != i && weakly_dominates(points[j], points[i], dims) &&
                  (!weakly_dominates(points[i], points[j], dims) || j < i);
    if (!dominated) front.push_back(points[i]);
  }
  return front;
}

// A 2-D front (mutually non-dominated): by x ascending, y descends; each point owns the strip up to the
// next point's x.
double sweep_2d(std::vector<Point> front, const Point& ref) {
  std::sort(front.begin(), front.end(), [](const Point& a, const Point& b) { return a[0] < b[0]; });
  double volume = 0;
  for (size_t i = 0; i < front.size(); ++i) {
    const double next_x = i + 1 < front.size() ? front[i + 1][0] : ref[0];
    volume += (next_x - front[i][0]) * (ref[1] - front[i][1]);
  }
  return volume;
}

double slice(std::vector<Point> points, const Point& ref, size_t dims) {
  if (points.empty()) return 0;
  if (dims == 1) {
    double lo = ref[0];
    for (const auto& p : points) lo = std::min(lo, p[0]);
    return ref[0] - lo;
  }
  points = front_of(points, dims);
  if (dims == 2) return sweep_2d(points, ref);
  const size_t last = dims - 1;
  std::sort(points.begin(), points.end(), [&](const Point& a, const Point& b) { return a[last] < b[last]; });
  double volume = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    const double top = i + 1 < points.size() ? points[i + 1][last] : ref[last];
    if (top <= points[i][last]) continue;
    std::vector<Point> below(points.begin(), points.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    volume += (top - points[i][last]) * slice(std::move(below), ref, last);
  }
  return volume;
}

}  // namespace

double hypervolume(std::vector<std::vector<double>> points, const std::vector<double>& reference) {
  std::vector<Point> inside;
  for (auto& p : points) {
    bool below = p.size() == reference.size();
    for (size_t i = 0; below && i < p.size(); ++i) below = p[i] < reference[i];
    if (below) inside.push_back(std::move(p));
  }
  if (reference.empty()) return 0;
  return slice(std::move(inside), reference, reference.size());
}

}  // namespace deepchip::explorer
