#include "probes/proc_line_parse.h"

#include <charconv>
#include <limits>

namespace mcpleak::detail {

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> parse_kb_as_bytes(std::string_view value) {
  constexpr std::string_view unit = "kB";
  if (value.size() < unit.size() || value.substr(value.size() - unit.size()) != unit)
    return std::nullopt;
  value.remove_suffix(unit.size());
  // The kernel pads between number and unit with one space; accept any blanks.
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  const auto kb = parse_decimal(value);
  if (!kb || *kb > std::numeric_limits<std::uint64_t>::max() / 1024) return std::nullopt;
  return *kb * 1024;
}

std::optional<pid_t> parse_pid(std::string_view text) {
  const auto v = parse_decimal(text);
  if (!v || *v == 0 || *v > static_cast<std::uint64_t>(std::numeric_limits<pid_t>::max()))
    return std::nullopt;
  return static_cast<pid_t>(*v);
}

}  // namespace mcpleak::detail
