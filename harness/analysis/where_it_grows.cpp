#include "harness/analysis/where_it_grows.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "harness/analysis/format.h"
#include "harness/analysis/theil_sen.h"

namespace mcpleak::analysis {
namespace {

// Fewer checkpoints than this and no growth can be called steady.
constexpr std::size_t kMinCheckpoints = 3;

struct Fit {
  double per_call = 0;
  bool steady = false;
};

// y over the checkpoints' call counts: the Theil–Sen slope, and whether the later half
// keeps growing at `late_share` of it.
Fit fit_growth(const std::vector<double>& calls, const std::vector<double>& y, double min_per_call,
               double late_share) {
  std::vector<Point> points;
  for (std::size_t i = 0; i < y.size(); ++i) points.push_back({calls[i], y[i], 0});
  Fit f;
  f.per_call = theil_sen(points, 0.025).slope;
  const std::size_t n = y.size(), mid = n / 2;
  const double late_calls = calls[n - 1] - calls[mid];
  const double late = late_calls > 0 ? (y[n - 1] - y[mid]) / late_calls : 0;
  f.steady = n >= kMinCheckpoints && f.per_call >= min_per_call && late >= late_share * f.per_call;
  return f;
}

std::string runtime_heap(const std::string& runtime) {
  return runtime == "node"     ? "V8 heap"
         : runtime == "python" ? "Python heap"
         : runtime == "native" ? "malloc heap"
         : runtime == "macos"  ? "malloc zones"
                               : "instrumented heap";
}

std::string percent(double fraction) { return std::to_string(static_cast<int>(std::lround(fraction * 100))) + "%"; }

// The hooked processes' checkpoints, each pid's in index order.
std::map<pid_t, std::vector<const HeapCheckpoint*>> by_pid(std::span<const HeapCheckpoint> checkpoints) {
  std::map<pid_t, std::vector<const HeapCheckpoint*>> out;
  for (const auto& c : checkpoints) out[c.pid].push_back(&c);
  for (auto& [pid, list] : out) {
    std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->index < b->index; });
  }
  return out;
}

void fit_sites(pid_t pid, const std::vector<const HeapCheckpoint*>& series, const std::vector<double>& calls,
               const SiteRule& rule, WhereItGrows& out) {
  std::set<std::string> keys;
  for (auto* c : series) for (const auto& s : c->sites) keys.insert(s.key);
  for (const auto& key : keys) {
    std::vector<double> bytes, counts;
    const SiteSnapshot* last = nullptr;
    bool counted = true;
    for (auto* c : series) {
      auto it = std::find_if(c->sites.begin(), c->sites.end(), [&](const SiteSnapshot& s) { return s.key == key; });
      // Absent: under the hook's reporting threshold at that checkpoint.
      bytes.push_back(it == c->sites.end() ? 0 : static_cast<double>(it->bytes));
      counts.push_back(it == c->sites.end() || !it->count ? 0 : static_cast<double>(*it->count));
      if (it != c->sites.end()) {
        last = &*it;
        counted &= it->count.has_value();
      }
    }
    const Fit f = fit_growth(calls, bytes, rule.min_bytes_per_call, rule.late_share);
    if (!f.steady || !last) continue;
    GrowingSite site;
    site.pid = pid;
    site.runtime = series.front()->runtime;
    site.site = key;
    site.function = last->stack.empty() ? "" : last->stack.front().function;
    site.bytes_per_call = f.per_call;
    if (counted) site.blocks_per_call = fit_growth(calls, counts, 0, 0).per_call;
    site.stack = last->stack;
    for (double b : bytes) site.bytes_at_checkpoints.push_back(static_cast<std::uint64_t>(b));
    for (auto* c : series) site.t_at_checkpoints.push_back(c->t_s);
    out.sites.push_back(std::move(site));
  }
}

void fit_types(pid_t pid, const std::vector<const HeapCheckpoint*>& series, const std::vector<double>& calls,
               const SiteRule& rule, WhereItGrows& out) {
  std::set<std::string> names;
  for (auto* c : series) for (const auto& t : c->types) names.insert(t.type);
  for (const auto& name : names) {
    std::vector<double> counts, bytes;
    for (auto* c : series) {
      auto it = std::find_if(c->types.begin(), c->types.end(), [&](const TypeSnapshot& t) { return t.type == name; });
      counts.push_back(it == c->types.end() ? 0 : static_cast<double>(it->count));
      bytes.push_back(it == c->types.end() ? 0 : static_cast<double>(it->bytes));
    }
    const Fit f = fit_growth(calls, counts, rule.min_objects_per_call, rule.late_share);
    if (!f.steady) continue;
    out.types.push_back({pid, name, f.per_call, fit_growth(calls, bytes, 0, 0).per_call});
  }
}

std::string no_hook_reason(const AttributionRun& run) {
  if (run.mode == "native") {
    return "heaptrack recorded no checkpoint of the server (see the notes); the verdict is unaffected";
  }
  std::string why = "no process of the server loaded the hook";
  if (run.mode == "python" || run.mode == "auto") {
    why += " (python -I, -E or -S ignores PYTHONPATH and skips sitecustomize";
  }
  if (run.mode == "node" || run.mode == "auto") {
    why += std::string(run.mode == "auto" ? "; " : " (") +
           "a node started without NODE_OPTIONS, or one that forbids --require, loads no hook";
  }
  return why + "); the verdict is unaffected";
}

void explain(const Report& verdict, WhereItGrows& out) {
  std::set<std::string> runtimes;
  for (const auto& p : out.processes) runtimes.insert(p.runtime);
  std::string heaps;
  for (const auto& r : runtimes) heaps += (heaps.empty() ? "" : " and the ") + runtime_heap(r);
  if (heaps.empty()) heaps = "instrumented heap";
  double site_sum = 0;
  for (const auto& s : out.sites) site_sum += s.bytes_per_call;
  double live_sum = 0;
  for (const auto& p : out.processes) live_sum += p.live_heap_bytes_per_call.value_or(0);

  const auto& fp = out.footprint_bytes_per_call;
  if (verdict.verdict != Verdict::leaking || !fp || *fp <= 0) {
    out.statement = out.sites.empty()
                        ? "no allocation site in the " + heaps + " grows steadily with calls"
                        : std::to_string(out.sites.size()) + " site(s) in the " + heaps +
                              " grow with calls, while the verdict run's footprint was " +
                              verdict_name(verdict.verdict);
    return;
  }
  out.explained_fraction = site_sum / *fp;
  for (auto& s : out.sites) s.share_of_growth = s.bytes_per_call / *fp;
  const double explained = std::min(1.0, *out.explained_fraction);
  if (explained < 0.5) {
    out.statement = percent(1 - explained) + " of the growth is outside the " + heaps +
                    (runtimes.contains("native")
                         ? ": memory mapped directly (mmap), another allocator's arenas, or other processes of the tree"
                         : ": native or framework memory; see --attribute native (Linux) or the macOS tools");
  } else {
    out.statement = "the sites below explain " + percent(explained) + " of the footprint's growth (" +
                    format_bytes(site_sum) + "/call of " + format_bytes(*fp) + "/call)";
  }
  if (runtimes.size() == 1 && runtimes.contains("native")) {
    out.statement += live_sum < 0.1 * *fp ? "; malloc's live bytes are flat (" + format_bytes(live_sum) +
                                                "/call) while the footprint grows: the growth is outside malloc"
                                          : "; malloc's live bytes grow too (" + format_bytes(live_sum) + "/call)";
  } else if (live_sum < 0.1 * *fp) {
    out.statement += "; the live heap is flat (" + format_bytes(live_sum) +
                     "/call) while the footprint grows: allocator or native growth, not heap objects";
  } else {
    out.statement += "; the live heap grows too (" + format_bytes(live_sum) + "/call): heap objects";
  }
}

}  // namespace

WhereItGrows where_it_grows(std::span<const HeapCheckpoint> checkpoints, const AttributionRun& run,
                            const Report& verdict, const SiteRule& rule) {
  WhereItGrows out;
  out.mode = run.mode;
  out.every_calls = run.every_calls;
  out.checkpoints = run.checkpoints_planned;
  out.overhead.p50_ms_verdict = verdict.calls.p50_ms;
  out.overhead.p50_ms_instrumented = run.p50_ms;
  out.footprint_bytes_per_call = verdict.growth.bytes_per_call;
  std::set<std::string> runtimes;
  for (const auto& [pid, series] : by_pid(checkpoints)) {
    HookedProcess p;
    p.pid = pid;
    p.runtime = series.front()->runtime;
    p.version = series.front()->version;
    p.checkpoints = static_cast<int>(series.size());
    runtimes.insert(p.runtime);
    std::vector<double> calls, live;
    for (auto* c : series) {
      calls.push_back(static_cast<double>(c->calls));
      live.push_back(static_cast<double>(c->live_heap_bytes));
      out.overhead.checkpoint_s_max = std::max(out.overhead.checkpoint_s_max, c->took_s);
      if (c->hook_overhead_bytes) {
        out.overhead.hook_bytes_max = std::max(out.overhead.hook_bytes_max.value_or(0), *c->hook_overhead_bytes);
      }
    }
    if (series.size() < kMinCheckpoints) {
      p.note = "only " + std::to_string(series.size()) + " checkpoint(s): too few to call any growth steady";
    } else {
      p.live_heap_bytes_per_call = fit_growth(calls, live, 0, 0).per_call;
      fit_sites(pid, series, calls, rule, out);
      fit_types(pid, series, calls, rule, out);
    }
    out.processes.push_back(std::move(p));
  }
  std::sort(out.sites.begin(), out.sites.end(),
            [](const auto& a, const auto& b) { return a.bytes_per_call > b.bytes_per_call; });
  if (out.sites.size() > rule.max_sites) out.sites.resize(rule.max_sites);
  std::sort(out.types.begin(), out.types.end(),
            [](const auto& a, const auto& b) { return a.objects_per_call > b.objects_per_call; });
  if (out.types.size() > rule.max_types) out.types.resize(rule.max_types);

  if (runtimes.contains("python")) {
    out.limits.push_back("tracemalloc sees Python's allocator only: memory held by C extensions, CoreFoundation "
                         "or framework objects behind pyobjc handles is outside it; object counts cover gc-tracked "
                         "objects and those they reference directly");
  }
  if (runtimes.contains("node")) {
    out.limits.push_back("the sampling heap profiler sees the V8 heap, sampled about every 16 KiB (sites are "
                         "estimates) and by function: a Node site's line is where its function begins; "
                         "Buffers' backing stores and native addons' memory are outside it");
  }
  if (runtimes.contains("native")) {
    out.limits.push_back("heaptrack sees malloc, new and their kin in the one process mcpleak started (its preload "
                         "does not reach children); memory mapped directly, a custom allocator's arenas and other "
                         "processes of the tree are outside it. heaptrack's own file is attribution/"
                         "heaptrack.interpreted: `heaptrack_print -f` or heaptrack_gui read it");
  }
  if (runtimes.contains("macos")) {
    out.limits.push_back("heap(1) counts the live objects of the malloc zones by class (CoreFoundation and "
                         "Objective-C classes named, C and C++ blocks by size); memory outside malloc (VM_ALLOCATE, "
                         "IOSurface, mapped files) is in the vmmap and footprint tables. The stacks of "
                         "malloc_history and leaks are the live allocations at the end, not their growth");
  }
  const bool enough = std::any_of(out.processes.begin(), out.processes.end(),
                                  [](const HookedProcess& p) { return p.checkpoints >= int{kMinCheckpoints}; });
  if (out.processes.empty()) {
    out.why = no_hook_reason(run);
  } else if (!enough) {
    out.why = "fewer than " + std::to_string(kMinCheckpoints) +
              " checkpoints were taken (the run ended first: raise --duration or lower --attribute-every)";
  }
  if (!out.why.empty()) {
    if (run.server_failed) out.why += "; the attribution run's server failed: " + run.server_failure;
    return out;
  }
  out.status = "ok";
  explain(verdict, out);
  return out;
}

}  // namespace mcpleak::analysis
