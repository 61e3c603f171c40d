// The three heap snapshots of one Node process, taken by its hook at checkpoints, read
// (the first two as node ids only, the third as a graph: one graph in memory at a time)
// and diffed the memlab way (analysis/heap_diff.h); the result is written beside them
// as heap-diff.PID.json for the report.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "harness/model/where_it_grows.h"
#include "harness/result.h"

namespace mcpleak {

struct TakenSnapshot {
  std::string path;
  std::uint64_t calls = 0;  // scenario calls when it was taken
};

// Errc::parse or io naming the snapshot file that could not be read.
Result<HeapSnapshotDiff> diff_snapshot_files(pid_t pid, const std::vector<TakenSnapshot>& three,
                                             const std::string& out_dir);

}  // namespace mcpleak
