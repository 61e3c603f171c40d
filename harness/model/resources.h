// Leaks beyond memory: the counted resources of the server's tree (processes, open file
// descriptors, threads), the processes it leaves behind when it is disconnected
// (orphans), and the per-cycle record of a reconnect scenario. Plain values for
// report.json `resources`, `orphans` and run.json.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/model/interval.h"

namespace mcpleak {

// What growth a counted resource may show before it leaks (--resource-budget NAME=...).
// The rate budget is per call plus per minute; `allowance` is the net growth over the
// judged window that is never a leak (a pool that fills, a lazily opened log file).
struct ResourceBudget {
  double per_call = 0;
  double per_min = 0;
  double allowance = 0;
  bool off = false;  // not judged: reported, never decides the verdict
};

// The defaults: counts may not grow steadily at all; a few units of net growth are
// warm-up (fds 4, threads 2, processes 1, orphans 0).
std::map<std::string, ResourceBudget> default_resource_budgets();

// The verdict on one resource.
struct ResourceVerdict {
  std::string name;        // "processes" | "fds" | "threads" | "mach_ports" | "orphans" | "class AX*"
  std::string verdict;     // "bounded" | "leaking" | "inconclusive" | "not judged"
  std::string why;         // one clause
  std::string headline;    // for verdict lines: "fds +1.00 per call (8 → 1,208)"
  double start = 0;        // at the start of the judged window (median of its first points)
  double end = 0;          // at its end
  double peak = 0;         // largest value seen after warm-up
  double per_min = 0;      // Theil–Sen slope over the judged window
  Interval ci95_per_min;
  std::optional<double> per_call;     // slope against calls, when calls were made
  std::optional<double> per_session;  // per reconnect cycle (orphans) or session
  std::string driver;      // "calls" | "time" | "reconnects" | "none"
  std::string budget;      // the budget as text: "0/call, +4"
  std::uint64_t points = 0;
};

// A process of the server's tree still alive after the server was disconnected (stdin
// closed, SIGTERM to the process mcpleak started) and the grace period had passed.
struct OrphanProcess {
  pid_t pid = 0;
  pid_t ppid = 0;                  // its parent when found (1 or mcpleak once reparented)
  std::string name;
  std::string command;             // redacted
  double age_s = 0;                // since it started, when found
  std::uint64_t footprint_bytes = 0;
  int cycle = 0;                   // the reconnect cycle that left it (0: the run's end)
  // "survived" (alive past the grace), or "exited in grace" (a helper that went away
  // on its own after the server did: listed, never counted).
  std::string fate;
  bool cleaned_up = false;         // mcpleak terminated it afterwards (not with --keep-orphans)
};

// What the disconnect at the end of a run (or of each reconnect cycle) found.
struct OrphanCheck {
  // "done", or why not: "attached: mcpleak does not disconnect a server it did not
  // start", "the run was interrupted before the check", ...
  std::string status;
  double grace_s = 0;
  bool leader_needed_sigterm = false;  // did not exit on stdin close within the grace
  bool leader_needed_sigkill = false;
  bool kept = false;                   // --keep-orphans: survivors left running
  std::vector<OrphanProcess> processes;
};

// One cycle of the reconnect scenario: start, initialize, a few calls, disconnect.
struct ReconnectCycle {
  int cycle = 0;                        // 1-based
  double start_s = 0;
  double end_s = 0;
  std::uint64_t calls_ok = 0;
  std::uint64_t calls_failed = 0;
  std::string error;                    // empty when the cycle ran as planned
  std::uint64_t survivors = 0;          // alive after this cycle's grace, all cycles so far
  std::uint64_t survivors_footprint_bytes = 0;  // their footprint summed
};

}  // namespace mcpleak
