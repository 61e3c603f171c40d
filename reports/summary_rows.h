// The numbers of a Report as (label, value) rows of plain, unescaped text: one table
// shared by summary.md and report.html so both say the same thing the same way.
#pragma once

#include <string>
#include <vector>

#include "harness/model/report.h"

namespace mcpleak::reports {

struct SummaryRow {
  std::string label;  // fixed text of ours
  std::string value;  // may hold server text: escape for the output format
};

// Footprint start/end/peak, RSS start/end, slopes, budget, per-call/session growth,
// retained, calls ok/failed, latency, duration, time to verdict, samples. Optional
// attributions are left out when absent; absent latency and verdict time read "n/a".
std::vector<SummaryRow> summary_rows(const Report& report);

// One line on how the judged window exercised the server: "168 of 170 calls ok (99%),
// longest stretch without a successful call 0.4 s (5 s allowed)"; "no call phase judged"
// for an idle-only run; "NOT EXERCISED: <reason>" when the rule was not met.
std::string exercise_summary(const Exercise& exercise);

// Per tool of the judged window: label = tool name (server text: escape it too), value = "ok 168, failed 2 (1 timed out)".
std::vector<SummaryRow> exercise_tool_rows(const Exercise& exercise);

// The first distinct call errors: "App: isError: no such app (170x, first at 5.2 s)".
std::vector<std::string> exercise_error_lines(const Exercise& exercise);

// One process of the tree as a table row; every field may hold server text (the name).
struct ProcessRow {
  std::string process;    // "python3 (pid 4313)"; transient: "osascript (3 processes, came and went)"
  std::string role;       // leader, child, descendant; transient: ""
  std::string footprint;  // "58.0 MiB -> 225 MiB"; transient: "peak 6.00 MiB"
  std::string growth;     // "+11.6 MiB/min (95% CI +11.2 to +12.0)"; transient: "n/a"
  std::string share;      // "98%" of the tree's growth, or "" when the tree does not grow
};

// The tree's processes, largest growth first, then the transient ones by name. Empty
// when the tree had only one process: a table would repeat the verdict.
std::vector<ProcessRow> process_rows(const Report& report);

// Server command (argv joined by spaces), name, pids, protocol, scenario, metric, platform,
// mcpleak's own cost.
std::vector<SummaryRow> run_rows(const RunInfo& run);

// "0.41% of a core (1.2 s CPU in 300 s), peak RSS 9.30 MiB; 1201 sampler ticks, median
// 0.31 ms, p99 5.90 ms, 0 missed"
std::string own_cost_line(const OwnCost& cost);

// The RSS-vs-footprint divergence warning, or "" when rss_diverges is false.
std::string divergence_warning(const Report& report);

// argv as one shell-style line: arguments with spaces or shell characters are single-
// quoted, so `--directory "/Users/me/macos mcp"` does not read as two arguments.
std::string command_line(const std::vector<std::string>& argv);

// One line: CR, LF and tab become spaces (for text lists built from several strings).
std::string one_line(std::string text);

// "+3.5" for a counter's growth per minute: signed, no unit.
std::string format_signed_number(double value);

}  // namespace mcpleak::reports
