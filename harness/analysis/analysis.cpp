#include "harness/analysis/analysis.h"

#include "harness/analysis/session_growth.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "harness/analysis/attribution.h"
#include "harness/analysis/decision.h"
#include "harness/analysis/exercise.h"
#include "harness/analysis/format.h"
#include "harness/analysis/processes.h"
#include "harness/analysis/quantiles.h"
#include "harness/analysis/class_counts.h"
#include "harness/analysis/resources.h"
#include "harness/analysis/sequential.h"
#include "harness/analysis/summary.h"
#include "harness/analysis/trend.h"

namespace mcpleak {
namespace {

using namespace analysis;

// Below this many samples after warm-up (5 s at 4 Hz) no slope is worth reporting.
constexpr std::size_t kMinSamples = 20;

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f s", s);
  return buf;
}

// Report intervals must be finite numbers; an unbounded end becomes the widest bound the
// method can give (the extreme pairwise slope) and a warning says so.
Interval finite_interval(const Trend& t, std::vector<std::string>& warnings) {
  Interval ci{t.lo_per_min, t.hi_per_min};
  if (std::isinf(ci.lo) || std::isinf(ci.hi)) {
    if (std::isinf(ci.lo)) ci.lo = t.min_per_min;
    if (std::isinf(ci.hi)) ci.hi = t.max_per_min;
    warnings.push_back("too few blocks (" + std::to_string(t.blocks) +
                       ") for a 95% interval: ci95 shows the range of pairwise slopes");
  }
  return ci;
}

std::string attribution_clause(const Report& r) {
  const auto& g = r.growth;
  if (g.driver == "calls" && g.bytes_per_call) {
    return "grows with calls: " + format_bytes(*g.bytes_per_call) + "/call";
  }
  if (g.driver == "sessions" && g.bytes_per_session) {
    return "grows with sessions: " + format_bytes(*g.bytes_per_session) + "/session";
  }
  if (g.driver == "time") {
    return r.idle.bytes_per_min
               ? "grows with time, also while idle (" + format_rate(*r.idle.bytes_per_min) + ")"
               : "grows with time (no calls were made)";
  }
  return "";
}

// Bounded is a claim about time in which the server was exercised: without that it is
// inconclusive. Leaking stays possible (a failing retry loop can leak), with a warning.
void apply_exercise_rule(Report& r, std::string& reason) {
  const Exercise& e = r.exercise;
  if (!e.required || e.exercised) return;
  if (r.verdict == Verdict::leaking) {
    r.warnings.push_back("the scenario did not exercise the server as planned (" + e.reason +
                         "): the growth may come from the failure path");
    return;
  }
  if (r.verdict == Verdict::bounded && r.run.stopped_early_verdict == Verdict::bounded) {
    r.warnings.push_back("the run stopped on a bounded look, but the window was not exercised");
  }
  r.verdict = Verdict::inconclusive;
  reason = "not exercised: " + e.reason + (reason.empty() ? "" : "; " + reason);
}

// The verdict is the worst resource's: any counted resource or orphan that leaks makes
// the run leaking and leads the reason; one still undecided keeps a bounded footprint
// from being the run's verdict.
void apply_resource_verdicts(Report& r, std::string& reason) {
  r.footprint_verdict = verdict_name(r.verdict);
  std::string leaks;
  const ResourceVerdict* undecided = nullptr;
  for (const ResourceVerdict& v : r.resources) {
    if (v.verdict == "leaking") leaks += (leaks.empty() ? "" : ", ") + v.headline;
    if (v.verdict == "inconclusive" && !undecided) undecided = &v;
  }
  if (!leaks.empty()) {
    if (r.verdict == Verdict::leaking) {
      reason += "; also leaking: " + leaks;
    } else {
      reason = leaks + "; footprint " + verdict_name(r.verdict) + (reason.empty() ? "" : " (" + reason + ")");
      r.verdict = Verdict::leaking;
    }
    return;
  }
  if (undecided && r.verdict == Verdict::bounded) {
    r.verdict = Verdict::inconclusive;
    reason = undecided->name + " undecided: " + undecided->why + "; footprint bounded (" + reason + ")";
  }
}

// A reconnect run restarts the server every cycle: its footprint has no series to judge,
// and its verdict is what the disconnects left behind.
void judge_reconnect(Report& r, std::string& reason) {
  const auto orphans = judge_orphans(r.run);
  if (!orphans) return;
  r.verdict = orphans->verdict == "leaking"    ? Verdict::leaking
              : orphans->verdict == "bounded" ? Verdict::bounded
                                              : Verdict::inconclusive;
  reason = orphans->why;
  if (orphans->verdict != "leaking" || !r.run.orphan_check) return;
  // The commands that survived, each once: what a maintainer greps their code for.
  std::vector<std::string> commands;
  for (const OrphanProcess& p : r.run.orphan_check->processes) {
    if (p.fate != "survived" || std::find(commands.begin(), commands.end(), p.command) != commands.end()) continue;
    commands.push_back(p.command);
  }
  for (std::size_t i = 0; i < commands.size() && i < 3; ++i) reason += (i == 0 ? "; left running: " : "; ") + commands[i];
  if (commands.size() > 3) reason += "; ...";
}

}  // namespace

Report analyse(std::span<const Sample> samples, std::span<const CallRecord> calls,
               const RunInfo& run) {
  Report r;
  r.run = run;
  r.warnings = run.warnings;
  r.samples = samples.size();
  r.growth.driver = "none";
  fill_call_stats(r, calls);
  fill_levels(r, samples);
  fill_diagnostics(r, samples, run.warmup_s);
  fill_regions(r, samples);

  double last_s = 0;
  std::size_t after_warmup = 0;
  for (const Sample& s : samples) {
    last_s = std::max(last_s, s.t_s);
    if (s.t_s >= run.warmup_s) ++after_warmup;
  }
  r.exercise = assess_exercise(calls, run, run.elapsed_s > 0 ? run.elapsed_s : last_s);
  r.verdict_at_s = run.stopped_early_at_s ? *run.stopped_early_at_s
                   : run.elapsed_s > 0    ? run.elapsed_s
                                          : last_s;
  const double observed_s = std::max(0.0, last_s - run.warmup_s);
  const double budget = run.budget_bytes_per_min;

  std::string reason;
  if (after_warmup < kMinSamples) {
    r.verdict = Verdict::inconclusive;
    r.growth.fitted = false;
    reason = "too few samples: " + std::to_string(after_warmup) + " after the " +
             seconds_text(run.warmup_s) + " warm-up, need at least " +
             std::to_string(kMinSamples);
  } else {
    const Decision d = decide(verdict_points(samples, run), budget, kFinalAlphaPerSide);
    r.growth.bytes_per_min = d.whole.per_min;
    r.growth.ci95_bytes_per_min = finite_interval(d.whole, r.warnings);
    r.rss.bytes_per_min = estimate_trend(verdict_points(samples, run, Metric::rss), kFinalAlphaPerSide).per_min;

    if (observed_s < run.min_duration_s) {
      r.verdict = Verdict::inconclusive;
      reason = "too short: " + seconds_text(observed_s) + " of samples after warm-up, need " +
               seconds_text(run.min_duration_s) + " (" + std::to_string(after_warmup) +
               " samples so far); footprint " + format_rate(d.whole.per_min);
    } else {
      r.verdict = d.verdict.value_or(Verdict::inconclusive);
      // An early stop is the sequential test's decision; the final fit on all samples
      // (a few more, at the fixed 95% level) describes the data but does not re-decide.
      const bool overridden = run.stopped_early_verdict && r.verdict != *run.stopped_early_verdict;
      if (overridden) {
        r.warnings.push_back(std::string("the run stopped on a ") + verdict_name(*run.stopped_early_verdict) +
                             " decision; re-fitting all samples at the 95% level alone would say " +
                             verdict_name(r.verdict) + " (" + d.why + ")");
        r.verdict = *run.stopped_early_verdict;
      }
      const std::string numbers =
          "footprint grows " + format_rate(d.whole.per_min) + " (95% CI " +
          format_interval(r.growth.ci95_bytes_per_min.lo, r.growth.ci95_bytes_per_min.hi) + ")";
      if (r.verdict == Verdict::leaking) {
        reason = numbers + " > budget " + format_rate(budget);
      } else if (r.verdict == Verdict::bounded && overridden) {
        reason = numbers + ", budget " + format_rate(budget);
      } else if (r.verdict == Verdict::bounded) {
        reason = d.whole.hi_per_min < budget
                     ? numbers + " < budget " + format_rate(budget)
                     : "footprint bounded: " + d.why + " < budget " + format_rate(budget) +
                           " after growing " + format_rate(d.whole.per_min) + " overall";
        if (d.whole.hi_per_min >= budget) {
          r.warnings.push_back("plateau: the footprint grew early in the window (" +
                               format_rate(d.whole.per_min) + " overall) and then stopped");
        }
      } else {
        reason = numbers + ", budget " + format_rate(budget) + ": " + d.why;
      }
      if (overridden) {
        reason += "; decided at " + seconds_text(*run.stopped_early_at_s) + " (" + run.stopped_early_reason + ")";
      }
    }

    const bool growing = r.verdict != Verdict::bounded && d.whole.per_min > budget;
    Attribution a = attribute(samples, run, growing);
    r.growth.driver = a.driver;
    r.growth.bytes_per_call = a.bytes_per_call;
    r.growth.bytes_per_session = a.bytes_per_session;
    r.sessions_by_phase = session_growth_by_phase(samples, run);
    r.idle.bytes_per_min = a.idle_bytes_per_min;
    r.retained_bytes = a.retained_bytes;
    for (auto& w : a.warnings) r.warnings.push_back(std::move(w));
    if (growing) {
      const std::string clause = attribution_clause(r);
      if (!clause.empty()) reason += "; " + clause;
    }

    // The seed's trap: a leak that the kernel moves to swap or compresses shows in the
    // footprint but not in RSS, so RSS-based monitoring would call it healthy.
    if (d.whole.per_min > budget && r.rss.bytes_per_min < 0.25 * d.whole.per_min &&
        r.rss.bytes_per_min < budget) {
      r.rss_diverges = true;
      r.warnings.push_back("footprint grows " + format_rate(d.whole.per_min) +
                           " while RSS does not (" + format_rate(r.rss.bytes_per_min) +
                           "): memory is going to swap or compression; RSS alone would miss it");
    }
  }

  fill_processes(r, samples, run, kMinSamples);
  if (run.reconnect_cycles.empty()) {
    r.resources = judge_resources(samples, run);
    for (auto& v : judge_bounded_classes(samples, run)) r.resources.push_back(std::move(v));
    r.classes = growing_classes(samples, run);
    if (auto orphans = judge_orphans(run)) r.resources.push_back(std::move(*orphans));
    apply_resource_verdicts(r, reason);
  } else {
    if (auto orphans = judge_orphans(run)) r.resources.push_back(std::move(*orphans));
    judge_reconnect(r, reason);
  }
  // A reconnect run's cycles are judged by judge_orphans, failed cycles included.
  if (run.reconnect_cycles.empty()) apply_exercise_rule(r, reason);
  if (run.interrupted) {
    reason = "interrupted after " + seconds_text(last_s) + "; verdict from the data so far: " +
             reason;
  }
  if (run.server_failure) {
    r.verdict = Verdict::server_failed;
    reason = *run.server_failure + "; " + reason;
  }
  // A scenario that could not run tested nothing; what the disconnect still found (a
  // failed server, orphaned processes) stands, with the scenario error beside it.
  if (run.scenario_error) {
    if (r.verdict == Verdict::server_failed || r.verdict == Verdict::leaking) {
      reason += "; the scenario did not run: " + *run.scenario_error;
    } else {
      r.verdict = Verdict::inconclusive;
      reason = "nothing was tested: " + *run.scenario_error;
    }
  }
  r.reason = reason;
  return r;
}

}  // namespace mcpleak
