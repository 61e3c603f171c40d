// The descriptive parts of a Report: call counts and latency, footprint levels,
// diagnostics counters and regions. No verdict logic here.
#pragma once

#include <span>

#include "harness/model/report.h"
#include "harness/model/sample.h"

namespace mcpleak::analysis {

// calls.ok, calls.failed, p50/p99 latency over all calls (failed ones included: a
// timeout is latency the client saw). No calls leaves the percentiles empty.
void fill_call_stats(Report& r, std::span<const CallRecord> calls);

// footprint start/end/peak and rss start/end from the first, last and largest sample.
void fill_levels(Report& r, std::span<const Sample> samples);

// diagnostics_per_min (Theil–Sen after warm-up) and diagnostics_end per counter; adds a
// warning for a counter that only ever goes up after warm-up.
void fill_diagnostics(Report& r, std::span<const Sample> samples, double warmup_s);

// region_growth_bytes: last minus first sample that has regions, per region name.
void fill_regions(Report& r, std::span<const Sample> samples);

}  // namespace mcpleak::analysis
