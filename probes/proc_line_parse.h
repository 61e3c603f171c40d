// Shared pieces of the pure /proc text parsers: walking "Key:  value" lines and reading
// decimal and "N kB" values with overflow checks. Opens nothing; internal to probes/.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace mcpleak::detail {

// One "Key:<whitespace>value" line of /proc/PID/status or smaps_rollup.
struct ProcLine {
  std::string_view key;
  std::string_view value;  // leading and trailing blanks removed
};

// Splits text at '\n' and hands each line holding a ':' to fn(ProcLine). Lines without
// a ':' and lines starting with '#' are skipped: /proc never writes '#', and fixtures
// keep their provenance in a leading "# ..." comment line.
template <class Fn>
void for_each_proc_line(std::string_view text, Fn&& fn) {
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    if (line.empty() || line.front() == '#') continue;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r'))
      value.remove_suffix(1);
    fn(ProcLine{line.substr(0, colon), value});
  }
}

// Whole text is a base-10 unsigned number (no sign, no blanks); nullopt on anything
// else, including overflow of uint64.
std::optional<std::uint64_t> parse_decimal(std::string_view text);

// "1668 kB" -> 1668 * 1024 bytes. Exactly digits, blanks, "kB"; nullopt otherwise or on
// overflow.
std::optional<std::uint64_t> parse_kb_as_bytes(std::string_view value);

// A positive pid as /proc prints it (a directory name, a children-file token); nullopt
// for 0, anything non-numeric, or more than pid_t holds.
std::optional<pid_t> parse_pid(std::string_view text);

}  // namespace mcpleak::detail
