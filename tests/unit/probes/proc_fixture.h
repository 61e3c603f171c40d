// Test helpers for the /proc fixtures: load one, and read or edit a "Key: value" line
// with code that shares nothing with the parsers under test (istringstream, not
// probes/proc_line_parse.h), so a value checked against it is computed independently.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace mcpleak::test {

inline std::string read_proc_fixture(const std::string& name) {
  std::ifstream in(std::string(MCPLEAK_FIXTURES_DIR) + "/proc/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The text after "key:" on the first line starting with it, blanks trimmed.
inline std::optional<std::string> line_value(const std::string& text, const std::string& key) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.compare(0, key.size() + 1, key + ":") != 0) continue;
    const auto first = line.find_first_not_of(" \t", key.size() + 1);
    return first == std::string::npos ? std::string() : line.substr(first);
  }
  return std::nullopt;
}

// The leading integer of that line's value ("1668 kB" -> 1668).
inline std::optional<std::uint64_t> line_number(const std::string& text, const std::string& key) {
  const auto value = line_value(text, key);
  if (!value) return std::nullopt;
  std::istringstream in(*value);
  std::uint64_t n = 0;
  if (!(in >> n)) return std::nullopt;
  return n;
}

// The text with the "key:" line removed, or its value replaced.
inline std::string edit_line(const std::string& text, const std::string& key,
                             const std::optional<std::string>& new_value) {
  std::istringstream lines(text);
  std::string line, out;
  while (std::getline(lines, line)) {
    if (line.compare(0, key.size() + 1, key + ":") == 0) {
      if (!new_value) continue;
      line = key + ":\t" + *new_value;
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace mcpleak::test
