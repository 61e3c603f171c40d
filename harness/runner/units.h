// Parsing of the human units on the command line and in scenarios: durations ("10m",
// "30s", "500ms", "1h", bare numbers are seconds) and rates of growth ("1MB/min",
// "500KB/min", "10MiB/min", "2MB/s") and fractions ("20%", "0.2"). KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "harness/model/resources.h"
#include "harness/result.h"

namespace mcpleak {

// Seconds. Errc::usage naming the text when it is not a non-negative duration.
Result<double> parse_duration_s(std::string_view text);
// Bytes per minute. Errc::usage when malformed.
Result<double> parse_budget_bytes_per_min(std::string_view text);
// Bytes from "400MB", "1.5GiB", "512KiB" or a bare number. Errc::usage when malformed.
Result<double> parse_size_bytes(std::string_view text);
// A fraction in [0, 1] from "20%" or "0.2". Errc::usage when malformed or out of range.
Result<double> parse_fraction(std::string_view text);

// --resource-budget NAME=PART[,PART...]: NAME is processes, fds, threads or orphans;
// a PART is N/call, N/min, +N (net growth allowed in all) or off. Parts not given keep
// the default's value. Errc::usage naming what was wrong.
Result<std::pair<std::string, ResourceBudget>> parse_resource_budget(std::string_view text);

}  // namespace mcpleak
