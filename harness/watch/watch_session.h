// `mcpleak watch`: a transparent stdio proxy between a real MCP client and the server it
// would have started. The client's bytes go to the server and the server's to the client
// unchanged (byte_pump.h); its stderr is forwarded and kept in server.log. Meanwhile the
// server's tree is sampled as in `run`, the traffic is read into calls.jsonl (session_tap.h),
// the reports of the session so far are rewritten every --report-every, and the watchdog
// (watchdog.h) acts on the limits given, with evidence first (evidence.h). The session ends
// when the client closes stdin, the server exits, a signal arrives, or the watchdog kills;
// then the server is disconnected as a client does, and the final reports (and the
// recorded scenario, with --record) are written.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "harness/model/report.h"
#include "harness/result.h"
#include "harness/watch/watchdog.h"

namespace mcpleak {

struct WatchOptions {
  std::vector<std::string> server_command;
  std::map<std::string, std::string> server_env;  // set in the server's environment
  std::string server_cwd;                         // its working folder; empty: ours
  std::string out_dir;
  std::chrono::milliseconds sample_period{1000};
  double report_every_s = 60;
  double budget_bytes_per_min = 1e6;             // --budget, or --max-growth when given
  double warmup_s = 5;
  double min_duration_s = 30;
  double max_failed_fraction = 0.05;
  WatchLimits limits;
  std::string record_path;                       // --record FILE; empty: none
  std::vector<std::string> redact;               // --redact KEY_GLOB
  std::chrono::milliseconds disconnect_grace{2000};
  bool quiet = false;                            // no status lines on stderr
  std::vector<std::string> invocation;           // mcpleak's own argv (redacted), for run.json
  // The client's side (tests pass pipes; mcpleak passes 0, 1 and 2).
  int client_in = 0, client_out = 1, client_err = 2;
};

struct WatchOutcome {
  Report report;            // of the whole session
  bool killed = false;      // the watchdog ended the server
  std::string ended_by;     // "the client closed stdin", "signal 15", ...
};

// Errc::usage when the run folder or the record file cannot be written (nothing started
// then); a server that cannot start is a report with verdict server-failed.
Result<WatchOutcome> watch_session(const WatchOptions& options);

}  // namespace mcpleak
