// Theil–Sen, Sen's interval, block medians and the normal quantile on series whose slope
// is known by construction.
#include <cmath>
#include <random>
#include <vector>

#include "harness/analysis/quantiles.h"
#include "harness/analysis/theil_sen.h"
#include "harness/analysis/trend.h"
#include "tests/support/catch.h"

using namespace mcpleak::analysis;

namespace {

std::vector<Point> line(double slope, double intercept, int n, double dx) {
  std::vector<Point> pts;
  for (int i = 0; i < n; ++i) pts.push_back(Point{i * dx, intercept + slope * i * dx, 0});
  return pts;
}

// Sum of squared deviations of x: the OLS slope's sd is sigma / sqrt(sxx); Theil–Sen's is
// about 1/sqrt(0.91) of that for normal noise (Sen 1968), so tolerances use 1.05x.
double slope_sd(const std::vector<Point>& pts, double sigma) {
  double mean = 0;
  for (auto& p : pts) mean += p.x;
  mean /= static_cast<double>(pts.size());
  double sxx = 0;
  for (auto& p : pts) sxx += (p.x - mean) * (p.x - mean);
  return 1.05 * sigma / std::sqrt(sxx);
}

}  // namespace

TEST_CASE("normal_quantile matches tabulated values", "[analysis]") {
  CHECK(normal_quantile(0.5) == Approx(0.0).margin(1e-12));
  CHECK(normal_quantile(0.975) == Approx(1.959963985).epsilon(1e-8));
  CHECK(normal_quantile(0.025) == Approx(-1.959963985).epsilon(1e-8));
  CHECK(normal_quantile(1 - 1e-6) == Approx(4.753424309).epsilon(1e-8));
}

TEST_CASE("median and quantile", "[analysis]") {
  CHECK(median({3, 1, 2}) == 2);
  CHECK(median({4, 1, 3, 2}) == 2.5);
  CHECK(quantile({1, 2, 3, 4, 5}, 0.25) == 2);
  CHECK(quantile({10, 20}, 0.99) == Approx(19.9));
}

TEST_CASE("Theil-Sen is exact on noiseless lines, interval collapses", "[analysis]") {
  for (double slope : {-3.5, 0.0, 1.0, 12345.0}) {
    const auto pts = line(slope, 100, 40, 0.25);
    const SenFit fit = theil_sen(pts, 0.025);
    CHECK(fit.slope == Approx(slope).margin(1e-9));
    CHECK(fit.intercept == Approx(100).margin(1e-6));
    CHECK(fit.lo == Approx(slope).margin(1e-9));
    CHECK(fit.hi == Approx(slope).margin(1e-9));
    CHECK(fit.pairs == 40u * 39u / 2u);
  }
}

TEST_CASE("Theil-Sen recovers a known slope within the noise's tolerance", "[analysis]") {
  const double sigma = 2.0;
  int covered = 0;
  const int seeds = 300;
  for (int seed = 1; seed <= seeds; ++seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0, sigma);
    auto pts = line(0.7, 10, 60, 1.0);
    for (auto& p : pts) p.y += noise(rng);
    const SenFit fit = theil_sen(pts, 0.025);
    // 5 sd: a failure here is a broken estimator, not bad luck (p < 1e-6 per seed).
    REQUIRE(std::fabs(fit.slope - 0.7) < 5 * slope_sd(pts, sigma));
    REQUIRE(fit.lo <= fit.slope);
    REQUIRE(fit.hi >= fit.slope);
    if (fit.lo <= 0.7 && 0.7 <= fit.hi) ++covered;
  }
  // Independent noise: Sen's 95% interval should cover about 95% of the time. Binomial sd
  // over 300 seeds is 1.3 points, so [0.90, 0.99] is a wide band around 0.95.
  const double coverage = covered / double(seeds);
  CHECK(coverage >= 0.90);
  CHECK(coverage <= 0.99);
}

TEST_CASE("Theil-Sen is robust to 20% outliers where least squares is not", "[analysis]") {
  for (int seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0, 1.0);
    std::uniform_int_distribution<int> pick(0, 4);
    auto pts = line(2.0, 0, 100, 1.0);
    int outliers = 0;
    for (auto& p : pts) {
      p.y += noise(rng);
      if (pick(rng) == 0) {  // 20% of points: one-sided spikes of 50x the whole rise
        p.y += 10000;
        ++outliers;
      }
    }
    double mx = 0, my = 0;
    for (auto& p : pts) mx += p.x, my += p.y;
    mx /= 100, my /= 100;
    double sxy = 0, sxx = 0;
    for (auto& p : pts) sxy += (p.x - mx) * (p.y - my), sxx += (p.x - mx) * (p.x - mx);
    const double ols = sxy / sxx;

    const SenFit fit = theil_sen(pts, 0.025);
    INFO("seed " << seed << " outliers " << outliers << " ols " << ols);
    // Spikes at random x bias the median of pairwise slopes by a fraction of the spikes'
    // own scatter; 10% of the true slope is far below what they do to least squares.
    CHECK(std::fabs(fit.slope - 2.0) < 0.2);
  }
}

TEST_CASE("Theil-Sen pools groups without counting their level jumps", "[analysis]") {
  auto a = line(1.5, 0, 20, 1.0);
  auto b = line(1.5, 1000, 20, 1.0);  // a much higher level, same slope
  for (auto& p : b) p.x += 100, p.group = 1;
  std::vector<Point> pts = a;
  pts.insert(pts.end(), b.begin(), b.end());
  const SenFit pooled = theil_sen(pts, 0.025);
  CHECK(pooled.slope == Approx(1.5));
  CHECK(pooled.pairs == 2u * 190u);
  for (auto& p : pts) p.group = 0;
  CHECK(theil_sen(pts, 0.025).slope > 2);  // the jump would have counted
}

TEST_CASE("Theil-Sen on a flat quantised series is zero with a zero-width interval", "[analysis]") {
  std::vector<Point> pts;
  for (int i = 0; i < 30; ++i) pts.push_back(Point{i * 0.25, 4096.0 * 1000, 0});
  const SenFit fit = theil_sen(pts, 0.025);
  CHECK(fit.slope == 0);
  CHECK(fit.lo == 0);
  CHECK(fit.hi == 0);
}

TEST_CASE("Too few points give an unbounded interval", "[analysis]") {
  const auto pts = line(1, 0, 4, 1.0);
  const SenFit fit = theil_sen(pts, 0.025);
  CHECK(fit.slope == Approx(1));
  CHECK(std::isinf(fit.lo));
  CHECK(std::isinf(fit.hi));
  CHECK(theil_sen(std::vector<Point>{}, 0.025).pairs == 0);
}

TEST_CASE("Block medians follow time, not sample count, across missed ticks", "[analysis]") {
  std::vector<Point> pts;
  for (int i = 0; i < 40; ++i) {
    if (i >= 10 && i < 18) continue;  // two seconds of missed ticks
    pts.push_back(Point{i * 0.25, 2.0 * i * 0.25, 0});
  }
  pts[3].y += 1e9;  // one spike, absorbed by its block's median
  const auto blocks = block_medians(pts, 2.0);
  // [0,2) [2,4) (only 2 and 2.25 left) [4,6) [6,8) [8,10)
  REQUIRE(blocks.size() == 5);
  // The spike moves its block's median by at most one neighbouring value (0.5).
  for (auto& b : blocks) CHECK(b.y == Approx(2.0 * b.x).margin(0.5));
  const Trend t = estimate_trend(pts, 0.025);
  CHECK(t.per_min == Approx(120.0).epsilon(0.05));
}
