// The text table of macOS footprint(1) (`footprint -f bytes PID`, or the default
// human-readable units) turned into numbers. Pure: the caller runs the tool.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/result.h"

namespace mcpleak {

// One row of the table: a memory category ("MALLOC_SMALL", "untagged (\"VM_ALLOCATE\")").
struct FootprintCategory {
  std::string name;
  std::uint64_t dirty_bytes = 0;
  std::uint64_t clean_bytes = 0;
  std::uint64_t reclaimable_bytes = 0;
  std::uint32_t regions = 0;
  // Any further size column the tool printed (--swapped, --wired): header word, without
  // its parentheses ("Swapped"), -> bytes.
  std::map<std::string, std::uint64_t> extra_bytes;
};

struct FootprintReport {
  std::string process;                      // "ruby"
  pid_t pid = 0;                            // from "ruby [3644]"
  std::uint64_t footprint_bytes = 0;        // header "Footprint: 42 MB"
  std::optional<std::uint64_t> page_size_bytes;     // "(16384 bytes per page)"
  std::vector<FootprintCategory> categories;        // in the tool's order (largest first)
  std::optional<FootprintCategory> total;           // the TOTAL row, when printed
  // "Auxiliary data:" lines of newer footprint versions.
  std::optional<std::uint64_t> phys_footprint_bytes;
  std::optional<std::uint64_t> phys_footprint_peak_bytes;
  // Table rows that did not fit the column header: skipped, the rest kept.
  std::size_t skipped_lines = 0;
};

// Parses every process block of footprint's text output: one per process ("NAME [PID]:
// 64-bit    Footprint: …", as `footprint -p A -p B` or a whole tree prints them), each
// with its category table when printed (not with --noCategories) and its "Auxiliary
// data". The "Summary Footprint" block after several processes (with its own category
// table) and "Shared Cache" blocks belong to no process and are not read here. Sizes
// may carry the units B, KB, MB, GB (or K, M, G) or none. Extra columns are keyed by
// their header word without parentheses ("(Swapped)" -> "Swapped"). A table row that
// does not fit the header's columns is skipped and counted (skipped_lines). Errc::parse
// when no block has a readable "Footprint:" header.
Result<std::vector<FootprintReport>> parse_footprint_all(std::string_view text);
// The first process block of parse_footprint_all.
Result<FootprintReport> parse_footprint(std::string_view text);
// "Summary Footprint: 368056728 B", printed after several processes; nullopt without it.
std::optional<std::uint64_t> parse_footprint_summary(std::string_view text);

}  // namespace mcpleak
