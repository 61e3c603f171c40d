// Human-readable numbers for verdict reasons and warnings: binary units, 3 significant
// digits. "11.8 MiB/min", "212 KiB", "unbounded" for infinite interval ends.
#pragma once

#include <string>

namespace mcpleak::analysis {

std::string format_bytes(double bytes);           // "212 KiB", "-1.50 MiB"
std::string format_rate(double bytes_per_min);    // "11.8 MiB/min"
std::string format_interval(double lo_bytes_per_min, double hi_bytes_per_min);  // "10.9–12.6 MiB/min"

}  // namespace mcpleak::analysis
