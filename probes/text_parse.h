// Text helpers shared by the parsers of Apple's tool outputs (footprint, vmmap, sample):
// lines, words, and sizes as those tools print them ("16.4G", "6288 KB", "759"). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace mcpleak::detail {

// Lines without their '\n' (and a trailing '\r'); views into `text`.
std::vector<std::string_view> split_lines(std::string_view text);
// Whitespace-separated words; views into `line`.
std::vector<std::string_view> split_words(std::string_view line);
std::string_view trim(std::string_view s);

// One size token, optionally followed by a separate unit token ("6288", "KB").
// Units are binary (K = 1024), as footprint(1) and vmmap(1) use them; accepted:
// B, K, KB, M, MB, G, GB, T, TB (any case) and none (plain bytes). Fractions are
// rounded to the nearest byte ("16.4G"). nullopt for anything else, including a
// negative or out-of-range value.
std::optional<std::uint64_t> parse_size(std::string_view number, std::string_view unit = {});

// True when `token` alone is a unit word that parse_size accepts ("KB", "B").
bool is_size_unit(std::string_view token);

// A plain non-negative decimal integer ("4187"); nullopt otherwise.
std::optional<std::uint64_t> parse_count(std::string_view token);

}  // namespace mcpleak::detail
