// Reads a V8 .heapsnapshot with nlohmann/json's SAX interface into flat integer arrays
// (HeapSnapshot), never a DOM: memory stays near the size of the numbers themselves. A
// 169 MB snapshot of 2.4 M nodes and 6.2 M edges parsed in ~2 s with ~250 MB peak
// (attribution.md); bench/bench_heapsnapshot measures this build.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "harness/model/heap_snapshot.h"
#include "harness/result.h"

namespace mcpleak {

// What to keep: the whole graph, or the node ids alone (the first two snapshots of a
// three-snapshot diff need nothing else).
enum class HeapSnapshotPart { graph, ids };

// Errc::parse naming what is wrong: not JSON, no node_fields, a node array whose length
// is not a multiple of its field count, an edge pointing outside the node array.
Result<HeapSnapshot> parse_heapsnapshot(std::istream& in, HeapSnapshotPart part = HeapSnapshotPart::graph);

// The ids of the nodes of a snapshot, sorted (HeapSnapshotPart::ids).
Result<std::vector<std::uint32_t>> heapsnapshot_ids(std::istream& in);

}  // namespace mcpleak
