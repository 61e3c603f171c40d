#include "reports/units.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace mcpleak::reports {

ByteUnit byte_unit_for(double bytes) {
  static constexpr ByteUnit units[] = {
      {1024.0 * 1024.0 * 1024.0, "GiB"}, {1024.0 * 1024.0, "MiB"}, {1024.0, "KiB"}};
  const double magnitude = std::fabs(bytes);
  for (const ByteUnit& u : units) {
    if (magnitude >= u.scale) return u;
  }
  return ByteUnit{};
}

std::string format_number(double value) {
  if (!std::isfinite(value)) return "n/a";
  const double magnitude = std::fabs(value);
  const int decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string text = buf;
  // Values that round to zero print as "0" (not "-0.00", not "0.00"): a slope of
  // -0.001 B/min is no growth, and the sign would mislead.
  if (std::strtod(buf, nullptr) == 0.0) return "0";
  return text;
}

std::string format_number_trimmed(double value) {
  std::string text = format_number(value);
  if (text.find('.') == std::string::npos) return text;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

std::string format_in_unit(double bytes, ByteUnit unit) {
  // Below 1 KiB a byte count is whole: "32 B", not "32.0 B".
  if (unit.scale == 1 && std::isfinite(bytes)) {
    const double whole = std::round(bytes);
    return whole == 0 ? "0" : std::to_string(static_cast<long long>(whole));
  }
  return format_number(bytes / unit.scale);
}

std::string format_bytes(double bytes) {
  const ByteUnit unit = byte_unit_for(bytes);
  return format_in_unit(bytes, unit) + " " + unit.name;
}

std::string format_signed_bytes(double bytes) {
  std::string text = format_bytes(bytes);
  if (text[0] != '-' && text.rfind("0 ", 0) != 0) text = "+" + text;
  return text;
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds)) return "n/a";
  char buf[64];
  if (seconds < 60) {
    std::snprintf(buf, sizeof buf, "%s s", format_number(seconds).c_str());
    return buf;
  }
  const long total = std::lround(seconds);
  const long h = total / 3600, m = (total % 3600) / 60, s = total % 60;
  if (h > 0) {
    std::snprintf(buf, sizeof buf, "%ldh %02ldm %02lds", h, m, s);
  } else {
    std::snprintf(buf, sizeof buf, "%ldm %02lds", m, s);
  }
  return buf;
}

std::string format_ms(double ms) {
  if (!std::isfinite(ms)) return "n/a";
  if (std::fabs(ms) >= 1000) return format_number(ms / 1000) + " s";
  return format_number(ms) + " ms";
}

}  // namespace mcpleak::reports
