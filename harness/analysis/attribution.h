// What the growth is driven by: footprint ≈ a + b·calls + c·seconds. In a steady call
// loop calls and time are collinear, so c comes from idle phases (no calls) and b from
// what the active phases grow beyond c, divided by the call rate.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/model/report.h"
#include "harness/model/sample.h"

namespace mcpleak::analysis {

struct Attribution {
  std::string driver = "none";               // "calls", "time", "sessions", "none"
  std::optional<double> bytes_per_call;
  std::optional<double> bytes_per_session;
  std::optional<double> idle_bytes_per_min;  // pooled Theil–Sen inside idle phases
  std::optional<double> retained_bytes;      // end of the last idle phase minus baseline
  std::vector<std::string> warnings;
};

// Idle phases count when their samples (after warm-up, minus a short settle at the phase
// start) add up to at least kMinIdleSeconds. `growing` says whether the verdict found
// growth worth attributing; when false the driver is "none" but the numbers are still
// filled in where they can be measured.
inline constexpr double kMinIdleSeconds = 20;
Attribution attribute(std::span<const Sample> samples, const RunInfo& run, bool growing);

}  // namespace mcpleak::analysis
