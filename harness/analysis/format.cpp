#include "harness/analysis/format.h"

#include <cmath>
#include <cstdio>

namespace mcpleak::analysis {
namespace {

std::string three_digits(double v) {
  char buf[32];
  const double a = std::fabs(v);
  const char* fmt = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f";
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string scaled(double bytes, const char* suffix) {
  if (std::isinf(bytes)) return bytes > 0 ? "+inf" : "-inf";
  const double a = std::fabs(bytes);
  if (a >= 1024.0 * 1024 * 1024) return three_digits(bytes / (1024.0 * 1024 * 1024)) + " GiB" + suffix;
  if (a >= 1024.0 * 1024) return three_digits(bytes / (1024.0 * 1024)) + " MiB" + suffix;
  if (a >= 1024.0) return three_digits(bytes / 1024.0) + " KiB" + suffix;
  return three_digits(bytes) + " B" + suffix;
}

}  // namespace

std::string format_bytes(double bytes) { return scaled(bytes, ""); }

std::string format_rate(double bytes_per_min) { return scaled(bytes_per_min, "/min"); }

std::string format_interval(double lo, double hi) {
  return "[" + (std::isinf(lo) ? std::string("unbounded") : format_rate(lo)) + ", " +
         (std::isinf(hi) ? std::string("unbounded") : format_rate(hi)) + "]";
}

}  // namespace mcpleak::analysis
