// parse_vmmap_summary: `vmmap -summary` text -> VmmapSummary. A row's name may contain
// spaces and parentheses ("MALLOC_LARGE (empty)") and may be followed by a remark
// ("see MALLOC ZONE table below"), so a row is split where the header's run of numeric
// columns first fits, not at fixed offsets.
#include "probes/vmmap_parse.h"

#include "probes/text_parse.h"

namespace mcpleak {
namespace {

using detail::parse_count;
using detail::parse_size;
using detail::split_lines;
using detail::split_words;
using detail::trim;

enum class Col { virtual_size, resident, dirty, swapped, volatile_size, nonvol, empty, count, unknown };

Col column_for(std::string_view word) {
  if (word == "VIRTUAL") return Col::virtual_size;
  if (word == "RESIDENT") return Col::resident;
  if (word == "DIRTY") return Col::dirty;
  if (word == "SWAPPED") return Col::swapped;
  if (word == "VOLATILE") return Col::volatile_size;
  if (word == "NONVOL") return Col::nonvol;
  if (word == "EMPTY") return Col::empty;
  if (word == "REGION" || word == "COUNT") return Col::count;
  return Col::unknown;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_rule(std::string_view line) {
  const auto t = trim(line);
  return !t.empty() && t.find_first_not_of("= ") == std::string_view::npos;
}

// "Physical footprint (peak):  6204K" -> bytes.
std::optional<std::uint64_t> value_after(std::string_view line, std::string_view key) {
  const auto t = trim(line);
  if (!starts_with(t, key)) return std::nullopt;
  const auto words = split_words(t.substr(key.size()));
  if (words.empty()) return std::nullopt;
  return parse_size(words[0]);
}

// Finds the first position where every column parses; fills `row` from there.
bool fill_row(const std::vector<std::string_view>& words, const std::vector<Col>& columns,
              VmmapRegion& row) {
  for (std::size_t start = 1; start + columns.size() <= words.size(); ++start) {
    VmmapRegion candidate;
    bool fits = true;
    for (std::size_t c = 0; c < columns.size() && fits; ++c) {
      const auto word = words[start + c];
      if (columns[c] == Col::count) {
        auto n = parse_count(word);
        fits = n.has_value();
        if (fits) candidate.region_count = static_cast<std::uint32_t>(*n);
        continue;
      }
      auto bytes = parse_size(word);
      fits = bytes.has_value();
      if (!fits) break;
      switch (columns[c]) {
        case Col::virtual_size: candidate.virtual_bytes = *bytes; break;
        case Col::resident: candidate.resident_bytes = bytes; break;
        case Col::dirty: candidate.dirty_bytes = bytes; break;
        case Col::swapped: candidate.swapped_bytes = bytes; break;
        case Col::volatile_size: candidate.volatile_bytes = bytes; break;
        case Col::nonvol: candidate.nonvolatile_bytes = bytes; break;
        case Col::empty: candidate.empty_bytes = bytes; break;
        case Col::count: case Col::unknown: break;
      }
    }
    if (!fits) continue;
    const auto first = words.front();
    const auto last = words[start - 1];
    candidate.name = std::string(first.data(), last.data() + last.size() - first.data());
    row = std::move(candidate);
    return true;
  }
  return false;
}

}  // namespace

Result<VmmapSummary> parse_vmmap_summary(std::string_view text) {
  const auto lines = split_lines(text);
  VmmapSummary summary;
  std::size_t n = 0;
  for (; n < lines.size(); ++n) {
    if (auto peak = value_after(lines[n], "Physical footprint (peak):")) {
      summary.physical_footprint_peak_bytes = peak;
    } else if (auto now = value_after(lines[n], "Physical footprint:")) {
      summary.physical_footprint_bytes = now;
    }
    // A full report lists its regions first under headers of their own
    // ("REGION TYPE  START - END  [ VSIZE RSDNT DIRTY SWAP] PRT/MAX ..."); the summary
    // table's header has sizes only.
    const auto t = trim(lines[n]);
    if (starts_with(t, "REGION TYPE") && t.find("START") == std::string_view::npos &&
        t.find('[') == std::string_view::npos) {
      break;
    }
  }
  if (n == lines.size()) return Error(Errc::parse, "no REGION TYPE summary table");

  // Two-line header: column names on the line above ("VIRTUAL RESIDENT ... REGION"),
  // "SIZE ... COUNT" on the REGION TYPE line. One-line header: names on this line.
  std::vector<Col> columns;
  const auto own = split_words(trim(lines[n]).substr(11));
  const auto above = n > 0 ? split_words(lines[n - 1]) : std::vector<std::string_view>{};
  const bool two_line = !above.empty() && column_for(above.front()) != Col::unknown;
  for (auto word : two_line ? above : own) {
    const Col col = column_for(word);
    if (col == Col::count && !columns.empty() && columns.back() == Col::count) continue;
    columns.push_back(col);
  }
  if (columns.empty() || columns.front() != Col::virtual_size)
    return Error(Errc::parse, "REGION TYPE header has no VIRTUAL column");
  for (Col col : columns)
    if (col == Col::unknown) return Error(Errc::parse, "unknown column in REGION TYPE header");

  int rules_seen = 0;
  for (++n; n < lines.size(); ++n) {
    const auto line = lines[n];
    if (is_rule(line)) {
      ++rules_seen;
      continue;
    }
    if (trim(line).empty()) {
      if (!summary.regions.empty()) break;
      continue;
    }
    const auto words = split_words(line);
    VmmapRegion row;
    if (!fill_row(words, columns, row)) {
      ++summary.skipped_lines;  // one unreadable row does not lose the table
      continue;
    }
    if (row.name == "TOTAL") {
      summary.total = std::move(row);
      continue;  // "TOTAL, minus reserved VM space" may follow
    }
    if (starts_with(row.name, "TOTAL")) continue;
    if (rules_seen >= 2) break;
    summary.regions.push_back(std::move(row));
  }
  if (summary.regions.empty()) return Error(Errc::parse, "REGION TYPE table has no readable rows");
  return summary;
}

}  // namespace mcpleak
