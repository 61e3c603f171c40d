// Order statistics and the normal quantile the interval code needs. Pure functions.
#pragma once

#include <span>
#include <vector>

namespace mcpleak::analysis {

// Median of the values (mean of the two middle ones for an even count). Takes a copy
// because it partially reorders. Empty input gives 0.
double median(std::vector<double> values);

// Linear-interpolated order statistic of sorted values at 1-based fractional rank `rank`
// (1 = smallest, size() = largest). The rank must lie within [1, size()].
double order_statistic(std::span<const double> sorted, double rank);

// Quantile q in [0, 1] of the values (type-7, the R and NumPy default). Empty gives 0.
double quantile(std::vector<double> values, double q);

// Inverse of the standard normal CDF for p in (0, 1): normal_quantile(0.975) = 1.95996.
double normal_quantile(double p);

}  // namespace mcpleak::analysis
