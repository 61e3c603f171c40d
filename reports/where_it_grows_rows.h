// "Where it grows" as plain, unescaped text shared by summary.md and report.html: one
// headline, one row per growing site or type, the lines under the table, and the next
// command a leaking verdict without attribution should offer.
#pragma once

#include <string>
#include <vector>

#include "harness/model/report.h"

namespace mcpleak::reports {

struct SiteRow {
  std::string site;        // "_remember (server.py:18)"; server text: escape it
  std::string per_call;    // "+16.0 KiB/call, +1.00 objects/call"
  std::string share;       // "98%" of the footprint's growth, or "n/a"
  std::string stack;       // the first frames below the site: "_record (server.py:22) < tool_leak (...)"
  std::string process;     // "pid 4313 (python)"
};

// "instrumented run attribution/ (python hooks, 5 checkpoints every 40 calls): the sites
// below explain 98% ..." or "unavailable: <why>".
std::string where_it_grows_headline(const WhereItGrows& w);
std::vector<SiteRow> site_rows(const WhereItGrows& w);
// A heap-snapshot diff's retained objects, one row per constructor (Node).
struct RetainedRow {
  std::string constructor;  // "Array (object)"; server text: escape it
  std::string count;        // "160 (+1.00/call)"
  std::string bytes;        // self sizes: "2.56 MiB"
  std::string path;         // "system / Context → seenRequests → Array → [41] → Object → payload → Array"
};
// "pid 4313: 1,204 objects allocated between calls 140 and 180 and still alive at 260"
std::string heap_diff_headline(const HeapSnapshotDiff& d);
std::vector<RetainedRow> retained_rows(const HeapSnapshotDiff& d);

// "builtins.bytearray +1.00/call (+16.0 KiB/call shallow), pid 4313".
std::vector<std::string> type_lines(const WhereItGrows& w);
// The hooked processes (with their live-heap series' verdict beside the footprint's),
// the overhead and the limits, one line each.
std::vector<std::string> where_it_grows_notes(const Report& r);

// One line for the terminal after the verdict: "where it grows: _remember (server.py:22)
// +16.1 KiB/call, 100% of the growth (2 more sites in summary.md)", "where it grows:
// unavailable: <why>", "where it grows: no site grows steadily ..."; "" without attribution.
std::string where_it_grows_line(const Report& r);

// The command that re-runs with attribution, for a leaking verdict whose report has
// none: the run's own invocation with `--attribute auto` after the subcommand. Empty
// when there is nothing to offer.
std::string attribution_next_step(const Report& r);

}  // namespace mcpleak::reports
