// The live-heap series of an attribution run (post-GC heap of one process, ~1 Hz) judged
// with the footprint's own statistics: a quieter series than the footprint for runtimes
// whose footprint swings with their collector (Node). Pure.
#pragma once

#include <span>

#include "harness/model/report.h"
#include "harness/model/where_it_grows.h"

namespace mcpleak::analysis {

// `points` of one process, in time order; `run` the attribution run's facts (phases,
// budget, min duration, look schedule). The series' first point stands for the end of
// warm-up. Looks are replayed as the runner makes them (the first after min_duration,
// then every max(5 s, a quarter of the elapsed time)); `decided_after_s` is the first
// that decided. Too few points: inconclusive, undecided.
LiveHeapVerdict live_heap_verdict(std::span<const LiveHeapPoint> points, const RunInfo& run);

}  // namespace mcpleak::analysis
