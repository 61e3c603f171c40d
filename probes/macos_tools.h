// Apple's slow memory tools, run as child processes and parsed: footprint(1),
// vmmap(1) -summary, sample(1), heap(1), malloc_history(1) and leaks(1). Each takes hundreds of ms (sample: seconds), so the
// sampler calls them at a low cadence. Off macOS they return Errc::io.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "harness/result.h"
#include "probes/footprint_parse.h"
#include "probes/heap_parse.h"
#include "probes/vmmap_parse.h"

namespace mcpleak {

// `/usr/bin/footprint -f bytes PID`, parsed. Errc::io when the tool cannot be started or
// exits non-zero (its first stderr line in the message), Errc::timeout after 30 s,
// Errc::parse when its output is not a footprint table.
Result<FootprintReport> run_footprint(pid_t pid);

// `/usr/bin/vmmap -summary PID`, parsed. Same errors as run_footprint; 60 s limit.
Result<VmmapSummary> run_vmmap_summary(pid_t pid);

// The raw texts of `vmmap -summary PID` and `footprint -f bytes PID...` (several pids in
// one call), for evidence saved as the tools printed it. Same errors as run_footprint.
Result<std::string> run_vmmap_summary_text(pid_t pid);
Result<std::string> run_footprint_text(const std::vector<pid_t>& pids);

// `/usr/bin/sample PID SECONDS -mayDie -file TMP`: the raw report text, for saving beside
// the run's report and for parse_sample_top_frames. seconds in [1, 60]; limit seconds+60 s.
Result<std::string> run_sample(pid_t pid, int seconds);

// `/usr/bin/heap PID`: live objects per class, parsed. Same errors as run_footprint;
// 120 s limit (a large heap takes seconds to walk).
Result<HeapReport> run_heap(pid_t pid);

// `/usr/bin/malloc_history PID -callTree`: the raw text, for the run folder and
// parse_malloc_history_call_tree. Needs the process started with MallocStackLogging.
Result<std::string> run_malloc_history_call_tree(pid_t pid);

// `/usr/bin/leaks PID`: the raw report (exit status 1, "leaks found", is not an error),
// for the run folder and parse_leaks.
Result<std::string> run_leaks(pid_t pid);

}  // namespace mcpleak
