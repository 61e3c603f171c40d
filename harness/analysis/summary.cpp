#include "harness/analysis/summary.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "harness/analysis/quantiles.h"
#include "harness/analysis/sequential.h"
#include "harness/analysis/trend.h"

namespace mcpleak::analysis {

void fill_call_stats(Report& r, std::span<const CallRecord> calls) {
  std::vector<double> latencies;
  latencies.reserve(calls.size());
  for (const CallRecord& c : calls) {
    if (c.kind == CallKind::protocol) continue;  // a watched client's initialize, ping, lists
    (c.ok ? r.calls.ok : r.calls.failed) += 1;
    latencies.push_back(c.latency_ms);
  }
  if (latencies.empty()) return;
  r.calls.p50_ms = quantile(latencies, 0.5);
  r.calls.p99_ms = quantile(std::move(latencies), 0.99);
}

void fill_levels(Report& r, std::span<const Sample> samples) {
  if (samples.empty()) return;
  const auto by_time = [](const Sample& a, const Sample& b) { return a.t_s < b.t_s; };
  const Sample& first = *std::min_element(samples.begin(), samples.end(), by_time);
  const Sample& last = *std::max_element(samples.begin(), samples.end(), by_time);
  r.footprint.start_bytes = first.tree.footprint_bytes;
  r.footprint.end_bytes = last.tree.footprint_bytes;
  r.footprint.rss_start_bytes = first.tree.rss_bytes;
  r.footprint.rss_end_bytes = last.tree.rss_bytes;
  for (const Sample& s : samples) {
    r.footprint.peak_bytes = std::max(r.footprint.peak_bytes, s.tree.footprint_bytes);
  }
}

void fill_diagnostics(Report& r, std::span<const Sample> samples, double warmup_s) {
  std::set<std::string> names;
  for (const Sample& s : samples) {
    for (const auto& [name, value] : s.diagnostics) names.insert(name);
  }
  for (const std::string& name : names) {
    std::vector<Point> points;
    double last_t = -1;
    for (const Sample& s : samples) {
      const auto it = s.diagnostics.find(name);
      if (it == s.diagnostics.end()) continue;
      if (s.t_s >= last_t) {
        last_t = s.t_s;
        r.diagnostics_end[name] = it->second;
      }
      if (s.t_s >= warmup_s) points.push_back(Point{s.t_s, it->second, 0});
    }
    if (points.size() < 2) continue;
    const Trend t = estimate_trend(points, kFinalAlphaPerSide);
    r.diagnostics_per_min[name] = t.per_min;

    // A live-object counter that never goes down is the signature of objects retained
    // forever (the seed's observers), even while the footprint hides it.
    std::sort(points.begin(), points.end(), [](auto& a, auto& b) { return a.x < b.x; });
    const bool never_down = std::adjacent_find(points.begin(), points.end(), [](auto& a, auto& b) {
                              return b.y < a.y;
                            }) == points.end();
    const double rise = points.back().y - points.front().y;
    if (never_down && rise > 0 && t.per_min > 0) {
      char buf[160];
      std::snprintf(buf, sizeof buf,
                    "diagnostics counter \"%s\" only grows after warm-up: %g -> %g (%.3g/min)",
                    name.c_str(), points.front().y, points.back().y, t.per_min);
      r.warnings.push_back(buf);
    }
  }
}

void fill_regions(Report& r, std::span<const Sample> samples) {
  const Sample* first = nullptr;
  const Sample* last = nullptr;
  for (const Sample& s : samples) {
    if (s.regions.empty()) continue;
    if (!first || s.t_s < first->t_s) first = &s;
    if (!last || s.t_s >= last->t_s) last = &s;
  }
  if (!first) return;
  std::set<std::string> names;
  for (const auto& [name, bytes] : first->regions) names.insert(name);
  for (const auto& [name, bytes] : last->regions) names.insert(name);
  for (const std::string& name : names) {
    const auto a = first->regions.find(name);
    const auto b = last->regions.find(name);
    const double before = a == first->regions.end() ? 0 : static_cast<double>(a->second);
    const double after = b == last->regions.end() ? 0 : static_cast<double>(b->second);
    r.region_growth_bytes[name] = after - before;
  }
}

}  // namespace mcpleak::analysis
