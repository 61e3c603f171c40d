// The data that flows from the sampler to analysis and reports: one sample of the
// server's process tree. Plain values; no clocks, no I/O.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mcpleak {

// One process at one instant. footprint_bytes is the verdict metric
// (Linux: RssAnon + VmSwap; macOS: ri_phys_footprint).
struct PidSample {
  pid_t pid = 0;
  pid_t ppid = 0;
  std::string name;                             // comm / proc_name, may be empty
  std::uint64_t footprint_bytes = 0;
  std::uint64_t rss_bytes = 0;
  std::optional<std::uint64_t> swap_bytes;      // absent where the platform cannot say
  std::optional<std::uint64_t> private_dirty_bytes;
  std::optional<std::uint64_t> pss_bytes;
  std::optional<std::uint64_t> peak_footprint_bytes;  // macOS lifetime max
  std::optional<std::uint32_t> threads;
  std::optional<std::uint32_t> fds;
};

// The whole tree at one instant: one entry per live pid plus the sums.
struct TreeSample {
  std::vector<PidSample> pids;
  std::uint64_t footprint_bytes = 0;
  std::uint64_t rss_bytes = 0;
  // Counted resources of the tree (resource verdicts): processes sampled, and threads
  // and open fds summed over them; empty when some process could not report its own.
  std::uint32_t processes = 0;
  std::optional<std::uint64_t> threads;
  std::optional<std::uint64_t> fds;
};

// Sets a tree's sums (footprint, RSS, processes, threads, fds) from its pids.
void total_tree(TreeSample& tree);

// A TreeSample placed on the run's timeline: what samples.jsonl holds, one per line.
struct Sample {
  double t_s = 0;                 // seconds since the run started (monotonic clock)
  std::uint64_t calls = 0;        // tool calls completed when the sample was taken
  std::uint64_t sessions = 0;     // sessions closed so far (HTTP transport)
  int phase = 0;                  // index into the scenario's phases
  TreeSample tree;
  // Counters from a diagnostics tool (axref's Diagnostics): "observers" -> 12.
  std::map<std::string, double> diagnostics;
  // Low-cadence tool readings (macOS footprint/vmmap): region name -> bytes, for reports.
  std::map<std::string, std::uint64_t> regions;
  // Live objects per class over the tree's processes (macOS heap(1)): on the one sample
  // that follows each complete reading, empty on the others.
  std::map<std::string, std::uint64_t> classes;
};

// Why a call was made: the scenario's own steps, opening a new session (the `sessions`
// scenario), or reading a diagnostics tool's counters (not part of the exercise). In a
// watched session (`mcpleak watch`), the client's tools/call, resources/read, prompts/get
// and completion/complete are "scenario" calls; its other requests (initialize, ping,
// tools/list, ...) and the server's requests to the client are "protocol": logged, never
// counted as calls.
enum class CallKind { scenario, session, diagnostics, protocol };

// One tool call as calls.jsonl records it. A failed call is data, not an error.
struct CallRecord {
  double t_s = 0;                 // when the call was sent, seconds since run start
  int phase = 0;
  std::string tool;
  double latency_ms = 0;
  bool ok = false;
  std::string error;              // empty when ok; "timeout", "isError: ...", ...
  std::uint64_t response_bytes = 0;
  bool timed_out = false;         // no answer within the call timeout
  bool interrupted = false;       // cut short by Ctrl-C/SIGTERM before any answer: no outcome
  CallKind kind = CallKind::scenario;
  int client = 0;                 // which of a phase's concurrent clients made it (0: the first)
  // Watched sessions: the JSON-RPC method ("tools/call", "resources/read", ...), the
  // request's size, and whether the server asked it of the client.
  std::string method;
  std::uint64_t request_bytes = 0;
  bool from_server = false;
};

}  // namespace mcpleak
