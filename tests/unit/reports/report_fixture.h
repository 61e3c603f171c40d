// A fixed, synthetic run for the report-writer tests and render_fixture: the seed's
// story (macOS server leaking per call while RSS saw-tooths), with every number chosen
// here, so the writers are tested on known input and no analysis code is involved.
#pragma once

#include <vector>

#include "harness/model/report.h"
#include "harness/model/sample.h"

namespace mcpleak::test {

struct RunFixture {
  Report report;
  std::vector<Sample> samples;
  std::vector<CallRecord> calls;
};

inline constexpr double kMiB = 1024.0 * 1024.0;

// 12 minutes, a sample every 2 s (361 samples), three processes (uv -> python3, and a
// helper living from 100 s to 400 s), phases warm-up / snapshot-finder-safari / idle,
// 2 calls/s while calling with every 100th call failed. Verdict leaking at 11.8 MiB/min.
RunFixture leaking_run();

// The same run with `verdict` (and a fitting reason / server failure).
RunFixture run_with_verdict(Verdict verdict);

// leaking_run() with hostile text in every server-provided field: markup, quotes,
// ampersands, pipes, newlines, invalid UTF-8 and non-ASCII letters.
RunFixture hostile_run();

}  // namespace mcpleak::test
