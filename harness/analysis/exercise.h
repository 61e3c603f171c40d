// Exercise coverage: did the scenario's calls really succeed in the judged window? A
// `bounded` verdict is a claim about the time in which the server was exercised; a run
// whose calls failed, or that went quiet, is evidence of nothing.
//
//   ExerciseTally tally(run.warmup_s);
//   tally.add(call, phase_start_s);                        // each call, in the order sent
//   Exercise e = tally.summarize(run.phases, end_s, exercise_rule(run));
//
// Pure: no clocks, no I/O. The runner feeds the same tally live for its interim looks;
// `analyse` feeds it from calls.jsonl.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/model/exercise.h"
#include "harness/model/report.h"
#include "harness/model/sample.h"

namespace mcpleak::analysis {

// The rule a judged window must meet before it may be called bounded:
//   - at most `max_failed_fraction` of its scenario calls failed, and
//   - in every call phase, no stretch longer than allowed_gap_s() without a successful
//     call in flight (a successful call covers the time from sending to its answer, so
//     slow calls that succeed are not gaps; idle phases are not judged).
struct ExerciseRule {
  static constexpr double kDefaultMaxFailedFraction = 0.05;
  static constexpr double kMinGapS = 5;        // never stricter than this ...
  static constexpr double kGapIntervals = 3;   // ... nor than three planned call intervals
  double max_failed_fraction = kDefaultMaxFailedFraction;
  std::optional<double> max_gap_s;             // a fixed allowance instead (--max-call-gap)
};

// The rule a run was started with (run.json: max_failed_fraction, max_call_gap_s).
ExerciseRule exercise_rule(const RunInfo& run);

// The longest stretch without a successful call allowed in a phase whose calls are
// planned `call_interval_s` apart (0 when unknown).
double allowed_gap_s(const ExerciseRule& rule, double call_interval_s);

class ExerciseTally {
 public:
  // Calls sent before `window_start_s` (the warm-up) are not counted, but a successful
  // one still covers the time until its answer.
  explicit ExerciseTally(double window_start_s) : window_start_s_(window_start_s) {}

  // One call, in the order calls were sent. `phase_start_s` is when the call's phase
  // (call.phase) began. Diagnostics calls are ignored: they test the harness, not the
  // scenario. An interrupted call (Ctrl-C) has no outcome: it is not counted, and it
  // covers nothing.
  void add(const CallRecord& call, double phase_start_s);

  // The window [window_start_s, end_s] of `phases` (a phase still running ends at its
  // end_s, which the caller sets to "now"). Calls of a phase index missing from `phases`
  // count in the totals but not in any phase's gap.
  Exercise summarize(std::span<const PhaseInfo> phases, double end_s, const ExerciseRule& rule) const;

 private:
  struct PhaseState {
    CallCounts calls;
    double covered_until_s = 0;   // when the last successful call's answer came
    double longest_gap_s = 0;
    double longest_gap_from_s = 0;
  };
  static constexpr std::size_t kMaxErrorSamples = 5;

  double window_start_s_;
  std::map<int, PhaseState> phases_;
  CallCounts calls_;
  std::map<std::string, CallCounts> per_tool_;
  std::vector<CallErrorSample> errors_;
};

// The exercise of a finished run's judged window, from its call records (any order).
// `end_s` is the end of the run's timeline (elapsed_s, or the last sample's time).
Exercise assess_exercise(std::span<const CallRecord> calls, const RunInfo& run, double end_s);

}  // namespace mcpleak::analysis
