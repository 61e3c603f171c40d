// Human-readable numbers for every report writer: one convention, used everywhere.
// Bytes use binary units labelled as such (KiB = 1024 B, MiB = 1024^2 B, GiB = 1024^3 B),
// because the platforms' own tools (ps, /proc, footprint) count in pages and KiB.
#pragma once

#include <string>

namespace mcpleak::reports {

// A byte unit: divide bytes by `scale` and append `name`.
struct ByteUnit {
  double scale = 1;
  const char* name = "B";
};

// The largest unit in which |bytes| is at least 1 (B below 1 KiB; GiB at most).
ByteUnit byte_unit_for(double bytes);

// A number with about three significant digits: 1234 -> "1234", 123.4 -> "123",
// 12.34 -> "12.3", 1.234 -> "1.23", 0 -> "0". Never prints "-0".
std::string format_number(double value);

// format_number without trailing zeros, for counts and rates: 2 -> "2", 2.50 -> "2.5".
std::string format_number_trimmed(double value);

// `bytes` in `unit`, number only: (11.8 MiB, MiB) -> "11.8".
std::string format_in_unit(double bytes, ByteUnit unit);

// 146800640 -> "140 MiB"; 512 -> "512 B".
std::string format_bytes(double bytes);

// Signed, for growth: 12373196.8 -> "+11.8 MiB", -1024 -> "-1.00 KiB", 0 -> "0 B".
std::string format_signed_bytes(double bytes);

// Seconds as a duration: 45.25 -> "45.2 s", 750 -> "12m 30s", 3725 -> "1h 02m 05s".
std::string format_duration(double seconds);

// Milliseconds: 12.34 -> "12.3 ms", 1520 -> "1.52 s".
std::string format_ms(double ms);

}  // namespace mcpleak::reports
