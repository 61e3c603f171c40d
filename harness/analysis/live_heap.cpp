#include "harness/analysis/live_heap.h"

#include <algorithm>

#include "harness/analysis/analysis.h"

namespace mcpleak::analysis {
namespace {

constexpr double kLookEveryS = 5;  // as the runner's RunOptions::look_every_s

int phase_at(const RunInfo& run, double t_s) {
  for (std::size_t i = 0; i < run.phases.size(); ++i) {
    if (t_s < run.phases[i].end_s || i + 1 == run.phases.size()) return static_cast<int>(i);
  }
  return 0;
}

}  // namespace

LiveHeapVerdict live_heap_verdict(std::span<const LiveHeapPoint> points, const RunInfo& attribution_run) {
  LiveHeapVerdict out;
  out.verdict = verdict_name(Verdict::inconclusive);
  out.points = points.size();
  if (points.empty()) return out;
  out.span_s = points.back().t_s - points.front().t_s;
  // The series as samples of a one-process tree, warm-up ending at its first point.
  RunInfo run = attribution_run;
  run.warmup_s = points.front().t_s;
  run.server_failure.reset();
  run.stopped_early_at_s.reset();
  run.stopped_early_verdict.reset();
  run.interrupted = false;
  std::vector<Sample> samples;
  for (const auto& p : points) {
    Sample s;
    s.t_s = p.t_s;
    s.calls = p.calls;
    s.phase = phase_at(run, p.t_s);
    s.tree.footprint_bytes = s.tree.rss_bytes = p.bytes;
    PidSample one;
    one.pid = p.pid;
    one.footprint_bytes = one.rss_bytes = p.bytes;
    s.tree.pids.push_back(std::move(one));
    samples.push_back(std::move(s));
  }
  const double last = samples.back().t_s;
  int look = 0;
  for (double t = run.warmup_s + run.min_duration_s; t <= last + 1e-9; t += std::max(kLookEveryS, 0.25 * t)) {
    const auto upto = std::upper_bound(samples.begin(), samples.end(), t,
                                       [](double v, const Sample& s) { return v < s.t_s; });
    RunInfo so_far = run;
    for (auto& ph : so_far.phases) ph.end_s = std::min(ph.end_s, t);
    const Look l = sequential_look(std::span<const Sample>(samples.begin(), upto), so_far, ++look, Exercise{});
    if (l.decided) {
      out.verdict = verdict_name(*l.decided);
      out.decided_after_s = t - run.warmup_s;
      break;
    }
  }
  const Report r = analyse(samples, {}, run);
  out.bytes_per_min = r.growth.bytes_per_min;
  out.ci95_bytes_per_min = r.growth.ci95_bytes_per_min;
  if (!out.decided_after_s && r.verdict != Verdict::server_failed) out.verdict = verdict_name(r.verdict);
  return out;
}

}  // namespace mcpleak::analysis
