// The reconnect scenario: N cycles of start → initialize → a few calls → disconnect (stdin
// closed, SIGTERM after the grace, as desktop clients restart a server). Survivors of each
// disconnect are left running until the end, so they add up as they would on a user's
// machine; after each cycle mcpleak counts those still alive and their footprint. The run
// folder is the usual one: run.json (reconnect_cycles, orphan_check), calls.jsonl, and one
// sample per cycle of the survivors in samples.jsonl.
#pragma once

#include "harness/model/report.h"
#include "harness/result.h"
#include "harness/runner/runner.h"

namespace mcpleak {

// Errc::usage for what cannot reconnect: --http (use the sessions scenario with
// close=abandon), --attach (mcpleak must start the server), an unwritable folder.
Result<Report> run_reconnect(const RunOptions& options);

}  // namespace mcpleak
