#include "reports/downsample.h"

#include <algorithm>

namespace mcpleak::reports {

std::vector<Point> downsample_min_max(std::span<const Point> points, std::size_t max_points) {
  max_points = std::max<std::size_t>(max_points, 2);
  if (points.size() <= max_points) return {points.begin(), points.end()};
  const std::size_t buckets = max_points / 2;
  std::vector<Point> out;
  out.reserve(buckets * 2);
  for (std::size_t b = 0; b < buckets; ++b) {
    // Integer bucket edges: every input point lands in exactly one bucket.
    const std::size_t begin = points.size() * b / buckets;
    const std::size_t end = points.size() * (b + 1) / buckets;
    if (begin == end) continue;
    const auto first = points.begin() + static_cast<std::ptrdiff_t>(begin);
    const auto last = points.begin() + static_cast<std::ptrdiff_t>(end);
    const auto [lo, hi] =
        std::minmax_element(first, last, [](const Point& a, const Point& c) { return a.y < c.y; });
    if (lo == hi) {
      out.push_back(*lo);
    } else if (lo < hi) {
      out.push_back(*lo);
      out.push_back(*hi);
    } else {
      out.push_back(*hi);
      out.push_back(*lo);
    }
  }
  return out;
}

}  // namespace mcpleak::reports
