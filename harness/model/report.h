// What a finished (or interrupted) run concluded: the input of every report writer.
// Field names follow report.json (schema mcpleak.report/1, DESIGN.md); never rename them.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/model/exercise.h"
#include "harness/model/interval.h"
#include "harness/model/own_cost.h"
#include "harness/model/processes.h"
#include "harness/model/resources.h"
#include "harness/model/where_it_grows.h"

namespace mcpleak {

enum class Verdict { bounded, leaking, inconclusive, server_failed };

// "bounded", "leaking", "inconclusive", "server-failed".
const char* verdict_name(Verdict v);
// Exit code of `mcpleak run` for a verdict: 0 bounded, 1 leaking, 3 server-failed, 4 inconclusive.
int verdict_exit_code(Verdict v);

// One phase of the scenario as it actually ran.
struct PhaseInfo {
  std::string name;
  bool idle = false;              // no tool calls in this phase
  double start_s = 0;
  double end_s = 0;
  double call_interval_s = 0;     // planned time between calls (1 / rate); 0 when idle or unknown
  std::string session_close;      // "delete" | "abandon" for a phase that ends sessions; else empty
  // Calls came when a client outside mcpleak sent them (`mcpleak watch`): no planned
  // cadence, so no gap between calls says the server stopped answering.
  bool client_driven = false;
};

// A limit of `mcpleak watch` that a watched session crossed, and what was done about it.
struct WatchdogEvent {
  std::string trigger;             // "max-footprint" | "max-growth"
  std::string detail;              // "footprint 104.9 MB > --max-footprint 100 MB"
  double sample_t_s = 0;           // the sample that crossed it
  std::uint64_t footprint_bytes = 0;
  std::string action;              // "warn" | "kill"
  double acted_at_s = 0;           // when the action was taken (after the evidence)
  std::string evidence_dir;        // inside the run folder ("evidence-1"); empty when none
  std::vector<std::string> evidence_files;
  std::vector<std::string> evidence_notes;  // what could not be captured, and why
};

// Growth per session within one phase that ends sessions (analysis/session_growth.h).
struct PhaseSessionGrowth {
  std::string phase;
  std::string close;                        // "delete" | "abandon"
  std::uint64_t sessions = 0;               // ended in the phase after warm-up
  std::optional<double> bytes_per_session;  // empty with fewer than 3 sessions
};

// Facts about a run that are not samples: written to run.json by the runner so that
// `mcpleak report DIR` can re-analyse from files alone.
struct RunInfo {
  std::string scenario;                       // "snapshot-loop", or "--tool Snapshot"
  std::string scenario_source;                // the file it was read from (which install), or "--tool NAME"
  std::vector<std::string> server_command;    // argv as given
  std::vector<pid_t> server_pids;             // every pid seen in the tree
  std::string transport = "stdio";             // "stdio" | "streamable-http" | "none" (attached, sampled only)
  bool attached = false;                      // --attach: mcpleak did not start the server and never signals it
  std::string server_url;                     // streamable-http: the endpoint driven
  std::string server_name;                    // from initialize's serverInfo
  std::string protocol_version;               // negotiated
  // "2026-07-28" era (per-request _meta, server/discover, no handshake) or "initialize"
  // (the handshake of 2024-11-05 ... 2025-11-25); empty when the server was not reached.
  std::string protocol_era;
  std::vector<std::string> http_header_names; // --header names sent (values are never recorded)
  double budget_bytes_per_min = 0;
  double warmup_s = 0;
  double min_duration_s = 0;
  bool early_stop = true;                     // false with --no-early-stop
  std::string platform;                       // "linux-x86_64", "macos-arm64"
  std::string metric;                         // "RssAnon+VmSwap", "phys_footprint"
  std::vector<PhaseInfo> phases;
  double elapsed_s = 0;
  std::optional<double> stopped_early_at_s;   // set when the sequential test decided
  // What that look decided and why. It is the run's verdict: a group-sequential test
  // decides at the look, and the level it claims holds for that decision only.
  std::optional<Verdict> stopped_early_verdict;
  std::string stopped_early_reason;
  bool interrupted = false;                   // SIGINT/SIGTERM ended the run
  std::optional<std::string> server_failure;  // why the server failed; verdict server-failed
  // The scenario cannot run on this server (a tool it does not offer, sessions it cannot
  // have): mcpleak exits 2 and nothing was tested; the verdict is inconclusive and says so.
  std::optional<std::string> scenario_error;
  std::uint64_t non_json_lines = 0;           // stdout lines from the server that were not JSON
  // The exercise rule (--max-failed-calls, --max-call-gap): a bounded verdict needs at
  // most this fraction of the judged window's calls failed ...
  double max_failed_fraction = 0.05;
  // ... and no longer stretch without a successful call than this; empty: the default
  // max(5 s, 3 call intervals) per phase.
  std::optional<double> max_call_gap_s;
  // An attribution run (--attribute): the hooks it installed ("python", "node", "auto"),
  // empty for an uninstrumented run; and how it took its checkpoints.
  std::string instrumented;
  std::uint64_t attribute_every_calls = 0;
  int attribute_checkpoints = 0;
  // The mcpleak command line that made this run (redacted), to offer the next step.
  std::vector<std::string> invocation;
  // Leaks beyond memory: budgets that override the defaults (--resource-budget), what the
  // disconnect at the end found (a spawned server only), and the reconnect scenario's cycles.
  std::map<std::string, ResourceBudget> resource_budgets;
  // Class-name globs whose live object count must stay bounded (--bounded-class, the
  // scenario's "bounded_classes"): judged like a resource (macOS heap(1) readings).
  std::vector<std::string> bounded_classes;
  std::optional<OrphanCheck> orphan_check;
  std::vector<ReconnectCycle> reconnect_cycles;
  // What mcpleak's own process and sampler cost over the run; empty for runs that
  // sampled nothing (and for run.json files written before it was recorded).
  std::optional<OwnCost> own_cost;
  // `mcpleak watch`: the limits crossed during the session (each with its evidence).
  std::vector<WatchdogEvent> watchdog;
  std::vector<std::string> warnings;          // collected while running
};

struct Report {
  RunInfo run;
  Verdict verdict = Verdict::inconclusive;
  std::string reason;                         // one line a person reads first

  struct Growth {
    double bytes_per_min = 0;                 // Theil–Sen slope of footprint after warm-up
    Interval ci95_bytes_per_min;
    std::optional<double> bytes_per_call;     // attribution to calls
    std::optional<double> bytes_per_session;  // attribution to sessions (HTTP)
    std::string driver;                       // "calls", "time", "sessions", "none"
    bool fitted = true;                       // false: too few samples, no slope was fitted
  } growth;
  std::vector<PhaseSessionGrowth> sessions_by_phase;  // one per phase that ends sessions
  struct Idle {
    std::optional<double> bytes_per_min;      // slope while no calls were made
  } idle;
  std::optional<double> retained_bytes;       // footprint after idle minus baseline
  struct Rss {
    double bytes_per_min = 0;
  } rss;
  struct Calls {
    std::uint64_t ok = 0;
    std::uint64_t failed = 0;
    std::optional<double> p50_ms;
    std::optional<double> p99_ms;
  } calls;
  struct Footprint {
    std::uint64_t start_bytes = 0;
    std::uint64_t end_bytes = 0;
    std::uint64_t peak_bytes = 0;
    std::uint64_t rss_start_bytes = 0;
    std::uint64_t rss_end_bytes = 0;
  } footprint;
  std::optional<double> verdict_at_s;         // time the verdict became decisive
  bool rss_diverges = false;                  // footprint grows while RSS does not
  std::uint64_t samples = 0;
  // Per diagnostics counter (e.g. "observers"): growth per minute after warm-up.
  std::map<std::string, double> diagnostics_per_min;
  std::map<std::string, double> diagnostics_end;
  // Per region (macOS vmmap): growth in bytes from first to last reading.
  std::map<std::string, double> region_growth_bytes;
  // How much of the judged window really exercised the server (exercise.h).
  Exercise exercise;
  // Which process of the tree grows (processes.h): largest growth first.
  std::vector<ProcessGrowth> processes;
  std::vector<TransientProcesses> transient_processes;
  // Counted resources and orphans (resources.h): processes, fds, threads, orphans.
  std::vector<ResourceVerdict> resources;
  // Classes whose live object count grew steadily (macOS heap(1) readings), fastest first.
  std::vector<ResourceVerdict> classes;
  // The footprint's own verdict before the resources had their say ("bounded", ...).
  std::string footprint_verdict;
  // Which code grows (--attribute): from the instrumented run in attribution/.
  std::optional<WhereItGrows> where_it_grows;
  std::vector<std::string> warnings;          // run.warnings plus analysis warnings
};

}  // namespace mcpleak
