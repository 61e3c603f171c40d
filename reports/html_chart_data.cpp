#include "reports/html_chart_data.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace mcpleak::reports {
namespace {

constexpr const char* kPidColors[] = {"#8250df", "#1a7f37", "#bf8700", "#0550ae",
                                      "#a40e26", "#6e7781", "#953800", "#116329"};

std::vector<Point> footprint_points(std::span<const Sample> samples) {
  std::vector<Point> pts;
  pts.reserve(samples.size());
  for (const auto& s : samples) pts.push_back({s.t_s, static_cast<double>(s.tree.footprint_bytes)});
  return pts;
}

std::vector<Point> rss_points(std::span<const Sample> samples) {
  std::vector<Point> pts;
  pts.reserve(samples.size());
  for (const auto& s : samples) pts.push_back({s.t_s, static_cast<double>(s.tree.rss_bytes)});
  return pts;
}

double end_time(const Report& r, std::span<const Sample> samples) {
  double end = r.run.elapsed_s;
  if (!samples.empty()) end = std::max(end, samples.back().t_s);
  return end;
}

// The slope line and its band, anchored where the fit starts: the first sample after
// warm-up. Report carries the slope but not an intercept, so the line shows the rate,
// not a best-fit offset.
void add_fit(const Report& r, std::span<const Sample> samples, const std::string& prefix,
             const std::string& color, Chart& chart) {
  const auto anchor = std::find_if(samples.begin(), samples.end(),
                                   [&](const Sample& s) { return s.t_s >= r.run.warmup_s; });
  if (anchor == samples.end()) return;
  const double t0 = anchor->t_s, y0 = static_cast<double>(anchor->tree.footprint_bytes);
  const double t1 = end_time(r, samples);
  if (t1 <= t0) return;
  const auto at = [&](double per_min) { return y0 + per_min * (t1 - t0) / 60.0; };
  const auto& g = r.growth;
  chart.bands.push_back({prefix + "95% interval of the slope",
                         {{t0, y0}, {t1, at(g.ci95_bytes_per_min.hi)}},
                         {{t0, y0}, {t1, at(g.ci95_bytes_per_min.lo)}},
                         color,
                         0.14});
  ChartLine fit{prefix + "fitted slope (from warm-up end)", {{t0, y0}, {t1, at(g.bytes_per_min)}},
                color, 1.5, true, false};
  chart.lines.push_back(std::move(fit));
}

void add_process_lines(std::span<const Sample> samples, Chart& chart) {
  struct Series {
    std::string name;
    std::uint64_t peak = 0;
    std::vector<Point> points;
  };
  std::map<pid_t, Series> by_pid;
  for (const auto& s : samples) {
    for (const auto& p : s.tree.pids) {
      Series& series = by_pid[p.pid];
      if (series.name.empty()) series.name = p.name;
      series.peak = std::max(series.peak, p.footprint_bytes);
      series.points.push_back({s.t_s, static_cast<double>(p.footprint_bytes)});
    }
  }
  if (by_pid.size() < 2) return;  // one process: its line is the total line
  std::vector<std::pair<pid_t, Series*>> order;
  for (auto& [pid, series] : by_pid) order.emplace_back(pid, &series);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.second->peak > b.second->peak; });
  if (order.size() > kMaxProcessLines) order.resize(kMaxProcessLines);
  std::size_t color = 0;
  for (auto& [pid, series] : order) {
    std::string label = "pid " + std::to_string(pid);
    if (!series->name.empty()) label += " " + series->name;
    chart.lines.push_back({label, std::move(series->points),
                           kPidColors[color++ % std::size(kPidColors)], 1.0, false, true});
  }
}

void add_call_bars(std::span<const CallRecord> calls, double end_s, Chart& chart) {
  if (calls.empty() || end_s <= 0) return;
  const std::size_t bins = kMaxCallBars;
  const double width = end_s / static_cast<double>(bins);
  std::vector<ChartBar> bars(bins);
  for (std::size_t i = 0; i < bins; ++i) {
    bars[i].x0 = width * static_cast<double>(i);
    bars[i].x1 = width * static_cast<double>(i + 1);
  }
  for (const auto& c : calls) {
    if (!(c.t_s >= 0)) continue;
    const auto i = std::min(bins - 1, static_cast<std::size_t>(c.t_s / width));
    (c.ok ? bars[i].ok_per_s : bars[i].failed_per_s) += 1.0 / width;
  }
  chart.bars = std::move(bars);
}

void add_phase_markers(const Report& r, Chart& chart) {
  for (const auto& p : r.run.phases) chart.markers.push_back({p.start_s, p.name});
}

}  // namespace

Chart run_chart(const Report& r, std::span<const Sample> samples, std::span<const CallRecord> calls) {
  Chart chart;
  chart.y_label = "memory";
  chart.x_end_s = end_time(r, samples);
  add_fit(r, samples, "", "#cf222e", chart);
  chart.lines.push_back({"RSS (tree)", rss_points(samples), "#d97706", 1.5, true, true});
  add_process_lines(samples, chart);
  chart.lines.push_back({"footprint (tree, " + r.run.metric + ")", footprint_points(samples),
                         "#0969da", 2.5, false, true});
  add_phase_markers(r, chart);
  add_call_bars(calls, chart.x_end_s, chart);
  return chart;
}

Chart sites_chart(const WhereItGrows& where) {
  static const char* const colors[] = {"#cf222e", "#0969da", "#1a7f37", "#8250df", "#d97706"};
  Chart chart;
  chart.y_label = "live bytes (attribution run)";
  for (std::size_t i = 0; i < where.sites.size() && i < std::size(colors); ++i) {
    const GrowingSite& s = where.sites[i];
    ChartLine line;
    line.label = (s.function.empty() ? "" : s.function + " ") + s.site;
    line.color = colors[i];
    line.width = 2;
    for (std::size_t k = 0; k < s.bytes_at_checkpoints.size() && k < s.t_at_checkpoints.size(); ++k) {
      line.points.push_back({s.t_at_checkpoints[k], static_cast<double>(s.bytes_at_checkpoints[k])});
    }
    chart.lines.push_back(std::move(line));
  }
  return chart;
}

Chart compare_chart(const Report& base, std::span<const Sample> base_samples,
                    const std::string& base_label, const Report& candidate,
                    std::span<const Sample> candidate_samples, const std::string& candidate_label) {
  Chart chart;
  chart.x_end_s = std::max(end_time(base, base_samples), end_time(candidate, candidate_samples));
  add_fit(base, base_samples, base_label + ": ", "#0969da", chart);
  add_fit(candidate, candidate_samples, candidate_label + ": ", "#cf222e", chart);
  chart.lines.push_back({base_label + ": RSS", rss_points(base_samples), "#54aeff", 1.2, true, true});
  chart.lines.push_back(
      {candidate_label + ": RSS", rss_points(candidate_samples), "#ff8182", 1.2, true, true});
  chart.lines.push_back(
      {base_label + ": footprint", footprint_points(base_samples), "#0969da", 2.5, false, true});
  chart.lines.push_back({candidate_label + ": footprint", footprint_points(candidate_samples),
                         "#cf222e", 2.5, false, true});
  add_phase_markers(base, chart);
  return chart;
}

}  // namespace mcpleak::reports
