#include "harness/analysis/exercise.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace mcpleak::analysis {
namespace {

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f s", s);
  return buf;
}

std::string percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100 * fraction);
  return buf;
}

void count(CallCounts& counts, const CallRecord& c) {
  (c.ok ? counts.ok : counts.failed) += 1;
  if (c.timed_out) ++counts.timed_out;
}

// The error as a person reads it in a reason: "isError: " says nothing the quote does
// not, and a long text is cut.
std::string quote_error(const CallErrorSample& e) {
  std::string text = e.error;
  if (text.starts_with("isError: ")) text.erase(0, 9);
  if (text.size() > 160) text = text.substr(0, 160) + "...";
  return e.tool + ": " + text;
}

}  // namespace

ExerciseRule exercise_rule(const RunInfo& run) {
  ExerciseRule rule;
  rule.max_failed_fraction = run.max_failed_fraction;
  rule.max_gap_s = run.max_call_gap_s;
  return rule;
}

double allowed_gap_s(const ExerciseRule& rule, double call_interval_s) {
  if (rule.max_gap_s) return *rule.max_gap_s;
  return std::max(ExerciseRule::kMinGapS, ExerciseRule::kGapIntervals * call_interval_s);
}

void ExerciseTally::add(const CallRecord& c, double phase_start_s) {
  if (c.kind == CallKind::diagnostics || c.kind == CallKind::protocol) return;
  auto [it, fresh] = phases_.try_emplace(c.phase);
  PhaseState& phase = it->second;
  if (fresh) phase.covered_until_s = phase_start_s;
  if (c.ok) {
    // The stretch since the last successful answer (or the phase start), as far as it
    // lies in the window, ends when this successful call was sent.
    const double from = std::max(phase.covered_until_s, window_start_s_);
    if (c.t_s - from > phase.longest_gap_s) {
      phase.longest_gap_s = c.t_s - from;
      phase.longest_gap_from_s = from;
    }
    phase.covered_until_s = std::max(phase.covered_until_s, c.t_s + c.latency_ms / 1000);
  }
  if (c.t_s < window_start_s_ || c.interrupted) return;
  count(calls_, c);
  count(phase.calls, c);
  count(per_tool_[c.tool], c);
  if (c.ok) return;
  const auto same = std::find_if(errors_.begin(), errors_.end(), [&](const CallErrorSample& e) {
    return e.tool == c.tool && e.error == c.error;
  });
  if (same != errors_.end()) {
    ++same->count;
  } else if (errors_.size() < kMaxErrorSamples) {
    errors_.push_back({c.tool, c.error, c.t_s, 1});
  }
}

Exercise ExerciseTally::summarize(std::span<const PhaseInfo> phases, double end_s,
                                  const ExerciseRule& rule) const {
  Exercise e;
  e.window_start_s = window_start_s_;
  e.window_end_s = end_s;
  e.calls = calls_;
  e.per_tool = per_tool_;
  e.first_errors = errors_;
  e.max_failed_fraction = rule.max_failed_fraction;
  if (calls_.total() > 0) e.ok_ratio = static_cast<double>(calls_.ok) / static_cast<double>(calls_.total());

  const PhaseExercise* worst = nullptr;  // the phase whose gap broke the rule most
  for (std::size_t i = 0; i < phases.size(); ++i) {
    const PhaseInfo& p = phases[i];
    const double from = std::max(p.start_s, window_start_s_);
    const double to = std::min(p.end_s, end_s);
    if (p.idle || to <= from) continue;
    e.required = true;
    PhaseExercise pe;
    pe.name = p.name;
    // A watched client calls when it likes: its pauses say nothing about the server.
    pe.allowed_gap_s = p.client_driven ? std::numeric_limits<double>::infinity() : allowed_gap_s(rule, p.call_interval_s);
    double covered_until = p.start_s;
    if (const auto it = phases_.find(static_cast<int>(i)); it != phases_.end()) {
      pe.calls = it->second.calls;
      pe.longest_gap_s = it->second.longest_gap_s;
      pe.longest_gap_from_s = it->second.longest_gap_from_s;
      covered_until = it->second.covered_until_s;
    }
    // The stretch after the last successful answer, up to the end of the phase or now:
    // a hung call, or calls that keep failing, end the phase inside a gap.
    const double tail_from = std::max(covered_until, from);
    if (to - tail_from > pe.longest_gap_s) {
      pe.longest_gap_s = to - tail_from;
      pe.longest_gap_from_s = tail_from;
    }
    if (pe.longest_gap_s > e.longest_gap_s || e.longest_gap_phase.empty()) {
      e.longest_gap_s = pe.longest_gap_s;
      e.longest_gap_from_s = pe.longest_gap_from_s;
      e.longest_gap_phase = pe.name;
    }
    e.per_phase.push_back(std::move(pe));
  }
  for (const PhaseExercise& pe : e.per_phase) {
    if (pe.longest_gap_s > pe.allowed_gap_s &&
        (!worst || pe.longest_gap_s - pe.allowed_gap_s > worst->longest_gap_s - worst->allowed_gap_s)) {
      worst = &pe;
    }
  }
  if (!e.required) return e;

  std::string why;
  const double failed_fraction =
      calls_.total() > 0 ? static_cast<double>(calls_.failed) / static_cast<double>(calls_.total()) : 0;
  if (failed_fraction > rule.max_failed_fraction) {
    why = std::to_string(calls_.failed) + " of " + std::to_string(calls_.total()) + " calls failed";
    if (calls_.ok > 0) why += " (" + percent(failed_fraction) + ", at most " + percent(rule.max_failed_fraction) + " allowed)";
    if (calls_.timed_out > 0) why += ", " + std::to_string(calls_.timed_out) + " of them timed out";
  }
  // When every call failed, the gap says nothing more.
  if (worst && (calls_.ok > 0 || why.empty())) {
    why += (why.empty() ? "" : "; ") + std::string("no call succeeded for ") + seconds(worst->longest_gap_s) +
           " (from " + seconds(worst->longest_gap_from_s) + ", phase " + worst->name + "; at most " +
           seconds(worst->allowed_gap_s) + " allowed)";
  }
  if (why.empty()) return e;
  e.exercised = false;
  if (!errors_.empty()) why += " (" + quote_error(errors_.front()) + ")";
  e.reason = why;
  return e;
}

Exercise assess_exercise(std::span<const CallRecord> calls, const RunInfo& run, double end_s) {
  std::vector<const CallRecord*> in_order;
  in_order.reserve(calls.size());
  for (const CallRecord& c : calls) in_order.push_back(&c);
  std::stable_sort(in_order.begin(), in_order.end(),
                   [](const CallRecord* a, const CallRecord* b) { return a->t_s < b->t_s; });
  ExerciseTally tally(run.warmup_s);
  for (const CallRecord* c : in_order) {
    const auto phase = static_cast<std::size_t>(std::max(0, c->phase));
    tally.add(*c, phase < run.phases.size() ? run.phases[phase].start_s : c->t_s);
  }
  return tally.summarize(run.phases, end_s, exercise_rule(run));
}

}  // namespace mcpleak::analysis
