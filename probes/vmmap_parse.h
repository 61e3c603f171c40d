// The summary of macOS vmmap(1) (`vmmap -summary PID`) turned into numbers: the
// physical-footprint lines and the REGION TYPE table. Pure: the caller runs the tool.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/result.h"

namespace mcpleak {

// One row of the REGION TYPE table ("MALLOC_SMALL"). Older vmmap versions print only
// VIRTUAL SIZE and REGION COUNT (or VIRTUAL alone), so the other columns are optional.
struct VmmapRegion {
  std::string name;
  std::uint64_t virtual_bytes = 0;
  std::optional<std::uint64_t> resident_bytes;
  std::optional<std::uint64_t> dirty_bytes;
  std::optional<std::uint64_t> swapped_bytes;   // compressed or swapped out
  std::optional<std::uint64_t> volatile_bytes;
  std::optional<std::uint64_t> nonvolatile_bytes;
  std::optional<std::uint64_t> empty_bytes;
  std::optional<std::uint32_t> region_count;
};

struct VmmapSummary {
  std::optional<std::uint64_t> physical_footprint_bytes;       // "Physical footprint:"
  std::optional<std::uint64_t> physical_footprint_peak_bytes;  // "Physical footprint (peak):"
  std::vector<VmmapRegion> regions;      // in the tool's order
  std::optional<VmmapRegion> total;      // the TOTAL row, when printed
  std::size_t skipped_lines = 0;         // rows that did not fit the header, left out
};

// Parses the summary's REGION TYPE table (the MALLOC ZONE table after it is ignored);
// in a full report (not -summary) the region lists before it, whose REGION TYPE headers
// carry START - END and [ VSIZE …], are skipped. A row that does not fit the header is
// skipped and counted.
// Columns are taken from the header, so the 8-column (VIRTUAL RESIDENT DIRTY SWAPPED
// VOLATILE NONVOL EMPTY REGION), 2-column and 1-column layouts all parse. Sizes use
// K, M, G or no unit (bytes). Missing footprint lines or TOTAL row stay nullopt.
// Errc::parse when there is no REGION TYPE summary table or none of its rows is readable.
Result<VmmapSummary> parse_vmmap_summary(std::string_view text);

}  // namespace mcpleak
