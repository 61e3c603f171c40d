// Comparing two finished runs (base = last release or original, candidate = the fix or
// release candidate): is the candidate worse than the base beyond the noise?
#pragma once

#include <string>

#include "harness/model/report.h"

namespace mcpleak {

enum class Comparison { fixed, same, worse, better, server_failed, not_exercised };

struct CompareResult {
  Comparison outcome = Comparison::same;
  std::string line;   // "candidate grows 0.1 MiB/min vs 11.8 MiB/min for base: fixed"
};

// Worse means: the candidate leaks while the base does not, or the candidate's interval
// lies wholly above the base's AND the gap is larger than the candidate's budget (two
// healthy servers with tight intervals are not a regression). Fixed: the base leaks and
// the candidate is bounded. A candidate that failed is server_failed. When either side's
// scenario did not exercise its server (Report::exercise), no ranking is possible and the
// outcome is not_exercised, unless the candidate leaks anyway (worse).
CompareResult compare_reports(const Report& base, const Report& candidate);

// "fixed", "same", "worse", "better", "server-failed", "not-exercised".
const char* comparison_name(Comparison c);

}  // namespace mcpleak
