#include "harness/runner/units.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace mcpleak {
namespace {

// Splits "12.5MB" into 12.5 and "MB"; false when there is no leading number.
bool split_number(std::string_view text, double& number, std::string_view& unit) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  // from_chars for double is missing from older libc++; parse by hand via std::stod.
  std::size_t used = 0;
  try {
    number = std::stod(std::string(text), &used);
  } catch (const std::exception&) {
    return false;
  }
  unit = text.substr(used);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  return number >= 0 && std::isfinite(number);  // rejects negatives, NaN and "inf"
}

}  // namespace

Result<double> parse_duration_s(std::string_view text) {
  double n = 0;
  std::string_view unit;
  if (!split_number(text, n, unit)) {
    return Error(Errc::usage, "'" + std::string(text) + "' is not a duration (try 30s, 10m, 1h)");
  }
  if (unit.empty() || unit == "s" || unit == "sec") return n;
  if (unit == "ms") return n / 1000.0;
  if (unit == "m" || unit == "min") return n * 60.0;
  if (unit == "h") return n * 3600.0;
  return Error(Errc::usage, "'" + std::string(text) + "': unknown time unit '" + std::string(unit) +
                                "' (use ms, s, m or h)");
}

Result<double> parse_budget_bytes_per_min(std::string_view text) {
  const auto slash = text.find('/');
  const std::string_view amount = text.substr(0, slash);
  const std::string_view per = slash == std::string_view::npos ? "min" : text.substr(slash + 1);
  double n = 0;
  std::string_view unit;
  const std::string bad = "'" + std::string(text) + "' is not a budget (try 1MB/min, 500KB/min, 10MiB/min)";
  if (!split_number(amount, n, unit)) return Error(Errc::usage, bad);
  double scale = 0;
  if (unit == "B" || unit.empty()) scale = 1;
  else if (unit == "KB" || unit == "kB") scale = 1e3;
  else if (unit == "MB") scale = 1e6;
  else if (unit == "GB") scale = 1e9;
  else if (unit == "KiB") scale = 1024.0;
  else if (unit == "MiB") scale = 1024.0 * 1024;
  else if (unit == "GiB") scale = 1024.0 * 1024 * 1024;
  else return Error(Errc::usage, bad + ": unknown size unit '" + std::string(unit) + "'");
  double per_min = 0;
  if (per == "min" || per == "m") per_min = 1;
  else if (per == "s" || per == "sec") per_min = 60;
  else if (per == "h") per_min = 1.0 / 60;
  else return Error(Errc::usage, bad + ": unknown time unit '" + std::string(per) + "'");
  return n * scale * per_min;
}

Result<double> parse_size_bytes(std::string_view text) {
  if (text.find('/') == std::string_view::npos) {
    if (auto bytes = parse_budget_bytes_per_min(std::string(text) + "/min")) return *bytes;
  }
  return Error(Errc::usage, "'" + std::string(text) + "' is not a size (try 400MB, 1.5GiB, 512KiB)");
}

Result<double> parse_fraction(std::string_view text) {
  double n = 0;
  std::string_view unit;
  const std::string bad = "'" + std::string(text) + "' is not a fraction (try 20% or 0.2)";
  if (!split_number(text, n, unit)) return Error(Errc::usage, bad);
  if (unit == "%") n /= 100;
  else if (!unit.empty()) return Error(Errc::usage, bad);
  if (n > 1) return Error(Errc::usage, "'" + std::string(text) + "' is more than 100%");
  return n;
}

Result<std::pair<std::string, ResourceBudget>> parse_resource_budget(std::string_view text) {
  const auto eq = text.find('=');
  const std::string name(text.substr(0, eq == std::string_view::npos ? 0 : eq));
  const auto defaults = default_resource_budgets();
  const auto it = defaults.find(name);
  if (it == defaults.end() || name == "mach_ports") {
    return Error(Errc::usage, "--resource-budget expects NAME=BUDGET with NAME one of processes, fds, threads, "
                              "orphans; got '" + std::string(text) + "'");
  }
  ResourceBudget b = it->second;
  std::string_view rest = text.substr(eq + 1);
  if (rest.empty()) return Error(Errc::usage, "--resource-budget " + name + "= needs a budget: N/call, N/min, +N or off");
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string part(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    auto bad = [&] {
      return Error(Errc::usage, "--resource-budget " + name + ": '" + part +
                                    "' is not N/call, N/min, +N (growth allowed in all) or off");
    };
    if (part == "off") {
      b.off = true;
      continue;
    }
    std::size_t used = 0;
    double v = 0;
    const std::string number = part.starts_with("+") ? part.substr(1) : part;
    try {
      v = std::stod(number, &used);
    } catch (const std::exception&) {
      return bad();
    }
    if (v < 0 || !std::isfinite(v)) return bad();
    const std::string unit = number.substr(used);
    if (part.starts_with("+") && unit.empty()) {
      b.allowance = v;
    } else if (unit == "/call") {
      b.per_call = v;
    } else if (unit == "/min") {
      b.per_min = v;
    } else {
      return bad();
    }
  }
  return std::pair{name, b};
}

}  // namespace mcpleak
