#include "reports/downsample.h"

#include <algorithm>
#include <cmath>

#include "tests/support/catch.h"

using namespace mcpleak::reports;

namespace {

std::vector<Point> wave(int n) {
  std::vector<Point> pts;
  for (int i = 0; i < n; ++i) pts.push_back({i * 0.5, std::sin(i / 50.0) * 100 + i * 0.01});
  return pts;
}

}  // namespace

TEST_CASE("short series are returned unchanged", "[reports]") {
  const auto pts = wave(100);
  const auto out = downsample_min_max(pts, 2000);
  REQUIRE(out.size() == pts.size());
  CHECK(out.back().x == pts.back().x);
}

TEST_CASE("long series are bounded and keep their extremes and order", "[reports]") {
  auto pts = wave(100000);
  pts[54321].y = 1e6;  // a one-sample spike must survive
  const auto out = downsample_min_max(pts, 2000);
  CHECK(out.size() <= 2000);
  CHECK(out.size() >= 1000);
  CHECK(std::is_sorted(out.begin(), out.end(), [](auto& a, auto& b) { return a.x < b.x; }));
  const auto by_y = [](auto& a, auto& b) { return a.y < b.y; };
  CHECK(std::max_element(out.begin(), out.end(), by_y)->y == 1e6);
  CHECK(std::min_element(out.begin(), out.end(), by_y)->y ==
        std::min_element(pts.begin(), pts.end(), by_y)->y);
}
