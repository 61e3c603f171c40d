// The verdict rule shared by the interim looks and the final analysis: the whole window
// after warm-up decides "growing faster than the budget", and the latest half must agree,
// so a warm-up plateau (fast growth that then stops) is never called a leak.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/analysis/theil_sen.h"
#include "harness/analysis/trend.h"
#include "harness/model/report.h"
#include "harness/model/sample.h"

namespace mcpleak::analysis {

enum class Metric { footprint, rss };

// The points the verdict is judged on: samples after warm-up. When the run has both call
// phases and idle phases only the call phases count (a per-call leak is flat while idle;
// idle phases are for attribution), and each contiguous stretch of call phases is its own
// group so that a level change across an idle gap is not read as slope.
std::vector<Point> verdict_points(std::span<const Sample> samples, const RunInfo& run,
                                  Metric metric = Metric::footprint);
// The same window for any value of a sample; samples where `value` is empty are skipped
// (one process of the tree, absent before it started and after it exited).
std::vector<Point> verdict_points(std::span<const Sample> samples, const RunInfo& run,
                                  const std::function<std::optional<double>(const Sample&)>& value);

struct Decision {
  std::optional<Verdict> verdict;  // leaking or bounded when decisive
  Trend whole;                     // all verdict points
  Trend recent;                    // latest half of that window
  std::string why;                 // what the rule saw, one clause
};

// Applies the rule at `alpha_per_side` to the verdict points (bytes over seconds):
//   leaking  when whole.lo > budget and recent.lo(95%) > budget,
//   bounded  when whole.hi < budget and recent slope < budget (steady and low),
//            or recent.hi < budget (growth stopped: a plateau), both bounds taken at
//            alpha / 2 so that the union of the two routes keeps alpha (Bonferroni),
//   neither  otherwise.
// The false-positive rate of "leaking" is that of the whole-window bound (the recent
// condition only removes verdicts).
Decision decide(std::span<const Point> points, double budget_bytes_per_min,
                double alpha_per_side);

}  // namespace mcpleak::analysis
