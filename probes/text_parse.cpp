// Lines, words and size tokens of footprint(1), vmmap(1) and sample(1) output.
#include "probes/text_parse.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace mcpleak::detail {
namespace {

std::optional<std::uint64_t> unit_multiplier(std::string_view unit) {
  std::string u;
  for (char c : unit) u.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (u.empty() || u == "B") return 1;
  if (u == "K" || u == "KB") return 1ull << 10;
  if (u == "M" || u == "MB") return 1ull << 20;
  if (u == "G" || u == "GB") return 1ull << 30;
  if (u == "T" || u == "TB") return 1ull << 40;
  return std::nullopt;
}

}  // namespace

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    const std::size_t start = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_size_unit(std::string_view token) {
  return !token.empty() && unit_multiplier(token).has_value();
}

std::optional<std::uint64_t> parse_count(std::string_view token) {
  if (token.empty()) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> parse_size(std::string_view number, std::string_view unit) {
  // The unit may be glued on ("16.4G") or a separate token ("16 MB"), not both.
  std::size_t digits = 0;
  while (digits < number.size() &&
         (std::isdigit(static_cast<unsigned char>(number[digits])) || number[digits] == '.'))
    ++digits;
  if (digits == 0) return std::nullopt;
  const std::string_view glued = number.substr(digits);
  if (!glued.empty() && !unit.empty()) return std::nullopt;
  auto multiplier = unit_multiplier(glued.empty() ? unit : glued);
  if (!multiplier) return std::nullopt;

  const std::string_view numeric = number.substr(0, digits);
  if (numeric.find('.') == std::string_view::npos) {
    auto whole = parse_count(numeric);
    if (!whole || *whole > UINT64_MAX / *multiplier) return std::nullopt;
    return *whole * *multiplier;
  }
  // NOTE: from_chars for double is missing from Apple's libc++ before macOS 13.3's
  // SDK, so fractions go through strtod on a NUL-terminated copy.
  const std::string copy(numeric);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !(value >= 0)) return std::nullopt;
  const double bytes = std::round(value * static_cast<double>(*multiplier));
  if (bytes >= 18446744073709551615.0) return std::nullopt;
  return static_cast<std::uint64_t>(bytes);
}

}  // namespace mcpleak::detail
