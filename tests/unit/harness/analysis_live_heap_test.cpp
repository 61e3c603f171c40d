// The live-heap series judged like the footprint: a flat post-GC heap is bounded, a
// growing one leaking, and the replayed looks say when each would have been decided.
#include "harness/analysis/live_heap.h"

#include <cmath>
#include <vector>

#include "tests/support/catch.h"

using namespace mcpleak;
using analysis::live_heap_verdict;

namespace {

RunInfo attribution_run(double end_s) {
  RunInfo run;
  run.budget_bytes_per_min = 1e6;
  run.min_duration_s = 30;
  run.phases = {{"loop", false, 0, end_s, 0.05, ""}};
  run.elapsed_s = end_s;
  return run;
}

// One point a second from t = 5 s: `per_min` growth plus a deterministic wobble.
std::vector<LiveHeapPoint> series(double per_min, int seconds, double wobble = 200e3) {
  std::vector<LiveHeapPoint> points;
  for (int i = 0; i < seconds; ++i) {
    const double t = 5 + i;
    const double bytes = 50e6 + per_min * (t / 60) + wobble * std::sin(i * 1.7);
    points.push_back({7, t, static_cast<std::uint64_t>(i * 20), static_cast<std::uint64_t>(bytes)});
  }
  return points;
}

}  // namespace

TEST_CASE("a flat live heap is bounded, decided at a replayed look after the minimum duration", "[live-heap]") {
  const auto v = live_heap_verdict(series(0, 60), attribution_run(66));
  CHECK(v.verdict == "bounded");
  REQUIRE(v.decided_after_s.has_value());
  CHECK(*v.decided_after_s >= 30);
  CHECK(*v.decided_after_s <= 60);
  CHECK(v.points == 60);
  CHECK(std::abs(v.bytes_per_min) < 1e6);
}

TEST_CASE("a live heap growing 10 MB/min is leaking, with its slope", "[live-heap]") {
  const auto v = live_heap_verdict(series(10e6, 60), attribution_run(66));
  CHECK(v.verdict == "leaking");
  CHECK(v.decided_after_s.has_value());
  CHECK(v.bytes_per_min == Approx(10e6).epsilon(0.05));
  CHECK(v.ci95_bytes_per_min.lo > 1e6);
}

TEST_CASE("a series shorter than the minimum duration is inconclusive and undecided", "[live-heap]") {
  const auto v = live_heap_verdict(series(0, 10), attribution_run(16));
  CHECK(v.verdict == "inconclusive");
  CHECK_FALSE(v.decided_after_s.has_value());
  CHECK(live_heap_verdict({}, attribution_run(10)).points == 0);
}
