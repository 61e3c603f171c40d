// Where it grows: from the checkpoints of an attribution run (HeapCheckpoint, one per
// hooked process and checkpoint) to the allocation sites and object types whose live
// memory grows steadily with calls, and how much of the verdict run's footprint growth
// they explain. Pure: no clocks, no I/O.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "harness/model/report.h"
#include "harness/model/where_it_grows.h"

namespace mcpleak::analysis {

// What the attribution run was asked to do and what it said about its hooks.
struct AttributionRun {
  std::string mode;                       // "python", "node", "auto"
  std::uint64_t every_calls = 0;
  int checkpoints_planned = 0;
  std::vector<std::string> notes;         // the run's "attribution: ..." warnings
  std::optional<double> p50_ms;           // the instrumented run's call latency
  bool server_failed = false;
  std::string server_failure;
};

// A site or type keeps its place only when its growth goes on: a fit over all checkpoints
// above `min_bytes_per_call`, and the later half of the run growing at least
// `late_share` of that rate (a cache that fills once and stops does not).
struct SiteRule {
  double min_bytes_per_call = 64;
  double min_objects_per_call = 0.05;
  double late_share = 0.5;
  std::size_t max_sites = 20;
  std::size_t max_types = 10;
};

// `verdict` is the uninstrumented run's report: its footprint growth per call is what
// the sites are measured against.
WhereItGrows where_it_grows(std::span<const HeapCheckpoint> checkpoints, const AttributionRun& run,
                            const Report& verdict, const SiteRule& rule = {});

}  // namespace mcpleak::analysis
