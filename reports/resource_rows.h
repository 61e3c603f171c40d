// Leaks beyond memory as rows and a chart, shared by summary.md and report.html: one
// row per counted resource (processes, fds, threads, orphans), one per orphaned process,
// one per reconnect cycle. Plain, unescaped text; escape for the output format.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "harness/model/report.h"
#include "harness/model/sample.h"
#include "reports/svg_chart.h"

namespace mcpleak::reports {

struct ResourceRow {
  std::string resource;  // "fds"
  std::string verdict;   // "leaking"
  std::string levels;    // "8 → 1,208 (peak 1,210)"
  std::string growth;    // "+1.00/call, +600/min"; orphans: "1.00 per reconnect"
  std::string budget;    // "0/call, +4 in all"
  std::string why;
};
std::vector<ResourceRow> resource_rows(const Report& report);

// One process left behind; every field but age and footprint may hold server text.
struct OrphanRow {
  std::string process;    // "chrome_crashpad (pid 4313, parent 1)"
  std::string command;    // redacted command line
  std::string age;        // "3.2 s"
  std::string footprint;  // "5.20 MiB"
  std::string fate;       // "survived, cleaned up" | "exited in grace" | "survived, kept (--keep-orphans)"
  std::string cycle;      // "" at the run's end, else the reconnect cycle
};
std::vector<OrphanRow> orphan_rows(const Report& report);

// What the disconnect check did, one line: "stdin closed, SIGTERM after 2 s; 1 process of
// the tree survived the 2 s grace (cleaned up)", or why there was no check. "" when the
// run has no check at all (older run folders).
std::string orphan_check_line(const Report& report);

// One row per reconnect cycle: label "cycle 3", value "3 calls ok; 2 alive after it (8.0 MiB)".
struct CycleRow {
  std::string label;
  std::string value;
};
std::vector<CycleRow> reconnect_rows(const Report& report);

// processes, fds and threads of the tree over time, one line each; no lines when the
// samples carry none of them.
Chart resources_chart(std::span<const Sample> samples);

}  // namespace mcpleak::reports
