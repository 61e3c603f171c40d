#include "harness/analysis/resources.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

#include "harness/analysis/decision.h"
#include "harness/analysis/sequential.h"
#include "harness/analysis/theil_sen.h"
#include "harness/analysis/trend.h"

namespace mcpleak::analysis {
namespace {

// Below this many points after warm-up (5 s at 4 Hz) no slope is worth reporting, as
// for the footprint.
constexpr std::size_t kMinPoints = 20;
// Start and end levels are medians of this many points: one odd sample is not a level.
constexpr std::size_t kLevelPoints = 7;  // odd: the median is a value that was seen
// The slope against calls is fitted on at most this many points (O(n^2) pairs).
constexpr std::size_t kMaxCallPoints = 400;

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string number(double v, const char* format) {
  char buf[48];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string signed_count(double v) { return (v >= 0 ? "+" : "-") + format_count(std::fabs(v)); }

// A slope, three significant digits: "+1.00", "+12.5", "-0.02".
std::string signed_rate(double v) {
  const double a = std::fabs(v);
  return number(v, a >= 100 ? "%+.0f" : a >= 10 ? "%+.1f" : "%+.2f");
}

std::string budget_text(const ResourceBudget& b) {
  if (b.off) return "off";
  std::string out = format_count(b.per_call) + "/call";
  if (b.per_min > 0) out += " + " + format_count(b.per_min) + "/min";
  return out + ", +" + format_count(b.allowance) + " in all";
}

// The samples of the judged window (verdict_points' rule) that carry a value, with
// their calls, so the same window gives the slope per minute and per call.
struct Series {
  std::vector<Point> by_time;
  std::vector<Point> by_calls;
};

Series series_of(std::span<const Sample> samples, const RunInfo& run,
                 const std::function<std::optional<double>(const Sample&)>& value) {
  Series s;
  s.by_time = verdict_points(samples, run, value);
  // The same window, with calls as x: verdict_points keeps time, so look the calls up.
  std::vector<Point> with_calls = verdict_points(samples, run, [&](const Sample& x) -> std::optional<double> {
    if (!value(x)) return std::nullopt;
    return static_cast<double>(x.calls);
  });
  for (std::size_t i = 0; i < s.by_time.size() && i < with_calls.size(); ++i) {
    s.by_calls.push_back(Point{with_calls[i].y, s.by_time[i].y, s.by_time[i].group});
  }
  return s;
}

ResourceVerdict judge_one(const std::string& name, const Series& s, const ResourceBudget& b,
                          std::size_t min_points = kMinPoints) {
  ResourceVerdict v;
  v.name = name;
  v.budget = budget_text(b);
  v.points = s.by_time.size();
  v.driver = "none";
  if (s.by_time.size() < min_points) {
    v.verdict = "inconclusive";
    v.why = "too few samples after warm-up (" + std::to_string(s.by_time.size()) + ")";
    return v;
  }
  std::vector<Point> pts = s.by_time;
  std::sort(pts.begin(), pts.end(), [](const Point& a, const Point& c) { return a.x < c.x; });
  std::vector<double> head, tail;
  // A short series (heap(1) readings) takes its levels from its thirds.
  const std::size_t level_points = std::min(kLevelPoints, std::max<std::size_t>(1, pts.size() / 3));
  for (std::size_t i = 0; i < pts.size(); ++i) {
    if (i < level_points) head.push_back(pts[i].y);
    if (i + level_points >= pts.size()) tail.push_back(pts[i].y);
    v.peak = std::max(v.peak, pts[i].y);
  }
  v.start = median(head);
  v.end = median(tail);
  const double net = v.end - v.start;

  const Decision d = decide(pts, 0, kFinalAlphaPerSide);  // trends only; budget applied below
  v.per_min = d.whole.per_min;
  v.ci95_per_min = {std::isinf(d.whole.lo_per_min) ? d.whole.min_per_min : d.whole.lo_per_min,
                    std::isinf(d.whole.hi_per_min) ? d.whole.max_per_min : d.whole.hi_per_min};
  const Trend recent95 = at_level(d.recent, 0.025);

  // Calls made across the window, and the slope against them.
  double calls_first = 0, calls_last = 0, span_min = 0;
  if (!s.by_calls.empty()) {
    const auto [lo, hi] = std::minmax_element(s.by_time.begin(), s.by_time.end(),
                                              [](const Point& a, const Point& c) { return a.x < c.x; });
    calls_first = s.by_calls[static_cast<std::size_t>(lo - s.by_time.begin())].x;
    calls_last = s.by_calls[static_cast<std::size_t>(hi - s.by_time.begin())].x;
    span_min = (hi->x - lo->x) / 60.0;
  }
  const double calls_made = calls_last - calls_first;
  if (calls_made >= 10) {
    std::vector<Point> thinned;
    const std::size_t step = std::max<std::size_t>(1, s.by_calls.size() / kMaxCallPoints);
    for (std::size_t i = 0; i < s.by_calls.size(); i += step) thinned.push_back(s.by_calls[i]);
    v.per_call = theil_sen(thinned, kFinalAlphaPerSide).slope;
  }
  const double calls_per_min = span_min > 0 ? calls_made / span_min : 0;
  const double rate_budget = b.per_call * calls_per_min + b.per_min;

  const bool steady = d.whole.lo_per_min > rate_budget && recent95.lo_per_min > rate_budget;
  if (steady) v.driver = v.per_call && calls_made >= 10 && *v.per_call > 0 ? "calls" : "time";
  if (b.off) {
    v.verdict = "not judged";
    v.why = "--resource-budget " + name + "=off";
  } else if (steady && net > b.allowance) {
    v.verdict = "leaking";
    v.why = "grows steadily, also in the latest half (" + signed_rate(d.recent.per_min) + "/min), " +
            signed_count(net) + " in all > allowance +" + format_count(b.allowance);
  } else if (net <= b.allowance) {
    v.verdict = "bounded";
    v.why = signed_count(net) + " over the window, within the allowance +" + format_count(b.allowance);
  } else if (d.whole.hi_per_min <= rate_budget || recent95.hi_per_min <= rate_budget) {
    v.verdict = "bounded";
    v.why = "grew " + signed_count(net) + " and then stopped (latest half " + signed_rate(d.recent.per_min) +
            "/min)";
  } else {
    v.verdict = "inconclusive";
    v.why = "grew " + signed_count(net) + " over the window, not clearly in the latest half (" +
            signed_rate(d.recent.per_min) + "/min)";
  }
  return v;
}

}  // namespace

std::string format_count(double v) {
  if (std::fabs(v - std::round(v)) > 1e-9) {
    return number(v, std::fabs(v) >= 100 ? "%.0f" : std::fabs(v) >= 10 ? "%.1f" : "%.2f");
  }
  std::string digits = number(std::fabs(v), "%.0f");
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return (v < 0 ? "-" : "") + digits;
}

ResourceBudget resource_budget(const RunInfo& run, const std::string& name) {
  if (const auto it = run.resource_budgets.find(name); it != run.resource_budgets.end()) return it->second;
  const auto defaults = default_resource_budgets();
  const auto it = defaults.find(name);
  return it == defaults.end() ? ResourceBudget{} : it->second;
}

ResourceVerdict judge_counted(const std::string& name, std::span<const Sample> samples, const RunInfo& run,
                              const std::function<std::optional<double>(const Sample&)>& value,
                              const ResourceBudget& budget, std::size_t min_points) {
  ResourceVerdict v = judge_one(name, series_of(samples, run, value), budget, min_points);
  v.headline = resource_headline(v);
  return v;
}

std::vector<ResourceVerdict> judge_resources(std::span<const Sample> samples, const RunInfo& run) {
  using Value = std::function<std::optional<double>(const Sample&)>;
  const std::vector<std::pair<std::string, Value>> resources = {
      {"processes", [](const Sample& s) -> std::optional<double> {
         return s.tree.processes > 0 ? std::optional<double>(s.tree.processes) : std::nullopt;
       }},
      {"fds", [](const Sample& s) -> std::optional<double> {
         return s.tree.fds ? std::optional<double>(static_cast<double>(*s.tree.fds)) : std::nullopt;
       }},
      {"threads", [](const Sample& s) -> std::optional<double> {
         return s.tree.threads ? std::optional<double>(static_cast<double>(*s.tree.threads)) : std::nullopt;
       }},
  };
  std::vector<ResourceVerdict> out;
  // Not a structured binding: clang before 16 cannot capture one in a lambda.
  for (const auto& resource : resources) {
    const std::string& name = resource.first;
    const Value& value = resource.second;
    const bool readable = std::any_of(samples.begin(), samples.end(), [&](const Sample& s) { return value(s).has_value(); });
    if (!readable) {
      ResourceVerdict v;
      v.name = name;
      v.verdict = "not judged";
      v.why = samples.empty() ? "no samples" : "not readable for the server's processes";
      v.budget = budget_text(resource_budget(run, name));
      out.push_back(std::move(v));
      continue;
    }
    out.push_back(judge_one(name, series_of(samples, run, value), resource_budget(run, name)));
  }
  for (auto& v : out) v.headline = resource_headline(v);
  return out;
}

std::optional<ResourceVerdict> judge_orphans(const RunInfo& run) {
  const ResourceBudget b = resource_budget(run, "orphans");
  ResourceVerdict v;
  v.name = "orphans";
  v.budget = b.off ? "off" : "+" + format_count(b.allowance) + " in all";
  v.driver = "none";
  if (!run.reconnect_cycles.empty()) {
    // Survivors accumulate over the cycles: each cycle's count includes the earlier ones.
    const auto& last = run.reconnect_cycles.back();
    v.start = 0;
    v.end = static_cast<double>(last.survivors);
    for (const auto& c : run.reconnect_cycles) v.peak = std::max(v.peak, static_cast<double>(c.survivors));
    v.points = run.reconnect_cycles.size();
    v.per_session = v.end / static_cast<double>(run.reconnect_cycles.size());
    v.driver = v.end > 0 ? "reconnects" : "none";
    std::size_t failed = 0;
    for (const auto& c : run.reconnect_cycles) failed += c.error.empty() ? 0 : 1;
    if (b.off) {
      v.verdict = "not judged";
      v.why = "--resource-budget orphans=off";
    } else if (v.end > b.allowance) {
      v.verdict = "leaking";
      v.why = format_count(v.end) + " processes survived " + std::to_string(run.reconnect_cycles.size()) +
              " reconnects (" + format_count(*v.per_session) + " per reconnect)";
    } else if (failed * 2 > run.reconnect_cycles.size()) {
      // Disconnecting a server that never answered says little about one that did.
      v.verdict = "inconclusive";
      v.why = std::to_string(failed) + " of " + std::to_string(run.reconnect_cycles.size()) + " cycles failed";
    } else {
      v.verdict = "bounded";
      v.why = "no process survived " + std::to_string(run.reconnect_cycles.size()) + " reconnects";
    }
    v.headline = resource_headline(v);
    return v;
  }
  if (!run.orphan_check || run.orphan_check->status != "done") return std::nullopt;
  std::uint64_t survivors = 0;
  for (const auto& p : run.orphan_check->processes) survivors += p.fate == "survived" ? 1 : 0;
  v.end = v.peak = static_cast<double>(survivors);
  v.points = 1;
  if (b.off) {
    v.verdict = "not judged";
    v.why = "--resource-budget orphans=off";
  } else if (v.end > b.allowance) {
    v.verdict = "leaking";
    v.why = format_count(v.end) + (v.end == 1 ? " process" : " processes") + " of the server's tree still alive " +
            number(run.orphan_check->grace_s, "%.0f") + " s after disconnect";
  } else {
    v.verdict = "bounded";
    v.why = "nothing of the server's tree was alive " + number(run.orphan_check->grace_s, "%.0f") +
            " s after disconnect";
  }
  v.headline = resource_headline(v);
  return v;
}

std::string resource_headline(const ResourceVerdict& v) {
  if (v.name == "orphans") {
    if (v.per_session) {
      return "orphans " + format_count(v.end) + " after " + std::to_string(v.points) + " reconnects (" +
             format_count(*v.per_session) + " per reconnect)";
    }
    return format_count(v.end) + " orphaned process" + (v.end == 1 ? "" : "es") + " after disconnect";
  }
  const std::string levels = " (" + format_count(v.start) + " → " + format_count(v.end) + ")";
  if (v.driver == "calls" && v.per_call) return v.name + " " + signed_rate(*v.per_call) + " per call" + levels;
  return v.name + " " + signed_rate(v.per_min) + "/min" + levels;
}

}  // namespace mcpleak::analysis
