// The memlab method over three V8 heap snapshots of one process: objects whose ids are
// new in the second snapshot relative to the first and still present in the third are
// the suspects; they are grouped by constructor, and each group gets the shortest
// retainer path (from the GC roots, over strong edges) to one of its members. Pure.
#pragma once

#include <cstdint>
#include <span>

#include "harness/model/heap_snapshot.h"
#include "harness/model/where_it_grows.h"

namespace mcpleak::analysis {

// `first_ids` and `second_ids` sorted (probes/heapsnapshot_parse.h heapsnapshot_ids);
// `third` the whole graph. `calls_between` (calls from the first to the second
// snapshot) turns counts into per-call rates; 0 leaves them 0. V8's internal nodes
// (hidden, code, object shapes, synthetic) are not suspects.
HeapSnapshotDiff diff_heap_snapshots(std::span<const std::uint32_t> first_ids,
                                     std::span<const std::uint32_t> second_ids, const HeapSnapshot& third,
                                     std::uint64_t calls_between, std::size_t max_groups = 10);

}  // namespace mcpleak::analysis
