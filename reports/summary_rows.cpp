#include "reports/summary_rows.h"

#include <cctype>
#include <cstdio>
#include <string_view>

#include "reports/units.h"

namespace mcpleak::reports {
namespace {

std::string optional_ms(const std::optional<double>& ms) { return ms ? format_ms(*ms) : "n/a"; }

std::string bytes(std::uint64_t b) { return format_bytes(static_cast<double>(b)); }

bool shell_safe(const std::string& arg) {
  if (arg.empty()) return false;
  constexpr std::string_view safe_punctuation = "_@%+=:,./-";
  for (unsigned char c : arg) {
    const bool safe = std::isalnum(c) || c >= 0x80 ||
                      safe_punctuation.find(static_cast<char>(c)) != std::string_view::npos;
    if (!safe) return false;
  }
  return true;
}

}  // namespace

std::string command_line(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& arg : argv) {
    if (!out.empty()) out += ' ';
    if (shell_safe(arg)) {
      out += arg;
      continue;
    }
    out += '\'';
    for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

std::string format_signed_number(double value) {
  std::string text = format_number_trimmed(value);
  if (text != "0" && text[0] != '-' && text != "n/a") text = "+" + text;
  return text;
}

std::vector<SummaryRow> summary_rows(const Report& r) {
  const auto& f = r.footprint;
  std::vector<SummaryRow> rows;
  rows.push_back({"footprint start / end / peak",
                  bytes(f.start_bytes) + " / " + bytes(f.end_bytes) + " / " + bytes(f.peak_bytes)});
  rows.push_back({"RSS start / end", bytes(f.rss_start_bytes) + " / " + bytes(f.rss_end_bytes)});
  rows.push_back({"footprint slope", !r.growth.fitted
                                         ? std::string("not fitted (too few samples)")
                                         : format_signed_bytes(r.growth.bytes_per_min) + "/min (95% CI " +
                                               format_signed_bytes(r.growth.ci95_bytes_per_min.lo) + " to " +
                                               format_signed_bytes(r.growth.ci95_bytes_per_min.hi) + ")"});
  rows.push_back({"budget", format_bytes(r.run.budget_bytes_per_min) + "/min"});
  if (r.idle.bytes_per_min) {
    rows.push_back({"idle slope", format_signed_bytes(*r.idle.bytes_per_min) + "/min"});
  }
  rows.push_back({"RSS slope", format_signed_bytes(r.rss.bytes_per_min) + "/min"});
  if (r.growth.bytes_per_call) {
    rows.push_back({"growth per call", format_signed_bytes(*r.growth.bytes_per_call)});
  }
  if (r.growth.bytes_per_session) {
    rows.push_back({"growth per session", format_signed_bytes(*r.growth.bytes_per_session)});
  }
  for (const auto& g : r.sessions_by_phase) {
    if (!g.bytes_per_session || r.sessions_by_phase.size() < 2) continue;
    rows.push_back({"growth per session, " + g.close + " (" + g.phase + ")",
                    format_signed_bytes(*g.bytes_per_session) + " over " + std::to_string(g.sessions) + " sessions"});
  }
  if (!r.growth.driver.empty()) rows.push_back({"growth driven by", r.growth.driver});
  if (r.retained_bytes) rows.push_back({"retained after idle", format_bytes(*r.retained_bytes)});
  rows.push_back({"calls ok / failed",
                  std::to_string(r.calls.ok) + " / " + std::to_string(r.calls.failed)});
  rows.push_back({"exercise", exercise_summary(r.exercise)});
  rows.push_back({"latency p50 / p99", optional_ms(r.calls.p50_ms) + " / " + optional_ms(r.calls.p99_ms)});
  std::string duration = format_duration(r.run.elapsed_s);
  if (r.run.stopped_early_at_s) {
    duration += " (stopped early at " + format_duration(*r.run.stopped_early_at_s) + ")";
  }
  if (r.run.interrupted) duration += " (interrupted)";
  rows.push_back({"duration", duration});
  rows.push_back({"time to verdict", r.verdict_at_s ? format_duration(*r.verdict_at_s) : "n/a"});
  rows.push_back({"samples", std::to_string(r.samples)});
  return rows;
}

std::string exercise_summary(const Exercise& e) {
  if (!e.required) return "no call phase judged (nothing had to succeed)";
  if (!e.exercised) return "NOT EXERCISED: " + e.reason;
  char ratio[32] = "";
  if (e.ok_ratio) std::snprintf(ratio, sizeof ratio, " (%.1f%%)", 100 * *e.ok_ratio);
  return std::to_string(e.calls.ok) + " of " + std::to_string(e.calls.total()) + " calls ok" + ratio +
         ", longest stretch without a successful call " + format_duration(e.longest_gap_s);
}

std::vector<SummaryRow> exercise_tool_rows(const Exercise& e) {
  std::vector<SummaryRow> rows;
  for (const auto& [tool, c] : e.per_tool) {
    std::string value = "ok " + std::to_string(c.ok) + ", failed " + std::to_string(c.failed);
    if (c.timed_out > 0) value += " (" + std::to_string(c.timed_out) + " timed out)";
    rows.push_back({tool, value});
  }
  return rows;
}

std::vector<std::string> exercise_error_lines(const Exercise& e) {
  std::vector<std::string> lines;
  for (const auto& err : e.first_errors) {
    lines.push_back(one_line(err.tool + ": " + err.error) + " (" + std::to_string(err.count) + "x, first at " +
                    format_duration(err.first_t_s) + ")");
  }
  return lines;
}

std::vector<ProcessRow> process_rows(const Report& r) {
  std::vector<ProcessRow> rows;
  if (r.processes.size() + r.transient_processes.size() < 2) return rows;
  for (const ProcessGrowth& p : r.processes) {
    ProcessRow row;
    row.process = (p.name.empty() ? std::string("?") : p.name) + " (pid " + std::to_string(p.pid) + ")";
    if (!p.alive_at_end) row.process += ", exited";
    row.role = p.role;
    row.footprint = bytes(p.start_bytes) + " -> " + bytes(p.end_bytes);
    row.growth = format_signed_bytes(p.bytes_per_min) + "/min (95% CI " + format_signed_bytes(p.ci95_bytes_per_min.lo) +
                 " to " + format_signed_bytes(p.ci95_bytes_per_min.hi) + ")";
    if (p.share_of_growth) {
      char pct[32];
      std::snprintf(pct, sizeof pct, "%.0f%%", 100 * *p.share_of_growth);
      row.share = pct;
    }
    rows.push_back(std::move(row));
  }
  for (const TransientProcesses& t : r.transient_processes) {
    ProcessRow row;
    row.process = (t.name.empty() ? std::string("?") : t.name) + " (" + std::to_string(t.count) +
                  (t.count == 1 ? " process" : " processes") + ", came and went)";
    row.footprint = "peak " + bytes(t.peak_bytes);
    row.growth = "n/a";
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<SummaryRow> run_rows(const RunInfo& run) {
  const std::string command = command_line(run.server_command);
  std::string pids;
  for (pid_t pid : run.server_pids) pids += (pids.empty() ? "" : ", ") + std::to_string(pid);
  std::vector<SummaryRow> rows;
  rows.push_back({"server command", run.attached ? "attached (not started by mcpleak, never signalled)" : command});
  if (!run.server_name.empty()) rows.push_back({"server name", run.server_name});
  rows.push_back({"server pids", pids.empty() ? "none seen" : pids});
  if (!run.protocol_version.empty()) {
    rows.push_back({"protocol version", run.protocol_version +
                                            (run.protocol_era == "2026-07-28" ? " (no handshake: server/discover, _meta)"
                                             : run.protocol_era.empty()       ? ""
                                                                              : " (initialize handshake)")});
  }
  if (run.server_failure) rows.push_back({"server failure", *run.server_failure});
  rows.push_back({"scenario", run.scenario});
  rows.push_back({"metric", run.metric});
  rows.push_back({"platform", run.platform});
  if (run.non_json_lines > 0) {
    rows.push_back({"non-JSON stdout lines", std::to_string(run.non_json_lines)});
  }
  if (run.own_cost) rows.push_back({"mcpleak's own cost", own_cost_line(*run.own_cost)});
  return rows;
}

std::string own_cost_line(const OwnCost& c) {
  char text[256];
  const SamplerCost& s = c.sampler;
  std::snprintf(text, sizeof text,
                "%.2f%% of a core (%.1f s CPU in %.0f s), peak RSS %s; %llu sampler ticks, median %.2f ms, "
                "p99 %.2f ms, %llu missed",
                100 * c.cpu_share, c.cpu_s, c.wall_s, format_bytes(static_cast<double>(c.peak_rss_bytes)).c_str(),
                static_cast<unsigned long long>(s.ticks), s.tick_ms_median, s.tick_ms_p99,
                static_cast<unsigned long long>(s.missed_ticks));
  return text;
}

std::string divergence_warning(const Report& r) {
  if (!r.rss_diverges) return "";
  return "RSS hides this growth: footprint " + format_signed_bytes(r.growth.bytes_per_min) +
         "/min while RSS " + format_signed_bytes(r.rss.bytes_per_min) +
         "/min. The growing pages are swapped or compressed; trust the footprint, not ps.";
}

}  // namespace mcpleak::reports
