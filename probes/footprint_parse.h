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
  // Any further size column the tool printed (--swapped, --wired): header word -> bytes.
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
};

// Parses the first process section of footprint's text output. Sizes may carry the
// units B, KB, MB, GB (or K, M, G) or none. Errc::parse when there is no
// "Footprint:" header or no "Dirty ... Category" table header, or when a table row
// does not fit the header's columns.
Result<FootprintReport> parse_footprint(std::string_view text);

}  // namespace mcpleak
