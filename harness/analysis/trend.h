// A slope per minute with its interval for a noisy, serially correlated series: the
// points are reduced to block medians first (a few seconds each), Theil–Sen runs on the
// blocks, and the interval is widened for what correlation is left between blocks.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "harness/analysis/theil_sen.h"

namespace mcpleak::analysis {

// Residual noise as AR(1) plus white noise: autocorrelation a * phi^k at lag k >= 1
// samples. Zeros mean "no serial correlation found".
struct NoiseModel {
  double phi = 0;
  double ar_share = 0;
};

// Factor on Kendall's Var(S) for medians of blocks of `samples_per_block` samples under
// that noise: 1 + 2 rho_1 / (1 - phi^m), rho_1 the correlation of adjacent block means.
double block_inflation(const NoiseModel& noise, double samples_per_block);

struct Trend {
  double per_min = 0;  // y units per minute
  double lo_per_min = 0;  // may be -infinity: too few blocks for the level
  double hi_per_min = 0;  // may be +infinity
  double min_per_min = 0;  // range of the pairwise block slopes
  double max_per_min = 0;
  double intercept = 0;
  std::size_t blocks = 0;
  double block_s = 0;
  double span_s = 0;            // last minus first point time
  double variance_inflation = 1;
  NoiseModel noise;  // estimated from these points' residuals
  double samples_per_block = 0;
  std::shared_ptr<const PairwiseSlopes> slopes;  // block slopes per second, for at_level
};

// Block length for a window of `span_s` seconds: 1 s blocks (four samples, so a median
// absorbs a single spike) until the window holds 200 of them, then up to 5 s blocks,
// and no more than ~400 blocks for long windows (O(n^2) pairs). Many blocks keep the
// interval bounded at the strict levels of later looks when serial correlation is high.
double block_length_s(double span_s);

// Medians of consecutive `block_s`-second blocks of the points, per group: x is the median
// time of the block, y the median value. Blocks are aligned to each group's first point,
// so missed samples only make a block smaller. Input order does not matter.
std::vector<Point> block_medians(std::span<const Point> points, double block_s);

// Trend of the points (x in seconds) at `alpha_per_side`; groups are fitted as in
// theil_sen (span_s is that of the longest group). Needs at least 3 blocks; with
// fewer the slope is 0 and the interval unbounded (blocks says how many there were).
// `at_least`, when given, is a noise model from a longer window: the inflation is the larger
// of the two, because short windows underestimate serial correlation (the fitted line
// absorbs the slow part of the noise).
Trend estimate_trend(std::span<const Point> points, double alpha_per_side,
                     const NoiseModel* at_least = nullptr);

// The same trend with its interval at another level (same slopes, same inflation).
Trend at_level(const Trend& trend, double alpha_per_side);

}  // namespace mcpleak::analysis
