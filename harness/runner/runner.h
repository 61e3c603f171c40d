// The runner: spawns the server, drives a scenario through McpClient while the sampler
// records the tree's footprint, looks at the evidence at intervals to stop early, and
// leaves a run folder (run.json, samples.jsonl, calls.jsonl, server.log) that
// run_dir.h turns into reports. Every exit path leaves the folder complete.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/attribution/attribute_mode.h"
#include "harness/mcp/http_endpoint.h"
#include "harness/mcp/protocol.h"
#include "harness/model/report.h"
#include "harness/result.h"
#include "harness/runner/progress.h"
#include "harness/runner/scenario.h"

namespace mcpleak {

struct RunOptions {
  Scenario scenario;
  std::vector<std::string> server_command;
  std::optional<HttpEndpoint> http;             // --http: drive it over Streamable HTTP here
  std::vector<std::pair<std::string, std::string>> http_headers;  // --header, on every HTTP request
  std::map<std::string, std::string> server_env;  // set in the spawned server's environment
  std::string server_cwd;                         // its working folder (a client config's cwd)
  // Values that must never reach a report (a config's env and header values, --header
  // values): masked wherever they occur in the recorded command lines and URL.
  std::vector<std::string> secrets;
  // --attach PID / --attach-name PATTERN: sample these running processes (and drive them
  // over --http, if given) instead of starting server_command; never signalled.
  std::vector<pid_t> attach_pids;
  std::vector<std::string> attach_names;
  std::string out_dir;
  double duration_s = 600;
  double min_duration_s = 30;
  double warmup_s = 5;
  double budget_bytes_per_min = 1e6;
  std::optional<double> rate_override;         // --rate: every call phase at this rate
  bool early_stop = true;
  ProtocolChoice protocol;                      // --protocol: auto, or one version
  std::chrono::milliseconds call_timeout{30000};
  std::chrono::milliseconds init_timeout{30000};  // over HTTP: to listen, then to answer
  std::chrono::milliseconds sample_period{250};
  double look_every_s = 5;                      // shortest gap between interim looks
  double idle_tail_after_stop_s = 20;           // idle phase kept after an early decision
  int hung_after_timeouts = 3;                  // consecutive timeouts => server hung
  // After a call timed out, a ping must answer within this, or the server is hung.
  std::chrono::milliseconds ping_timeout{5000};
  double max_failed_fraction = 0.05;            // --max-failed-calls (the exercise rule)
  std::optional<double> max_call_gap_s;         // --max-call-gap
  bool capture_stacks = false;                  // macOS: `sample` the largest process if leaking
  ProgressPrinter::Mode progress = ProgressPrinter::Mode::plain;
  std::string label;                            // prefix for progress lines ("base", "candidate")
  // Set: an instrumented attribution run (attributed_run.h), hooks in the server's
  // environment and checkpoints in checkpoints.jsonl; it ends once they are taken.
  std::optional<AttributionOptions> attribution;
  std::vector<std::string> invocation;          // mcpleak's own argv, recorded in run.json
  // Leaks beyond memory: budgets over the defaults (--resource-budget), and the
  // disconnect at the end (--orphan-grace, --keep-orphans).
  std::map<std::string, ResourceBudget> resource_budgets;
  // --bounded-class globs (the scenario's "bounded_classes" are added to them).
  std::vector<std::string> bounded_classes;
  std::chrono::milliseconds orphan_grace{2000};
  bool keep_orphans = false;
};

// Runs one scenario against one server and writes the run folder and its reports.
// Returns the Report (verdict server-failed when the server would not start, crashed,
// hung or broke the protocol). Errc::usage for problems that are the user's to fix
// (out dir not writable, a scenario tool the server does not offer); the samples taken
// so far are on disk even then.
Result<Report> run_scenario(const RunOptions& options);

// The default calls per second when neither scenario nor --rate gives one.
inline constexpr double kDefaultRatePerS = 5;

}  // namespace mcpleak
