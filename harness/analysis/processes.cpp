#include "harness/analysis/processes.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <vector>

#include "harness/analysis/decision.h"
#include "harness/analysis/sequential.h"
#include "harness/analysis/trend.h"

namespace mcpleak::analysis {
namespace {

const PidSample* find_pid(const Sample& s, pid_t pid) {
  for (const PidSample& p : s.tree.pids) {
    if (p.pid == pid) return &p;
  }
  return nullptr;
}

// What one pid looked like over the whole run (warm-up included).
struct Seen {
  ProcessGrowth row;
  bool seen = false;
};

}  // namespace

void fill_processes(Report& r, std::span<const Sample> samples, const RunInfo& run, std::size_t min_samples) {
  std::vector<const Sample*> by_time;
  by_time.reserve(samples.size());
  for (const Sample& s : samples) by_time.push_back(&s);
  std::stable_sort(by_time.begin(), by_time.end(), [](const Sample* a, const Sample* b) { return a->t_s < b->t_s; });
  if (by_time.empty() || by_time.front()->tree.pids.empty()) return;
  const pid_t leader = by_time.front()->tree.pids.front().pid;
  const Sample& last = *by_time.back();

  std::map<pid_t, Seen> seen;
  for (const Sample* s : by_time) {
    for (const PidSample& p : s->tree.pids) {
      Seen& e = seen[p.pid];
      ProcessGrowth& row = e.row;
      if (!e.seen) {
        e.seen = true;
        row.pid = p.pid;
        row.parent = p.ppid;
        row.first_seen_s = s->t_s;
        row.start_bytes = p.footprint_bytes;
      }
      if (!p.name.empty()) row.name = p.name;
      row.last_seen_s = s->t_s;
      row.end_bytes = p.footprint_bytes;
      row.peak_bytes = std::max(row.peak_bytes, p.footprint_bytes);
    }
  }

  const bool tree_grows = r.growth.ci95_bytes_per_min.lo > 0 && r.growth.bytes_per_min > 0;
  std::map<std::string, TransientProcesses> transient;
  for (auto& [pid, e] : seen) {
    ProcessGrowth& row = e.row;
    row.role = pid == leader ? "leader" : row.parent == leader ? "child" : "descendant";
    row.alive_at_end = find_pid(last, pid) != nullptr;
    // NOTE: a copy, not the structured binding: Apple clang cannot capture bindings (P1091).
    const pid_t this_pid = pid;
    const auto points = verdict_points(samples, run, [this_pid](const Sample& s) -> std::optional<double> {
      const PidSample* p = find_pid(s, this_pid);
      if (!p) return std::nullopt;
      return static_cast<double>(p->footprint_bytes);
    });
    if (points.size() < min_samples) {
      TransientProcesses& t = transient[row.name];
      t.name = row.name;
      ++t.count;
      t.peak_bytes = std::max(t.peak_bytes, row.peak_bytes);
      continue;
    }
    const Trend trend = estimate_trend(points, kFinalAlphaPerSide);
    row.bytes_per_min = trend.per_min;
    // Report intervals are finite: an unbounded end (too few blocks) becomes the range of
    // pairwise slopes, as for the tree.
    row.ci95_bytes_per_min = {std::isinf(trend.lo_per_min) ? trend.min_per_min : trend.lo_per_min,
                              std::isinf(trend.hi_per_min) ? trend.max_per_min : trend.hi_per_min};
    if (tree_grows) row.share_of_growth = trend.per_min / r.growth.bytes_per_min;
    r.processes.push_back(std::move(row));
  }
  std::stable_sort(r.processes.begin(), r.processes.end(),
                   [](const ProcessGrowth& a, const ProcessGrowth& b) { return a.bytes_per_min > b.bytes_per_min; });
  for (auto& [name, t] : transient) r.transient_processes.push_back(std::move(t));
}

}  // namespace mcpleak::analysis
