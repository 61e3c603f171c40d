// Where it grows: what a runtime hook saw inside the server's processes at checkpoints
// (HeapCheckpoint, one line of attribution/checkpoints.jsonl per pid and checkpoint), and
// the sites and object types whose live memory grows with calls (WhereItGrows, report.json
// `where_it_grows`). Plain values.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/model/interval.h"

namespace mcpleak {

struct StackFrame {
  std::string function;
  std::string file;
  int line = 0;
};

// Live memory allocated at one place (its allocating frame, "file:line") at a checkpoint.
struct SiteSnapshot {
  std::string key;                        // "file:line" of the allocating frame
  std::uint64_t bytes = 0;
  std::optional<std::uint64_t> count;     // blocks (Python); the Node profile samples bytes only
  std::vector<StackFrame> stack;          // allocating frame first
};

// Live objects of one type at a checkpoint (Python: gc-tracked plus one level down).
struct TypeSnapshot {
  std::string type;
  std::uint64_t count = 0;
  std::uint64_t bytes = 0;                // shallow sizes
};

// What one hooked process answered at one checkpoint.
struct HeapCheckpoint {
  pid_t pid = 0;
  std::string runtime;                    // "python" | "node"
  std::string version;                    // of the runtime
  int index = 0;                          // 0 = right after the hook started tracing
  double t_s = 0;                         // run time when asked
  std::uint64_t calls = 0;                // scenario calls made before it
  std::uint64_t live_heap_bytes = 0;      // traced memory (Python), heapUsed after a GC (Node)
  std::optional<std::uint64_t> hook_overhead_bytes;  // tracemalloc's own memory
  double took_s = 0;                      // time the hook spent on it
  std::vector<SiteSnapshot> sites;
  std::vector<TypeSnapshot> types;
};

// A site whose live bytes grew steadily with calls across the checkpoints.
struct GrowingSite {
  pid_t pid = 0;
  std::string runtime;
  std::string site;                       // "file:line"
  std::string function;
  double bytes_per_call = 0;              // Theil–Sen slope over the checkpoints
  std::optional<double> blocks_per_call;   // allocations still live per call (Python)
  std::optional<double> share_of_growth;  // of the footprint's growth per call (verdict run)
  std::vector<StackFrame> stack;          // allocating frame first
  std::vector<std::uint64_t> bytes_at_checkpoints;
  std::vector<double> t_at_checkpoints;   // attribution run time of each, seconds
};

struct GrowingType {
  pid_t pid = 0;
  std::string type;
  double objects_per_call = 0;
  double bytes_per_call = 0;              // shallow
};

// Objects of one constructor that a heap-snapshot diff found retained (memlab's method:
// allocated between the first and the second snapshot, still alive in the third).
struct RetainedGroup {
  std::string constructor;                // node name: the constructor, a closure's function, ...
  std::string type;                       // V8 node type: "object", "closure", "array", "string", ...
  std::uint64_t count = 0;
  std::uint64_t self_bytes = 0;
  double per_call = 0;                    // count ÷ calls between the first two snapshots
  // The shortest path from the GC roots to one of them, root side first:
  // "system / Context", "seenRequests", "Array", "[41]", "Object", "payload", "Array".
  std::vector<std::string> retainer_path;
};

struct HeapSnapshotDiff {
  pid_t pid = 0;
  std::vector<std::string> snapshots;     // the three files, in the attribution run folder
  std::vector<std::uint64_t> calls;       // scenario calls at each snapshot
  std::uint64_t new_in_second = 0;        // nodes whose ids are new in the second
  std::uint64_t still_alive = 0;          // ... and still present in the third
  std::vector<RetainedGroup> groups;      // most retained first
};

// One reading of the live-heap series (attribution/live_heap.jsonl): a process's heap
// after a full collection (Node heapUsed, Python traced memory), about once a second.
struct LiveHeapPoint {
  pid_t pid = 0;
  double t_s = 0;
  std::uint64_t calls = 0;
  std::uint64_t bytes = 0;
};

// The footprint's statistics applied to one process's live-heap series: the verdict it
// supports and when the sequential looks, replayed at the runner's schedule, would have
// decided. Evidence beside the verdict, never the verdict: it comes from the
// instrumented run.
struct LiveHeapVerdict {
  std::string verdict;                    // "bounded", "leaking", "inconclusive"
  double bytes_per_min = 0;
  Interval ci95_bytes_per_min;
  std::optional<double> decided_after_s;  // from the series' first point
  double span_s = 0;                      // first to last point
  std::size_t points = 0;
};

// A process that loaded the hook, and what became of it.
struct HookedProcess {
  pid_t pid = 0;
  std::string runtime;
  std::string version;
  int checkpoints = 0;                    // answered
  std::optional<double> live_heap_bytes_per_call;
  std::optional<LiveHeapVerdict> live_heap;
  std::string note;                       // why it has fewer checkpoints than asked, if so
};

struct WhereItGrows {
  std::string status = "unavailable";     // "ok" | "unavailable"
  std::string why;                        // when unavailable
  std::string mode;                       // --attribute: "python", "node", "auto"
  std::string run_dir = "attribution";    // the instrumented run, relative to the report
  std::uint64_t every_calls = 0;
  int checkpoints = 0;
  std::vector<HookedProcess> processes;
  std::vector<GrowingSite> sites;         // largest bytes_per_call first
  std::vector<GrowingType> types;         // largest objects_per_call first
  std::vector<HeapSnapshotDiff> heap_diffs;  // Node: one per process with three snapshots
  std::optional<double> footprint_bytes_per_call;  // of the verdict (uninstrumented) run
  std::optional<double> explained_fraction;        // sum of sites' bytes/call ÷ footprint's
  std::string statement;                  // one plain sentence on what was and was not seen
  struct Overhead {
    std::optional<double> p50_ms_verdict;
    std::optional<double> p50_ms_instrumented;
    double checkpoint_s_max = 0;          // longest a hook spent on one checkpoint
    std::optional<std::uint64_t> hook_bytes_max;
  } overhead;
  std::vector<std::string> limits;        // what the mechanisms used cannot see
};

}  // namespace mcpleak
