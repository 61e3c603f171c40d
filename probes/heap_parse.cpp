#include "probes/heap_parse.h"

#include <algorithm>
#include <array>
#include <map>

#include "probes/text_parse.h"

namespace mcpleak {
namespace {

using detail::parse_count;
using detail::parse_size;
using detail::split_lines;
using detail::split_words;
using detail::trim;

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool is_table_header(std::string_view line) {
  return line.find("COUNT") != std::string_view::npos && line.find("BYTES") != std::string_view::npos &&
         line.find("CLASS_NAME") != std::string_view::npos;
}

// The TYPE column's values. A class name may hold spaces and parentheses, and a row
// whose name is wider than its column pushes TYPE and BINARY right, so the type is found
// as the last of these words that has at most the binary after it.
bool is_kind(std::string_view word) {
  static constexpr std::array<std::string_view, 6> kinds = {"ObjC", "CFType", "C", "C++", "Swift", "malloc"};
  return std::find(kinds.begin(), kinds.end(), word) != kinds.end();
}

// "All zones: 1304811 nodes (412377536 bytes)", "Zone X: 13993 nodes (164637440 bytes)",
// "All zones: 186 nodes (12K)".
bool parse_totals(std::string_view line, std::uint64_t& nodes, std::uint64_t& bytes) {
  const auto colon = line.find(": ");
  const auto open = line.find(" nodes (");
  if (colon == std::string_view::npos || open == std::string_view::npos || open < colon) return false;
  auto n = parse_count(trim(line.substr(colon + 2, open - colon - 2)));
  const auto close = line.find(')', open);
  if (!n || close == std::string_view::npos) return false;
  const auto words = split_words(line.substr(open + 8, close - open - 8));
  std::optional<std::uint64_t> b;
  if (words.size() == 2 && words[1] == "bytes") b = parse_size(words[0]);
  if (words.size() == 1) b = parse_size(words[0]);
  if (!b) return false;
  nodes = *n;
  bytes = *b;
  return true;
}

// `typed`: the header has TYPE and BINARY columns; in the older layout without them a
// name ending in "C" or "ObjC" is all name.
std::optional<HeapClass> parse_row(std::string_view line, bool typed) {
  const auto words = split_words(line);
  if (words.size() < 4) return std::nullopt;
  auto count = parse_count(words[0]);
  auto bytes = parse_size(words[1]);
  if (!count || !bytes || !parse_size(words[2]).has_value()) {
    // AVG is "427.9" or "1.5K"; parse_size takes both.
    return std::nullopt;
  }
  HeapClass c;
  c.count = *count;
  c.bytes = *bytes;
  std::size_t name_end = words.size();
  for (std::size_t i = words.size(); typed && i-- > 4;) {
    if (is_kind(words[i]) && words.size() - i <= 2) {
      c.kind = std::string(words[i]);
      if (i + 1 < words.size()) c.binary = std::string(words[i + 1]);
      name_end = i;
      break;
    }
  }
  // The name is the text from its first word to the last before TYPE, spaces kept.
  const auto first = words[3].data() - line.data();
  const auto last = words[name_end - 1].data() + words[name_end - 1].size() - line.data();
  c.name = std::string(line.substr(static_cast<std::size_t>(first), static_cast<std::size_t>(last - first)));
  return c;
}

}  // namespace

Result<HeapReport> parse_heap(std::string_view text) {
  HeapReport report;
  struct Table {
    bool all_zones = false;
    bool typed = false;  // TYPE and BINARY columns
    std::vector<HeapClass> rows;
  };
  std::vector<Table> tables;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> all_totals;
  std::uint64_t zone_nodes = 0, zone_bytes = 0;
  bool last_totals_all = false, in_table = false;
  for (std::string_view raw : split_lines(text)) {
    const std::string_view line = trim(raw);
    if (starts_with(line, "Process:")) {
      // "Process:         Python [8841]"
      const auto open = line.rfind('['), close = line.rfind(']');
      if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
        report.process = std::string(trim(line.substr(8, open - 8)));
        if (auto pid = parse_count(line.substr(open + 1, close - open - 1))) report.pid = static_cast<pid_t>(*pid);
      }
      continue;
    }
    if (report.pid == 0 && starts_with(line, "Process ") && line.find(" zones") != std::string_view::npos) {
      // "Process 25073: 3 zones"
      const auto colon = line.find(':');
      if (colon != std::string_view::npos) {
        if (auto pid = parse_count(line.substr(8, colon - 8))) report.pid = static_cast<pid_t>(*pid);
      }
      continue;
    }
    std::uint64_t nodes = 0, bytes = 0;
    if ((starts_with(line, "All zones:") || starts_with(line, "Zone ")) && parse_totals(line, nodes, bytes)) {
      last_totals_all = starts_with(line, "All zones:");
      if (last_totals_all) {
        all_totals = {nodes, bytes};
      } else {
        zone_nodes += nodes;
        zone_bytes += bytes;
      }
      in_table = false;
      continue;
    }
    if (is_table_header(line)) {
      tables.push_back({last_totals_all, line.find("TYPE") != std::string_view::npos, {}});
      in_table = true;
      continue;
    }
    if (!in_table) continue;
    if (line.empty() || starts_with(line, "---")) {
      in_table = false;
      continue;
    }
    if (starts_with(line, "=====")) continue;
    if (auto row = parse_row(line, tables.back().typed)) {
      tables.back().rows.push_back(std::move(*row));
    } else {
      ++report.skipped_lines;
    }
  }
  if (tables.empty()) return Error(Errc::parse, "no COUNT BYTES AVG CLASS_NAME table in heap output");
  // The all-zones table when printed; otherwise every zone's table, summed by class.
  const bool has_all = std::any_of(tables.begin(), tables.end(), [](const Table& t) { return t.all_zones; });
  std::map<std::string, std::size_t> index;
  for (const auto& t : tables) {
    if (has_all && !t.all_zones) continue;
    for (const auto& row : t.rows) {
      auto [it, added] = index.try_emplace(row.name, report.classes.size());
      if (added) {
        report.classes.push_back(row);
      } else {
        report.classes[it->second].count += row.count;
        report.classes[it->second].bytes += row.bytes;
      }
    }
    if (has_all) break;  // the first all-zones table
  }
  if (report.classes.empty()) return Error(Errc::parse, "heap's class table has no readable row");
  std::stable_sort(report.classes.begin(), report.classes.end(),
                   [](const HeapClass& a, const HeapClass& b) { return a.count > b.count; });
  if (all_totals) {
    report.total_nodes = all_totals->first;
    report.total_bytes = all_totals->second;
  } else if (zone_nodes > 0 || zone_bytes > 0) {
    report.total_nodes = zone_nodes;
    report.total_bytes = zone_bytes;
  }
  return report;
}

}  // namespace mcpleak
