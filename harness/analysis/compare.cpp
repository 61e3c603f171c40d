#include "harness/analysis/compare.h"

#include "harness/analysis/format.h"

namespace mcpleak {

const char* comparison_name(Comparison c) {
  switch (c) {
    case Comparison::fixed: return "fixed";
    case Comparison::same: return "same";
    case Comparison::worse: return "worse";
    case Comparison::better: return "better";
    case Comparison::server_failed: return "server-failed";
    case Comparison::not_exercised: return "not-exercised";
  }
  return "same";
}

namespace {

bool not_exercised(const Report& r) { return r.exercise.required && !r.exercise.exercised; }

}  // namespace

CompareResult compare_reports(const Report& base, const Report& candidate) {
  CompareResult r;
  const double b = base.growth.bytes_per_min;
  const double c = candidate.growth.bytes_per_min;
  const double budget = candidate.run.budget_bytes_per_min;
  if (candidate.verdict == Verdict::server_failed) {
    r.outcome = Comparison::server_failed;
  } else if (candidate.verdict == Verdict::leaking && base.verdict != Verdict::leaking) {
    r.outcome = Comparison::worse;
  } else if (not_exercised(candidate) || not_exercised(base)) {
    r.outcome = Comparison::not_exercised;
  } else if (base.verdict == Verdict::leaking && candidate.verdict == Verdict::bounded) {
    r.outcome = Comparison::fixed;
  } else if (candidate.growth.ci95_bytes_per_min.lo > base.growth.ci95_bytes_per_min.hi && c - b > budget) {
    r.outcome = Comparison::worse;
  } else if (base.growth.ci95_bytes_per_min.lo > candidate.growth.ci95_bytes_per_min.hi && b - c > budget) {
    r.outcome = Comparison::better;
  }
  r.line = "candidate grows " + analysis::format_rate(c) + " (" + verdict_name(candidate.verdict) +
           ") vs " + analysis::format_rate(b) + " for base (" + verdict_name(base.verdict) +
           "): " + comparison_name(r.outcome);
  if (r.outcome == Comparison::not_exercised) {
    const Report& side = not_exercised(candidate) ? candidate : base;
    r.line += " (" + std::string(&side == &candidate ? "candidate" : "base") + ": " + side.exercise.reason + ")";
  }
  return r;
}

}  // namespace mcpleak
