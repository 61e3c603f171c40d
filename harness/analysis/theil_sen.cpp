#include "harness/analysis/theil_sen.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <vector>

#include "harness/analysis/quantiles.h"

namespace mcpleak::analysis {
namespace {

// Var(S) of Kendall's S for one group of n points, with the tie correction over equal y
// values (Kendall 1975; Gilbert 1987, eq. 16.4). x has no ties worth correcting: sample
// times are distinct, and pairs with equal x are skipped anyway.
double kendall_variance(std::vector<double> ys) {
  const double n = static_cast<double>(ys.size());
  double var = n * (n - 1) * (2 * n + 5);
  std::sort(ys.begin(), ys.end());
  for (std::size_t i = 0; i < ys.size();) {
    std::size_t j = i;
    while (j < ys.size() && ys[j] == ys[i]) ++j;
    const double t = static_cast<double>(j - i);
    var -= t * (t - 1) * (2 * t + 5);
    i = j;
  }
  return var / 18;
}

}  // namespace

PairwiseSlopes pairwise_slopes(std::span<const Point> points) {
  std::map<int, std::vector<const Point*>> groups;
  for (const Point& p : points) groups[p.group].push_back(&p);
  PairwiseSlopes out;
  for (auto& [group, members] : groups) {
    std::vector<double> ys;
    ys.reserve(members.size());
    for (std::size_t i = 0; i < members.size(); ++i) {
      ys.push_back(members[i]->y);
      for (std::size_t j = i + 1; j < members.size(); ++j) {
        const double dx = members[j]->x - members[i]->x;
        if (dx == 0) continue;
        out.sorted.push_back((members[j]->y - members[i]->y) / dx);
      }
    }
    out.kendall_variance += kendall_variance(std::move(ys));
  }
  std::sort(out.sorted.begin(), out.sorted.end());
  return out;
}

SenBounds sen_bounds(const PairwiseSlopes& slopes, double alpha_per_side,
                     double variance_inflation) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  SenBounds b{-inf, inf};
  if (slopes.sorted.empty()) return b;
  // Sen (1968): with C = z * sqrt(Var S), the bounds are the M1-th and (M2+1)-th smallest
  // slopes, M1 = (N - C) / 2, M2 = (N + C) / 2. Fractional ranks are interpolated.
  const double n_pairs = static_cast<double>(slopes.sorted.size());
  const double c = normal_quantile(1 - alpha_per_side) *
                   std::sqrt(slopes.kendall_variance * std::max(1.0, variance_inflation));
  const double m1 = (n_pairs - c) / 2;
  const double m2 = (n_pairs + c) / 2 + 1;
  if (m1 >= 1) b.lo = order_statistic(slopes.sorted, m1);
  if (m2 <= n_pairs) b.hi = order_statistic(slopes.sorted, m2);
  return b;
}

SenFit theil_sen(std::span<const Point> points, double alpha_per_side,
                 double variance_inflation) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  SenFit fit;
  fit.points = points.size();
  fit.lo = -inf;
  fit.hi = inf;
  const PairwiseSlopes slopes = pairwise_slopes(points);
  fit.pairs = slopes.sorted.size();
  if (slopes.sorted.empty()) return fit;

  const double n_pairs = static_cast<double>(slopes.sorted.size());
  fit.slope = order_statistic(slopes.sorted, (n_pairs + 1) / 2);
  fit.min_slope = slopes.sorted.front();
  fit.max_slope = slopes.sorted.back();

  std::vector<double> residual_levels;
  residual_levels.reserve(points.size());
  for (const Point& p : points) residual_levels.push_back(p.y - fit.slope * p.x);
  fit.intercept = median(std::move(residual_levels));

  const SenBounds b = sen_bounds(slopes, alpha_per_side, variance_inflation);
  fit.lo = b.lo;
  fit.hi = b.hi;
  return fit;
}

}  // namespace mcpleak::analysis
