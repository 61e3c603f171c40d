// Apple's slow memory tools, run as child processes and parsed: footprint(1),
// vmmap(1) -summary and sample(1). Each takes hundreds of ms (sample: seconds), so the
// sampler calls them at a low cadence. Off macOS they return Errc::io.
#pragma once

#include <sys/types.h>

#include <string>

#include "harness/result.h"
#include "probes/footprint_parse.h"
#include "probes/vmmap_parse.h"

namespace mcpleak {

// `/usr/bin/footprint -f bytes PID`, parsed. Errc::io when the tool cannot be started or
// exits non-zero (its first stderr line in the message), Errc::timeout after 30 s,
// Errc::parse when its output is not a footprint table.
Result<FootprintReport> run_footprint(pid_t pid);

// `/usr/bin/vmmap -summary PID`, parsed. Same errors as run_footprint; 60 s limit.
Result<VmmapSummary> run_vmmap_summary(pid_t pid);

// `/usr/bin/sample PID SECONDS -mayDie -file TMP`: the raw report text, for saving beside
// the run's report and for parse_sample_top_frames. seconds in [1, 60]; limit seconds+60 s.
Result<std::string> run_sample(pid_t pid, int seconds);

}  // namespace mcpleak
