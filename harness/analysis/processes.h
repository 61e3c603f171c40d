// Which process of the server's tree grows (uv -> python; node -> a dozen Chromium
// processes): each process's own footprint slope over the window the verdict judges, so
// that the shares add up to about the tree's growth. Pure; no clocks, no I/O.
#pragma once

#include <span>

#include "harness/model/report.h"
#include "harness/model/sample.h"

namespace mcpleak::analysis {

// Fills r.processes (largest growth first) and r.transient_processes (fewer than
// `min_samples` judged samples: grouped by name) from the per-pid detail of the samples.
// The leader is the first pid of the earliest sample. Shares are given only when the
// tree really grows (r.growth's interval lies above 0). Samples without per-pid detail
// (interim-look series) give empty tables.
void fill_processes(Report& r, std::span<const Sample> samples, const RunInfo& run, std::size_t min_samples);

}  // namespace mcpleak::analysis
