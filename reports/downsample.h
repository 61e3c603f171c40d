// Bounding the size of a drawn line: keep the shape of a long series in few points.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace mcpleak::reports {

struct Point {
  double x = 0;  // seconds since run start
  double y = 0;  // bytes (or calls/s)
};

// At most `max_points` points (max_points >= 2) that keep the series' look: the input
// is cut into max_points / 2 buckets of consecutive points and each bucket contributes
// its minimum and its maximum, in x order, so spikes and the global extremes survive.
// Input of at most max_points points is returned unchanged. Input must be in x order.
std::vector<Point> downsample_min_max(std::span<const Point> points, std::size_t max_points);

}  // namespace mcpleak::reports
