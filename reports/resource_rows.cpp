#include "reports/resource_rows.h"

#include <cstdio>

#include "reports/units.h"

namespace mcpleak::reports {
namespace {

std::string count(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, v == static_cast<double>(static_cast<long long>(v)) ? "%.0f" : "%.2f", v);
  return buf;
}

std::string signed_rate(double v) {
  char buf[48];
  const double a = v < 0 ? -v : v;
  std::snprintf(buf, sizeof buf, a >= 100 ? "%+.0f" : a >= 10 ? "%+.1f" : "%+.2f", v);
  return buf;
}

}  // namespace

std::vector<ResourceRow> resource_rows(const Report& report) {
  std::vector<ResourceRow> rows;
  for (const ResourceVerdict& v : report.resources) {
    ResourceRow row;
    row.resource = v.name;
    row.verdict = v.verdict;
    row.budget = v.budget;
    row.why = v.why;
    if (v.points == 0) {
      row.levels = row.growth = "n/a";
    } else if (v.name == "orphans") {
      row.levels = count(v.end) + (v.end == 1 ? " process" : " processes");
      row.growth = v.per_session ? count(*v.per_session) + " per reconnect" : "after disconnect";
    } else {
      row.levels = count(v.start) + " → " + count(v.end) + " (peak " + count(v.peak) + ")";
      row.growth = (v.per_call ? signed_rate(*v.per_call) + "/call, " : "") + signed_rate(v.per_min) + "/min";
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<OrphanRow> orphan_rows(const Report& report) {
  std::vector<OrphanRow> rows;
  if (!report.run.orphan_check) return rows;
  const OrphanCheck& check = *report.run.orphan_check;
  for (const OrphanProcess& p : check.processes) {
    OrphanRow row;
    row.process = (p.name.empty() ? "?" : p.name) + " (pid " + std::to_string(p.pid) + ", parent " +
                  std::to_string(p.ppid) + ")";
    row.command = p.command;
    row.age = format_duration(p.age_s);
    row.footprint = format_bytes(static_cast<double>(p.footprint_bytes));
    row.fate = p.fate;
    if (p.fate == "survived") row.fate += p.cleaned_up ? ", cleaned up" : check.kept ? ", kept (--keep-orphans)" : "";
    row.cycle = p.cycle > 0 ? std::to_string(p.cycle) : "";
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string orphan_check_line(const Report& report) {
  if (!report.run.orphan_check) return {};
  const OrphanCheck& c = *report.run.orphan_check;
  if (c.status != "done") return "No orphan check: " + c.status + ".";
  std::size_t survived = 0, helpers = 0;
  for (const auto& p : c.processes) (p.fate == "survived" ? survived : helpers) += 1;
  const std::string grace = format_duration(c.grace_s);
  std::string line = "Disconnect: stdin closed";
  if (c.leader_needed_sigterm) line += ", SIGTERM after " + grace;
  if (c.leader_needed_sigkill) line += ", SIGKILL after another " + grace;
  line += "; ";
  if (survived == 0) {
    line += "nothing of the server's tree was alive " + grace + " later";
  } else {
    line += std::to_string(survived) + (survived == 1 ? " process" : " processes") + " of the tree survived the " +
            grace + " grace" + (c.kept ? " (kept: --keep-orphans)" : " (then cleaned up: SIGTERM, SIGKILL)");
  }
  if (helpers > 0) line += "; " + std::to_string(helpers) + " exited on their own within the grace";
  return line + ".";
}

std::vector<CycleRow> reconnect_rows(const Report& report) {
  std::vector<CycleRow> rows;
  for (const ReconnectCycle& c : report.run.reconnect_cycles) {
    std::string value = std::to_string(c.calls_ok) + " calls ok";
    if (c.calls_failed > 0) value += ", " + std::to_string(c.calls_failed) + " failed";
    if (!c.error.empty()) value += " (" + c.error + ")";
    value += "; " + std::to_string(c.survivors) + " alive after it";
    if (c.survivors > 0) value += " (" + format_bytes(static_cast<double>(c.survivors_footprint_bytes)) + ")";
    rows.push_back({"cycle " + std::to_string(c.cycle), std::move(value)});
  }
  return rows;
}

Chart resources_chart(std::span<const Sample> samples) {
  Chart chart;
  chart.y_label = "count";
  chart.counts = true;
  ChartLine processes{"processes", {}, "#8250df", 2, false, true};
  ChartLine fds{"open fds", {}, "#cf222e", 2, false, true};
  ChartLine threads{"threads", {}, "#0969da", 2, false, true};
  for (const Sample& s : samples) {
    if (s.tree.processes > 0) processes.points.push_back({s.t_s, static_cast<double>(s.tree.processes)});
    if (s.tree.fds) fds.points.push_back({s.t_s, static_cast<double>(*s.tree.fds)});
    if (s.tree.threads) threads.points.push_back({s.t_s, static_cast<double>(*s.tree.threads)});
  }
  for (ChartLine* line : {&processes, &fds, &threads}) {
    if (!line->points.empty()) chart.lines.push_back(std::move(*line));
  }
  return chart;
}

}  // namespace mcpleak::reports
