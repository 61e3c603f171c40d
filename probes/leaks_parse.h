// macOS leaks(1) output: the leaked (unreachable) blocks of a process, with the report
// version, totals and — when the process ran with MallocStackLogging — each leak's
// allocation stack. Versions 2.0 to 4.0 of the report, with or without -quiet. Pure:
// the caller runs the tool.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/result.h"

namespace mcpleak {

struct LeakedBlock {
  std::uint64_t address = 0;
  std::uint64_t size = 0;
  std::string type;                 // "AXObserver  CFType  HIServices", "malloc in main", "" (unknown,
                                    // or only content was printed: 'length: 7  "10.2.13"')
  std::vector<std::string> stack;   // the allocation's "Call stack:" frames, innermost last
};

struct LeaksReport {
  std::string process;                      // "Python"
  pid_t pid = 0;
  std::optional<std::string> report_version;  // "2.0", "3.0", "4.0"
  std::uint64_t leak_count = 0;             // "Process 123: 4 leaks for 256 total leaked bytes."
  std::uint64_t leaked_bytes = 0;
  std::optional<std::uint64_t> nodes_malloced;  // "Process 123: 2345 nodes malloced for 345 KB"
  std::vector<LeakedBlock> blocks;          // as listed: "Leak:" lines, or every block of the 4.0
                                            // tree (roots and the blocks under them); may
                                            // be fewer than leak_count (not listed, -quiet)
  std::size_t skipped_lines = 0;
};

// Reads the totals, then every listed block: "Leak: ADDR size=N [zone: Z] TYPE" lines
// (reports before 2.0, 2.0 and 3.0, each optionally followed by "Call stack: [thread
// …]: | a | b"), or the 4.0 tree lines ("N (SIZE) ROOT LEAK: <TYPE ADDR> [N]", a bare
// ADDR, "field --> ROOT CYCLE: …", children below a root); a root takes the frames of
// the "STACK OF …" group above it. Lines before the totals (MallocStackLogging noise,
// the target's output, the header block — whose "Process:" may follow the target's
// last line without a newline) are read for the process name only. A block line that
// cannot be read is counted in skipped_lines and left out.
// Errc::parse when the "N leaks for M total leaked bytes" line is missing.
Result<LeaksReport> parse_leaks(std::string_view text);

}  // namespace mcpleak
