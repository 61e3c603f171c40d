// Evidence of a watched server's memory, captured into the run folder when a watchdog limit
// is crossed (before any kill), so the event comes with what a maintainer needs:
// everywhere, the per-process table of the latest sample (processes.tsv); on Linux each
// process's /proc/PID/smaps_rollup and status; on macOS `vmmap -summary` and `sample` of
// the largest process and `footprint` of the whole tree (type-checked against the macOS 14
// SDK, not run). What could not be captured is noted, never fatal.
#pragma once

#include <string>
#include <vector>

#include "harness/model/sample.h"

namespace mcpleak {

struct Evidence {
  std::string dir;                   // relative to the run folder ("evidence-1")
  std::vector<std::string> files;    // relative to dir
  std::vector<std::string> notes;    // what could not be captured, and why
};

// Captures into RUN_DIR/evidence-N for the tree of `latest`.
Evidence capture_evidence(const std::string& run_dir, int n, const Sample& latest);

namespace detail {
// processes.tsv: one row per process of the sample, largest footprint first. Pure.
std::string processes_table(const Sample& sample);
// The platform's own captures into `dir` (evidence_linux.cpp, evidence_macos.cpp).
void capture_platform_evidence(const std::string& dir, const Sample& latest, Evidence& evidence);
}  // namespace detail

}  // namespace mcpleak
