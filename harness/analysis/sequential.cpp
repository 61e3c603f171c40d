#include "harness/analysis/sequential.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "harness/analysis/analysis.h"
#include "harness/analysis/decision.h"
#include "harness/analysis/format.h"
#include "harness/analysis/resources.h"

namespace mcpleak {
namespace analysis {

double look_alpha(int look_index) {
  const double k = std::max(1, look_index);
  return kSequentialAlphaPerSide * 6 / (M_PI * M_PI * k * k);
}

}  // namespace analysis

Look sequential_look(std::span<const Sample> samples, const RunInfo& run, int look_index,
                     const Exercise& exercise) {
  using namespace analysis;
  Look look;
  const double from_s = run.warmup_s;
  double last_s = 0;
  for (const Sample& s : samples) last_s = std::max(last_s, s.t_s);
  const double observed_s = last_s - from_s;
  const double alpha = look_alpha(look_index);

  const Decision d = decide(verdict_points(samples, run), run.budget_bytes_per_min, alpha);
  look.bytes_per_min = d.whole.per_min;
  look.ci_bytes_per_min = Interval{d.whole.lo_per_min, d.whole.hi_per_min};

  char level[32];
  std::snprintf(level, sizeof level, "%.4g%%", 100 * (1 - 2 * alpha));
  const std::string numbers = format_rate(d.whole.per_min) + " (" + level + " CI " +
                              format_interval(d.whole.lo_per_min, d.whole.hi_per_min) +
                              ") vs budget " + format_rate(run.budget_bytes_per_min);
  if (observed_s < run.min_duration_s) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "look %d: %.0f of %.0f s after warm-up; ", look_index,
                  std::max(0.0, observed_s), run.min_duration_s);
    look.reason = buf + numbers;
    return look;
  }
  look.decided = d.verdict;
  std::string head = "look " + std::to_string(look_index) + ": ";
  // A look spends its alpha whatever it concludes; it just may not conclude bounded
  // about a window in which the server was not exercised (calls failing, or none
  // answered lately: a hung call keeps the window's tail a gap).
  if (d.verdict == Verdict::bounded && exercise.required && !exercise.exercised) {
    look.decided.reset();
    look.reason = head + "not exercised: " + exercise.reason + "; " + numbers;
    return look;
  }
  // Stopping on a bounded footprint would also end the watch on the counted resources:
  // wait while any of them grows or is undecided (the final analysis judges them).
  if (d.verdict == Verdict::bounded) {
    for (const ResourceVerdict& r : judge_resources(samples, run)) {
      if (r.verdict == "leaking" || r.verdict == "inconclusive") {
        look.decided.reset();
        look.reason = head + "footprint bounded, " + r.name + " " + r.verdict + " (" + r.why + "); " + numbers;
        return look;
      }
    }
  }
  if (d.verdict == Verdict::leaking) head += "leaking: ";
  if (d.verdict == Verdict::bounded) head += "bounded: ";
  look.reason = head + numbers + "; " + d.why;
  return look;
}

}  // namespace mcpleak
