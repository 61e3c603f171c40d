#include "harness/analysis/trend.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>

#include "harness/analysis/quantiles.h"

namespace mcpleak::analysis {
namespace {

// The AR(1)-plus-white model of the residual noise.
//
// Kendall's variance assumes independent points; medians of blocks a few seconds long
// are still correlated when the noise is (GC cycles, allocator trims), and an interval
// that ignores it is too narrow. A dozen blocks are too few to estimate that, so the model
// comes from the raw samples' residuals around the block fit: lag-k autocorrelations
// r_k = a phi^k (k >= 1; a is the AR share of the variance) are fitted as
// log r_k = log a + k log phi over lags 1..6 while r_k stays clearly positive. Residuals
// are winsorised at 3 robust sd so that single spikes do not make the noise look white.
NoiseModel estimate_noise(std::span<const Point> points, const SenFit& fit) {
  if (points.size() < 16) return {};
  std::vector<Point> sorted(points.begin(), points.end());
  std::sort(sorted.begin(), sorted.end(), [](const Point& a, const Point& b) {
    return a.group != b.group ? a.group < b.group : a.x < b.x;
  });
  std::vector<double> e;
  e.reserve(sorted.size());
  for (const Point& p : sorted) e.push_back(p.y - (fit.intercept + fit.slope * p.x));
  const double centre = median(e);
  std::vector<double> dev;
  dev.reserve(e.size());
  for (double& v : e) {
    v -= centre;
    dev.push_back(std::fabs(v));
  }
  const double limit = 3 * 1.4826 * median(dev);
  if (limit <= 0) return {};  // quantised flat noise: nothing to correct
  for (double& v : e) v = std::clamp(v, -limit, limit);

  // Consecutive samples within a group; missed ticks make a lag slightly longer, which
  // errs towards less correlation per lag and a larger phi, i.e. more correction.
  constexpr std::size_t kMaxLag = 6;
  double c[kMaxLag + 1] = {};
  for (std::size_t i = 0; i < e.size(); ++i) {
    for (std::size_t k = 0; k <= kMaxLag && i + k < e.size(); ++k) {
      if (sorted[i + k].group == sorted[i].group) c[k] += e[i] * e[i + k];
    }
  }
  double sk = 0, sl = 0, skk = 0, skl = 0, n = 0;
  for (std::size_t k = 1; k <= kMaxLag; ++k) {
    const double r = c[k] / c[0];
    if (r <= 0.05) break;
    const double kd = static_cast<double>(k);
    sk += kd, sl += std::log(r), skk += kd * kd, skl += kd * std::log(r), n += 1;
  }
  if (n < 2) return {};
  const double log_phi = (n * skl - sk * sl) / (n * skk - sk * sk);
  const double phi = std::clamp(std::exp(log_phi), 0.05, 0.995);
  const double a = std::min(1.0, std::exp((sl - log_phi * sk) / n));
  return NoiseModel{phi, a};
}

}  // namespace

double block_inflation(const NoiseModel& noise, double samples_per_block) {
  const double phi = noise.phi;
  const double a = noise.ar_share;
  if (phi <= 0 || a <= 0) return 1;
  const double m = std::max(1.0, std::round(samples_per_block));
  const double phi_m = std::pow(phi, m);
  // Sum of phi^|i-j| over one block, and over pairs across two adjacent blocks.
  const double within = m * (1 + phi) / (1 - phi) - 2 * phi * (1 - phi_m) / ((1 - phi) * (1 - phi));
  const double across = phi * (1 - phi_m) * (1 - phi_m) / ((1 - phi) * (1 - phi));
  const double rho1 = a * across / (a * within + (1 - a) * m);
  return std::min(20.0, 1 + 2 * rho1 / (1 - phi_m));
}

double block_length_s(double span_s) {
  return std::max(std::clamp(span_s / 200, 1.0, 5.0), span_s / 400);
}

std::vector<Point> block_medians(std::span<const Point> points, double block_s) {
  std::map<int, std::vector<Point>> groups;
  for (const Point& p : points) groups[p.group].push_back(p);
  std::vector<Point> out;
  for (auto& [group_key, members] : groups) {
    // NOTE: a copy, because lambdas may not capture structured bindings in C++20 as
    // Apple clang enforces it (P1091 came with C++20 in GCC only as an extension).
    const int group = group_key;
    std::sort(members.begin(), members.end(),
              [](const Point& a, const Point& b) { return a.x < b.x; });
    const double x0 = members.front().x;
    std::vector<double> xs;
    std::vector<double> ys;
    long current = -1;
    auto flush = [&] {
      if (xs.empty()) return;
      out.push_back(Point{median(xs), median(ys), group});
      xs.clear();
      ys.clear();
    };
    for (const Point& p : members) {
      const long index = static_cast<long>(std::floor((p.x - x0) / block_s));
      if (index != current) {
        flush();
        current = index;
      }
      xs.push_back(p.x);
      ys.push_back(p.y);
    }
    flush();
  }
  return out;
}

Trend estimate_trend(std::span<const Point> points, double alpha_per_side,
                     const NoiseModel* at_least) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  Trend trend;
  trend.lo_per_min = -inf;
  trend.hi_per_min = inf;
  if (points.empty()) return trend;
  // The span of the longest group: pooled groups (idle phases) are blocked like one.
  std::map<int, std::pair<double, double>> ranges;
  for (const Point& p : points) {
    auto [it, fresh] = ranges.try_emplace(p.group, p.x, p.x);
    if (!fresh) {
      it->second.first = std::min(it->second.first, p.x);
      it->second.second = std::max(it->second.second, p.x);
    }
  }
  for (const auto& [group, range] : ranges) {
    trend.span_s = std::max(trend.span_s, range.second - range.first);
  }
  trend.block_s = block_length_s(trend.span_s);
  const std::vector<Point> blocks = block_medians(points, trend.block_s);
  trend.blocks = blocks.size();
  if (blocks.size() < 3) return trend;

  trend.slopes = std::make_shared<const PairwiseSlopes>(pairwise_slopes(blocks));
  const auto& sorted = trend.slopes->sorted;
  if (sorted.empty()) return trend;
  SenFit fit;
  fit.slope = order_statistic(sorted, (static_cast<double>(sorted.size()) + 1) / 2);
  std::vector<double> levels;
  levels.reserve(blocks.size());
  for (const Point& p : blocks) levels.push_back(p.y - fit.slope * p.x);
  fit.intercept = median(std::move(levels));

  trend.samples_per_block =
      static_cast<double>(points.size()) / static_cast<double>(blocks.size());
  trend.noise = estimate_noise(points, fit);
  trend.variance_inflation = block_inflation(trend.noise, trend.samples_per_block);
  if (at_least) {
    trend.variance_inflation =
        std::max(trend.variance_inflation, block_inflation(*at_least, trend.samples_per_block));
  }
  const SenBounds bounds = sen_bounds(*trend.slopes, alpha_per_side, trend.variance_inflation);
  trend.per_min = fit.slope * 60;
  trend.lo_per_min = bounds.lo * 60;
  trend.hi_per_min = bounds.hi * 60;
  trend.min_per_min = sorted.front() * 60;
  trend.max_per_min = sorted.back() * 60;
  trend.intercept = fit.intercept;
  return trend;
}

Trend at_level(const Trend& trend, double alpha_per_side) {
  Trend out = trend;
  if (!trend.slopes || trend.slopes->sorted.empty()) return out;
  const SenBounds bounds = sen_bounds(*trend.slopes, alpha_per_side, trend.variance_inflation);
  out.lo_per_min = bounds.lo * 60;
  out.hi_per_min = bounds.hi * 60;
  return out;
}

}  // namespace mcpleak::analysis
