// What mcpleak itself cost while it measured (run.json "own_cost"): a measuring tool that
// takes a quarter of a core perturbs what it measures and misses ticks on a busy machine,
// so every run says what it took. Plain values.
#pragma once

#include <cstdint>

namespace mcpleak {

// The sampler thread's ticks (harness/sampler): what one tick took, from reading the
// tree to the flushed samples.jsonl line, and the cadence of the costly sources at the
// end of the run (harness/sampler/cadence.h).
struct SamplerCost {
  std::uint64_t ticks = 0;
  std::uint64_t missed_ticks = 0;
  double period_s = 0;
  double tick_ms_mean = 0;     // over the whole run
  double tick_ms_max = 0;      // over the whole run
  double tick_ms_median = 0;   // over the latest 1024 ticks
  double tick_ms_p99 = 0;      // over the latest 1024 ticks
  double every_thread_interval_s = 0;  // children of every thread listed
  double full_scan_interval_s = 0;     // all of /proc scanned for parent links
  double fds_interval_s = 0;           // fd count of the tree, as it ended
  double detail_interval_s = 0;        // smaps_rollup: the longest wait of any process
};

struct OwnCost {
  // User + system CPU of the mcpleak process (all its threads, not the server's) over
  // the run; in `mcpleak ab` both runs share the process, so both report the sum.
  double cpu_s = 0;
  double wall_s = 0;
  double cpu_share = 0;              // cpu_s / wall_s: share of one core
  std::uint64_t peak_rss_bytes = 0;  // the process's high-water mark (getrusage)
  SamplerCost sampler;
};

}  // namespace mcpleak
