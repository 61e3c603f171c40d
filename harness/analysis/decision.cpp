#include "harness/analysis/decision.h"

#include <algorithm>

#include "harness/analysis/format.h"

namespace mcpleak::analysis {
namespace {

// The recent-half condition is a plateau guard, not the test whose error rate is
// claimed, so it uses the fixed two-sided 95% level whatever the look's level is.
constexpr double kRecentAlpha = 0.025;

}  // namespace

std::vector<Point> verdict_points(std::span<const Sample> samples, const RunInfo& run,
                                  Metric metric) {
  return verdict_points(samples, run, [metric](const Sample& s) -> std::optional<double> {
    return static_cast<double>(metric == Metric::footprint ? s.tree.footprint_bytes : s.tree.rss_bytes);
  });
}

std::vector<Point> verdict_points(std::span<const Sample> samples, const RunInfo& run,
                                  const std::function<std::optional<double>(const Sample&)>& value) {
  auto idle = [&](int phase) {
    return phase >= 0 && static_cast<std::size_t>(phase) < run.phases.size() &&
           run.phases[static_cast<std::size_t>(phase)].idle;
  };
  std::vector<const Sample*> kept;
  bool any_idle = false;
  bool any_active = false;
  for (const Sample& s : samples) {
    if (s.t_s < run.warmup_s) continue;
    kept.push_back(&s);
    (idle(s.phase) ? any_idle : any_active) = true;
  }
  std::stable_sort(kept.begin(), kept.end(),
                   [](const Sample* a, const Sample* b) { return a->t_s < b->t_s; });
  const bool skip_idle = any_idle && any_active;
  std::vector<Point> points;
  points.reserve(kept.size());
  int stretch = 0;
  bool in_gap = false;
  for (const Sample* s : kept) {
    if (skip_idle && idle(s->phase)) {
      in_gap = true;
      continue;
    }
    if (in_gap) ++stretch, in_gap = false;
    if (const auto y = value(*s)) points.push_back(Point{s->t_s, *y, stretch});
  }
  return points;
}

Decision decide(std::span<const Point> points, double budget_bytes_per_min,
                double alpha_per_side) {
  Decision d;
  d.whole = estimate_trend(points, alpha_per_side);
  if (points.empty()) {
    d.why = "no samples after warm-up";
    return d;
  }
  const auto [first, last] = std::minmax_element(
      points.begin(), points.end(), [](const Point& a, const Point& b) { return a.x < b.x; });
  const double mid_s = (first->x + last->x) / 2;
  std::vector<Point> recent;
  for (const Point& p : points) {
    if (p.x >= mid_s) recent.push_back(p);
  }
  d.recent = estimate_trend(recent, alpha_per_side, &d.whole.noise);

  const double budget = budget_bytes_per_min;
  if (d.whole.lo_per_min > budget) {
    const Trend recent95 = alpha_per_side == kRecentAlpha
                               ? d.recent
                               : at_level(d.recent, kRecentAlpha);
    if (recent95.lo_per_min > budget) {
      d.verdict = Verdict::leaking;
      d.why = "still growing in the latest half (" + format_rate(d.recent.per_min) + ")";
    } else {
      d.why = "growth above budget over the window but not clearly in the latest half (" +
              format_rate(d.recent.per_min) + ", 95% CI " +
              format_interval(recent95.lo_per_min, recent95.hi_per_min) +
              "): a plateau or a slowing creep";
    }
    return d;
  }
  // "bounded" has two routes; each gets half the level so that together they keep it.
  const Trend whole_half = at_level(d.whole, alpha_per_side / 2);
  if (whole_half.hi_per_min < budget && d.recent.per_min < budget) {
    d.verdict = Verdict::bounded;
    d.why = "upper bound " + format_rate(whole_half.hi_per_min) + " at half the level";
    return d;
  }
  const Trend recent_half = at_level(d.recent, alpha_per_side / 2);
  if (recent_half.hi_per_min < budget) {
    d.verdict = Verdict::bounded;
    d.why = "latest half " + format_rate(d.recent.per_min) + " (upper bound " +
            format_rate(recent_half.hi_per_min) + " at half the level)";
    return d;
  }
  d.why = "interval " + format_interval(d.whole.lo_per_min, d.whole.hi_per_min) +
          " includes the budget";
  return d;
}

}  // namespace mcpleak::analysis
