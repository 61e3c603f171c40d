// parse_footprint: footprint(1) text -> FootprintReport. The table is read by its header
// row so that extra columns (--swapped, --wired) or a missing one do not shift values.
#include "probes/footprint_parse.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "probes/text_parse.h"

namespace mcpleak {
namespace {

using detail::is_size_unit;
using detail::parse_count;
using detail::parse_size;
using detail::split_lines;
using detail::split_words;
using detail::trim;

// Reads one size starting at words[i]: "6288 KB", "0 B", "16777216" or "16.4M".
// Advances i past what it used.
std::optional<std::uint64_t> take_size(const std::vector<std::string_view>& words,
                                       std::size_t& i) {
  if (i >= words.size()) return std::nullopt;
  if (i + 1 < words.size() && is_size_unit(words[i + 1])) {
    auto value = parse_size(words[i], words[i + 1]);
    if (value) i += 2;
    return value;
  }
  auto value = parse_size(words[i]);
  if (value) ++i;
  return value;
}

// "ruby [3644]: 64-bit    Footprint: 42 MB (16384 bytes per page)"
Result<void> parse_header(std::string_view line, FootprintReport& report) {
  const auto at = line.find("Footprint:");
  const auto open = line.find('[');
  const auto close = line.find(']', open == std::string_view::npos ? 0 : open);
  if (open != std::string_view::npos && close != std::string_view::npos && open < at) {
    report.process = std::string(trim(line.substr(0, open)));
    auto pid = parse_count(line.substr(open + 1, close - open - 1));
    if (pid) report.pid = static_cast<pid_t>(*pid);
  }
  const auto words = split_words(line.substr(at + 10));
  std::size_t i = 0;
  auto total = take_size(words, i);
  if (!total) return Error(Errc::parse, "unreadable size after Footprint:");
  report.footprint_bytes = *total;
  if (i + 3 < words.size() && words[i].size() > 1 && words[i].front() == '(' &&
      words[i + 1] == "bytes" && words[i + 2] == "per") {
    if (auto page = parse_count(words[i].substr(1))) report.page_size_bytes = *page;
  }
  return {};
}

struct Column {
  std::string name;   // "Dirty", "Clean", "Reclaimable", "Regions", "Swapped", ...
  bool is_count = false;
};

Result<FootprintCategory> parse_row(std::string_view line, const std::vector<Column>& columns) {
  const auto words = split_words(line);
  FootprintCategory row;
  std::size_t i = 0;
  for (const Column& column : columns) {
    std::optional<std::uint64_t> value;
    if (column.is_count) {
      if (i < words.size()) value = parse_count(words[i]);
      if (value) ++i;
    } else {
      value = take_size(words, i);
    }
    if (!value) return Error(Errc::parse, "row does not match the column header: " + std::string(trim(line)));
    if (column.name == "Dirty") row.dirty_bytes = *value;
    else if (column.name == "Clean") row.clean_bytes = *value;
    else if (column.name == "Reclaimable") row.reclaimable_bytes = *value;
    else if (column.name == "Regions") row.regions = static_cast<std::uint32_t>(*value);
    else row.extra_bytes[column.name] = *value;
  }
  // The category is the rest of the line, spaces and quotes included.
  if (i >= words.size()) return Error(Errc::parse, "row without a category: " + std::string(trim(line)));
  const auto from = static_cast<std::size_t>(words[i].data() - line.data());
  row.name = std::string(trim(line.substr(from)));
  return row;
}

bool is_rule(std::string_view line) {
  // "    ---        ---          ---        ---    ---"
  const auto words = split_words(line);
  return !words.empty() && std::all_of(words.begin(), words.end(), [](std::string_view w) {
    return w.find_first_not_of('-') == std::string_view::npos;
  });
}

// "    phys_footprint_peak: 45 MB"
std::optional<std::uint64_t> aux_value(std::string_view line, std::string_view key) {
  const auto t = trim(line);
  if (t.size() <= key.size() || t.substr(0, key.size()) != key || t[key.size()] != ':')
    return std::nullopt;
  const auto words = split_words(t.substr(key.size() + 1));
  std::size_t i = 0;
  return take_size(words, i);
}

}  // namespace

namespace {

bool is_process_header(std::string_view line) {
  // "Python [8841]: 64-bit    Footprint: …", not "Summary Footprint: 368056728 B".
  const auto at = line.find("Footprint:");
  return at != std::string_view::npos && line.find('[') < at && trim(line).substr(0, 8) != "Summary ";
}

// One process's block: lines[first] is its header, the block ends before `last`.
Result<FootprintReport> parse_block(const std::vector<std::string_view>& lines, std::size_t first,
                                    std::size_t last) {
  FootprintReport report;
  if (auto header = parse_header(lines[first], report); !header) return header.error();
  std::size_t n = first + 1;
  // The column header: "Dirty  Clean  Reclaimable  Regions  Category". --noCategories
  // prints none: the header line and the auxiliary data are the report.
  std::vector<Column> columns;
  for (; n < last; ++n) {
    const auto words = split_words(lines[n]);
    if (words.size() >= 2 && words.front() == "Dirty" && words.back() == "Category") {
      for (std::size_t w = 0; w + 1 < words.size(); ++w) {
        // --swapped and --wired print their column as "(Swapped)" / "(Wired)": part of Dirty.
        std::string_view name = words[w];
        if (name.size() > 2 && name.front() == '(' && name.back() == ')') name = name.substr(1, name.size() - 2);
        columns.push_back({std::string(name), name == "Regions"});
      }
      break;
    }
  }
  if (columns.empty()) n = first + 1;
  // Rows until the second rule, then TOTAL; the first rule sits under the header. A row
  // that does not fit is skipped and counted.
  int rules_seen = 0;
  for (++n; !columns.empty() && n < last; ++n) {
    const auto line = lines[n];
    if (trim(line).empty()) {
      if (rules_seen > 0 && !report.categories.empty()) break;
      continue;
    }
    if (is_rule(line)) {
      ++rules_seen;
      continue;
    }
    if (trim(line).substr(0, 15) == "Auxiliary data:") break;
    auto row = parse_row(line, columns);
    if (!row) {
      ++report.skipped_lines;
      continue;
    }
    if (rules_seen >= 2 && row->name == "TOTAL") {
      report.total = std::move(*row);
      ++n;
      break;
    }
    report.categories.push_back(std::move(*row));
  }
  for (n = first + 1; n < last; ++n) {
    if (auto peak = aux_value(lines[n], "phys_footprint_peak")) report.phys_footprint_peak_bytes = peak;
    else if (auto now = aux_value(lines[n], "phys_footprint")) report.phys_footprint_bytes = now;
  }
  return report;
}

// Where a process block ends when no other process follows: the summary of a
// several-process call ("Summary Footprint: …" and its own category table) and the
// "Shared Cache <UUID>" blocks belong to no process.
bool ends_process_blocks(std::string_view line) {
  const auto t = trim(line);
  return t.substr(0, 18) == "Summary Footprint:" || t.substr(0, 13) == "Shared Cache ";
}

// Each process block as [first, last): its header line to the next header or the end
// of the process part.
std::vector<std::pair<std::size_t, std::size_t>> process_blocks(const std::vector<std::string_view>& lines) {
  std::vector<std::pair<std::size_t, std::size_t>> blocks;
  for (std::size_t n = 0; n < lines.size(); ++n) {
    if (is_process_header(lines[n])) {
      if (!blocks.empty() && blocks.back().second > n) blocks.back().second = n;
      blocks.emplace_back(n, lines.size());
    } else if (!blocks.empty() && blocks.back().second == lines.size() && ends_process_blocks(lines[n])) {
      blocks.back().second = n;
    }
  }
  return blocks;
}

}  // namespace

Result<std::vector<FootprintReport>> parse_footprint_all(std::string_view text) {
  const auto lines = split_lines(text);
  const auto blocks = process_blocks(lines);
  if (blocks.empty()) return Error(Errc::parse, "no Footprint: header");
  std::vector<FootprintReport> reports;
  std::optional<Error> first_error;
  for (const auto& [first, last] : blocks) {
    if (auto r = parse_block(lines, first, last)) {
      reports.push_back(std::move(*r));
    } else if (!first_error) {
      first_error = Error(r.error()).with("line " + std::to_string(first + 1));
    }
  }
  if (reports.empty()) return *first_error;
  return reports;
}

Result<FootprintReport> parse_footprint(std::string_view text) {
  auto all = parse_footprint_all(text);
  if (!all) return all.error();
  return std::move(all->front());
}

std::optional<std::uint64_t> parse_footprint_summary(std::string_view text) {
  for (std::string_view line : split_lines(text)) {
    const auto t = trim(line);
    if (t.substr(0, 18) != "Summary Footprint:") continue;
    const auto words = split_words(t.substr(18));
    std::size_t i = 0;
    return take_size(words, i);
  }
  return std::nullopt;
}

}  // namespace mcpleak
