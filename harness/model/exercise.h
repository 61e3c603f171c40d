// How well a run exercised the server: the evidence behind a verdict is only the time in
// which the scenario's calls really succeeded. Plain values (report.json `exercise`).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mcpleak {

// Tool calls by outcome. `failed` counts every call that did not succeed (a JSON-RPC
// error, an isError result, a timeout, a lost transport); `timed_out` is the part of
// `failed` that got no answer in time.
struct CallCounts {
  std::uint64_t ok = 0;
  std::uint64_t failed = 0;
  std::uint64_t timed_out = 0;
  std::uint64_t total() const { return ok + failed; }
};

// One call phase inside the judged window.
struct PhaseExercise {
  std::string name;
  CallCounts calls;
  double longest_gap_s = 0;    // longest stretch with no successful call in flight
  double longest_gap_from_s = 0;
  double allowed_gap_s = 0;    // what the rule allowed in this phase
};

// A distinct failure (tool + error text), in order of first occurrence.
struct CallErrorSample {
  std::string tool;
  std::string error;
  double first_t_s = 0;
  std::uint64_t count = 0;
};

struct Exercise {
  // False when the judged window has no call phase (an idle-only scenario): nothing had
  // to succeed, and `exercised` is true.
  bool required = false;
  bool exercised = true;
  std::string reason;           // why not exercised, one clause; empty when exercised
  double window_start_s = 0;    // the judged window: after warm-up ...
  double window_end_s = 0;      // ... to the end of the last call phase judged
  CallCounts calls;             // scenario calls sent in the window (not diagnostics)
  std::optional<double> ok_ratio;  // calls.ok / calls.total(); empty without calls
  double max_failed_fraction = 0;  // the rule's limit on calls.failed / calls.total()
  double longest_gap_s = 0;        // over all call phases of the window
  double longest_gap_from_s = 0;
  std::string longest_gap_phase;
  std::map<std::string, CallCounts> per_tool;
  std::vector<PhaseExercise> per_phase;
  std::vector<CallErrorSample> first_errors;  // at most a few distinct ones
};

}  // namespace mcpleak
