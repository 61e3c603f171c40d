#include "harness/analysis/quantiles.h"

#include <algorithm>
#include <cmath>

#include "harness/check.h"

namespace mcpleak::analysis {

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + mid);
  return (lower + upper) / 2;
}

double order_statistic(std::span<const double> sorted, double rank) {
  MCPLEAK_CHECK(!sorted.empty() && rank >= 1 && rank <= static_cast<double>(sorted.size()))
      << "rank " << rank << " of " << sorted.size();
  const double floor_rank = std::floor(rank);
  const auto i = static_cast<std::size_t>(floor_rank) - 1;
  if (i + 1 >= sorted.size()) return sorted[i];
  const double frac = rank - floor_rank;
  return sorted[i] + frac * (sorted[i + 1] - sorted[i]);
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = 1 + std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size() - 1);
  return order_statistic(values, rank);
}

double normal_quantile(double p) {
  MCPLEAK_CHECK(p > 0 && p < 1) << "p = " << p;
  // Acklam's rational approximation (relative error < 1.2e-9), then one Newton step on
  // erfc, which brings it to double precision; the tails matter here because alpha
  // spending pushes the per-look level down to 1e-5 and below.
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                             -2.759285104469687e+02, 1.383577518672690e+02,
                             -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                             -1.556989798598866e+02, 6.680131188771972e+01,
                             -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                             -2.400758277161838e+00, -2.549732539343734e+00,
                             4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                             2.445134137142996e+00, 3.754408661907416e+00};
  const double p_low = 0.02425;
  double x = 0;
  if (p < p_low) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - p_low) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

}  // namespace mcpleak::analysis
