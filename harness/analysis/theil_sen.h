// Theil–Sen slope with Sen's (Kendall-based) confidence interval, pairs taken only
// within a group so that separate stretches (idle phases) can be pooled without their
// level jumps counting as slope. Pure; O(n^2) pairs, meant for a few hundred points.
#pragma once

#include <span>
#include <vector>

namespace mcpleak::analysis {

struct Point {
  double x = 0;   // seconds
  double y = 0;   // bytes, calls, a counter value
  int group = 0;  // pairs are formed only between points of the same group
};

struct SenFit {
  double slope = 0;      // median of the pairwise slopes, y units per x unit
  double intercept = 0;  // median of y - slope * x (over all points)
  // Bounds of the interval; +-infinity when there are too few pairs for the level.
  double lo = 0;
  double hi = 0;
  double min_slope = 0;  // range of the pairwise slopes: the widest interval possible
  double max_slope = 0;
  std::size_t points = 0;
  std::size_t pairs = 0;  // pairs with distinct x
};

// The sorted pairwise slopes (within groups) and Kendall's Var(S) with the tie
// correction: everything an interval at any level needs.
struct PairwiseSlopes {
  std::vector<double> sorted;
  double kendall_variance = 0;
};
PairwiseSlopes pairwise_slopes(std::span<const Point> points);

// Sen's bounds from precomputed slopes; +-infinity where the level needs more pairs.
struct SenBounds {
  double lo = 0;
  double hi = 0;
};
SenBounds sen_bounds(const PairwiseSlopes& slopes, double alpha_per_side,
                     double variance_inflation = 1.0);

// Theil–Sen fit of y on x. `alpha_per_side` is the probability each bound may be crossed
// (0.025 gives the usual two-sided 95% interval). `variance_inflation` (>= 1) widens the
// interval for serially correlated points: Var(S) is multiplied by it. Ties in y are
// corrected for in Var(S). Fewer than two points, or no pair with distinct x, gives
// slope 0 with an unbounded interval.
SenFit theil_sen(std::span<const Point> points, double alpha_per_side,
                 double variance_inflation = 1.0);

}  // namespace mcpleak::analysis
