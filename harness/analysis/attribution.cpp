#include "harness/analysis/attribution.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "harness/analysis/quantiles.h"
#include "harness/analysis/sequential.h"
#include "harness/analysis/theil_sen.h"
#include "harness/analysis/trend.h"

namespace mcpleak::analysis {
namespace {

// Samples right after a phase change belong to neither regime: the last calls finish,
// the allocator trims, a GC runs.
constexpr double kSettleSeconds = 2;
// Window whose median gives "the footprint at" an instant (end of warm-up, end of idle).
constexpr double kLevelSeconds = 5;

bool phase_is_idle(const RunInfo& run, int phase) {
  return phase >= 0 && static_cast<std::size_t>(phase) < run.phases.size() &&
         run.phases[static_cast<std::size_t>(phase)].idle;
}

double phase_start(const RunInfo& run, int phase, double fallback) {
  if (phase >= 0 && static_cast<std::size_t>(phase) < run.phases.size()) {
    return run.phases[static_cast<std::size_t>(phase)].start_s;
  }
  return fallback;
}

// Medians of time, calls, sessions and footprint per block of samples, per phase: the
// counters as regressors without O(n^2) over thousands of samples.
struct Row {
  double t = 0, calls = 0, sessions = 0, bytes = 0;
  int phase = 0;
};

std::vector<Row> block_rows(const std::vector<const Sample*>& samples, double block_s) {
  std::vector<Row> rows;
  std::vector<double> t, c, s, b;
  int phase = 0;
  long block = -1;
  double x0 = 0;
  bool first = true;
  auto flush = [&] {
    if (t.empty()) return;
    rows.push_back(Row{median(t), median(c), median(s), median(b), phase});
    t.clear(), c.clear(), s.clear(), b.clear();
  };
  for (const Sample* p : samples) {
    if (first || p->phase != phase) {
      flush();
      first = false;
      phase = p->phase;
      x0 = p->t_s;
      block = -1;
    }
    const long index = static_cast<long>(std::floor((p->t_s - x0) / block_s));
    if (index != block) {
      flush();
      block = index;
    }
    t.push_back(p->t_s);
    c.push_back(static_cast<double>(p->calls));
    s.push_back(static_cast<double>(p->sessions));
    b.push_back(static_cast<double>(p->tree.footprint_bytes));
  }
  flush();
  return rows;
}

template <class X, class Y>
SenFit fit_rows(const std::vector<Row>& rows, X x, Y y) {
  std::vector<Point> points;
  points.reserve(rows.size());
  for (const Row& r : rows) points.push_back(Point{x(r), y(r), r.phase});
  return theil_sen(points, kFinalAlphaPerSide);
}

// Median absolute residual of footprint around a Theil–Sen fit on one counter.
template <class X>
double residual_spread(const std::vector<Row>& rows, X x) {
  const SenFit fit = fit_rows(rows, x, [](const Row& r) { return r.bytes; });
  std::vector<double> residuals;
  for (const Row& r : rows) residuals.push_back(std::fabs(r.bytes - fit.slope * x(r) - fit.intercept));
  return median(std::move(residuals));
}

double level_at_end(const std::vector<const Sample*>& samples) {
  std::vector<double> values;
  const double end = samples.back()->t_s;
  for (const Sample* s : samples) {
    if (s->t_s >= end - kLevelSeconds) values.push_back(static_cast<double>(s->tree.footprint_bytes));
  }
  return median(std::move(values));
}

}  // namespace

Attribution attribute(std::span<const Sample> all, const RunInfo& run, bool growing) {
  Attribution out;
  std::vector<const Sample*> samples;
  for (const Sample& s : all) {
    if (s.t_s >= run.warmup_s) samples.push_back(&s);
  }
  std::stable_sort(samples.begin(), samples.end(),
                   [](const Sample* a, const Sample* b) { return a->t_s < b->t_s; });
  if (samples.size() < 2) return out;

  // c: time-driven growth, from idle phases pooled (pairs only within a phase).
  std::vector<Point> idle;
  double idle_seconds = 0;
  std::vector<const Sample*> active;
  {
    std::map<int, std::pair<double, double>> idle_ranges;
    for (const Sample* s : samples) {
      if (!phase_is_idle(run, s->phase)) {
        active.push_back(s);
        continue;
      }
      if (s->t_s < phase_start(run, s->phase, 0) + kSettleSeconds) continue;
      idle.push_back(Point{s->t_s, static_cast<double>(s->tree.footprint_bytes), s->phase});
      auto [it, fresh] = idle_ranges.try_emplace(s->phase, s->t_s, s->t_s);
      if (!fresh) it->second.second = s->t_s;
    }
    for (auto& [phase, range] : idle_ranges) idle_seconds += range.second - range.first;
  }
  if (idle_seconds >= kMinIdleSeconds) {
    out.idle_bytes_per_min = estimate_trend(idle, kFinalAlphaPerSide).per_min;
  }

  // b: what active phases grow beyond c, per call (and per session).
  std::optional<double> active_per_min;
  double calls_per_min = 0;
  double sessions_per_min = 0;
  std::vector<Row> rows;
  if (active.size() >= 2) {
    double span = 0;
    for (std::size_t i = 1; i < active.size(); ++i) {
      if (active[i]->phase == active[i - 1]->phase) span += active[i]->t_s - active[i - 1]->t_s;
    }
    rows = block_rows(active, block_length_s(span));
    if (rows.size() >= 3) {
      auto t = [](const Row& r) { return r.t; };
      active_per_min = fit_rows(rows, t, [](const Row& r) { return r.bytes; }).slope * 60;
      calls_per_min = fit_rows(rows, t, [](const Row& r) { return r.calls; }).slope * 60;
      sessions_per_min = fit_rows(rows, t, [](const Row& r) { return r.sessions; }).slope * 60;
    }
  }
  if (active_per_min) {
    const double time_part = out.idle_bytes_per_min.value_or(0);
    if (calls_per_min > 0) out.bytes_per_call = (*active_per_min - time_part) / calls_per_min;
    if (sessions_per_min > 0) {
      out.bytes_per_session = (*active_per_min - time_part) / sessions_per_min;
    }
  }

  if (growing) {
    const bool calls_made = calls_per_min > 0;
    if (out.idle_bytes_per_min && active_per_min) {
      // Comparable: idle keeps at least half the active rate. Below that, most of the
      // growth needs calls.
      out.driver = *out.idle_bytes_per_min >= 0.5 * *active_per_min ? "time" : "calls";
    } else {
      out.driver = calls_made ? "calls" : "time";
    }
    if (out.driver == "calls" && sessions_per_min > 0) {
      // Sessions and calls advance together in a steady loop; name sessions only when the
      // footprint follows the session counter clearly better than the call counter.
      const double by_calls = residual_spread(rows, [](const Row& r) { return r.calls; });
      const double by_sessions = residual_spread(rows, [](const Row& r) { return r.sessions; });
      if (by_sessions < 0.7 * by_calls) out.driver = "sessions";
    }
    if (!out.idle_bytes_per_min && calls_made) {
      out.warnings.push_back(
          "no idle phase of " + std::to_string(static_cast<int>(kMinIdleSeconds)) +
          " s or more: growth is attributed to calls because calls and time were collinear");
    }
  }

  // Retained: the level at the end of the last idle phase that follows a call phase,
  // against the level just after warm-up.
  int last_idle = -1;
  bool seen_active = false;
  for (std::size_t i = 0; i < run.phases.size(); ++i) {
    if (!run.phases[i].idle) seen_active = true;
    else if (seen_active) last_idle = static_cast<int>(i);
  }
  if (last_idle >= 0) {
    std::vector<const Sample*> tail;
    for (const Sample* s : samples) {
      if (s->phase == last_idle) tail.push_back(s);
    }
    std::vector<double> baseline;
    for (const Sample* s : samples) {
      if (s->t_s <= samples.front()->t_s + kLevelSeconds) {
        baseline.push_back(static_cast<double>(s->tree.footprint_bytes));
      }
    }
    if (!tail.empty()) out.retained_bytes = level_at_end(tail) - median(std::move(baseline));
  }
  return out;
}

}  // namespace mcpleak::analysis
