// The verdict: robust growth statistics over a run's samples, compared with a budget.
// Free functions over spans of model types; no clocks, no I/O, no logging.
//
//   Report r = analyse(samples, calls, run);   // after (or during) a run
//   Look l = sequential_look(samples, run, k, exercise);  // k-th interim look, for early stop
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "harness/model/report.h"
#include "harness/model/sample.h"

namespace mcpleak {

// The outcome of one interim look at the samples so far.
struct Look {
  std::optional<Verdict> decided;  // leaking or bounded when decisive, else empty
  double bytes_per_min = 0;        // current slope estimate
  Interval ci_bytes_per_min;       // interval at this look's (spent) confidence level
  std::string reason;              // one line, for progress output
};

// Interim look number `look_index` (1, 2, ...) at the samples taken so far. The runner
// looks at a fixed interval after run.min_duration_s; the false-positive rate over all
// looks stays within the documented alpha (the confidence level is spent across looks).
// Never decides before run.warmup_s + run.min_duration_s worth of samples, and never
// decides bounded while `exercise` (the window so far, analysis/exercise.h) says the
// server was not exercised.
Look sequential_look(std::span<const Sample> samples, const RunInfo& run, int look_index,
                     const Exercise& exercise);

// The full analysis of a finished or interrupted run: fills every Report field except
// `run`, which is copied from the argument. With fewer samples than the statistics need
// the verdict is inconclusive with a reason saying so. run.server_failure set means
// verdict server-failed whatever the samples say (the numbers are still filled in).
Report analyse(std::span<const Sample> samples, std::span<const CallRecord> calls,
               const RunInfo& run);

}  // namespace mcpleak
