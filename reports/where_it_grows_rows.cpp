#include "reports/where_it_grows_rows.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "reports/summary_rows.h"
#include "reports/units.h"

namespace mcpleak::reports {
namespace {

// "function (file.py:18)" with the file's last component only: the stack gives the path.
std::string frame_text(const StackFrame& f) {
  const std::string file = std::filesystem::path(f.file).filename().string();
  const std::string where = file + ":" + std::to_string(f.line);
  return f.function.empty() ? where : f.function + " (" + where + ")";
}

std::string per_call(double v, const char* unit) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%+.2f %s/call", v, unit);
  return buf;
}

std::string percent(double fraction) { return std::to_string(static_cast<long>(std::lround(fraction * 100))) + "%"; }

}  // namespace

std::string where_it_grows_headline(const WhereItGrows& w) {
  std::string head = "instrumented run " + w.run_dir + "/ (" + (w.mode == "native" ? std::string("heaptrack") : w.mode + " hooks") + ", " + std::to_string(w.checkpoints) +
                     " checkpoints every " + std::to_string(w.every_calls) + " calls; the verdict comes from the "
                     "uninstrumented run)";
  if (w.status != "ok") return head + ": unavailable: " + w.why;
  return head + ": " + w.statement;
}

std::vector<SiteRow> site_rows(const WhereItGrows& w) {
  std::vector<SiteRow> rows;
  for (const auto& s : w.sites) {
    SiteRow row;
    row.site = s.stack.empty() ? s.site : frame_text(s.stack.front());
    row.per_call = format_signed_bytes(s.bytes_per_call) + "/call";
    if (s.blocks_per_call) row.per_call += ", " + per_call(*s.blocks_per_call, "blocks");
    row.share = s.share_of_growth ? percent(*s.share_of_growth) : "n/a";
    for (std::size_t i = 1; i < s.stack.size() && i <= 3; ++i) {
      row.stack += (row.stack.empty() ? "" : " < ") + frame_text(s.stack[i]);
    }
    row.process = "pid " + std::to_string(s.pid) + " (" + s.runtime + ")";
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string heap_diff_headline(const HeapSnapshotDiff& d) {
  std::string line = "heap snapshots of pid " + std::to_string(d.pid) + ": " + std::to_string(d.still_alive) +
                     " objects allocated";
  if (d.calls.size() == 3) {
    line += " between calls " + std::to_string(d.calls[0]) + " and " + std::to_string(d.calls[1]) +
            " and still alive at call " + std::to_string(d.calls[2]);
  }
  std::string files;
  for (const auto& s : d.snapshots) files += (files.empty() ? "" : ", ") + s;
  return line + " (" + files + ")";
}

std::vector<RetainedRow> retained_rows(const HeapSnapshotDiff& d) {
  std::vector<RetainedRow> rows;
  for (const auto& g : d.groups) {
    RetainedRow row;
    row.constructor = g.constructor + " (" + g.type + ")";
    char buf[64];
    std::snprintf(buf, sizeof buf, " (%+.2f/call)", g.per_call);
    row.count = std::to_string(g.count) + buf;
    row.bytes = format_bytes(static_cast<double>(g.self_bytes));
    for (const auto& hop : g.retainer_path) row.path += (row.path.empty() ? "" : " \u2192 ") + hop;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::string> type_lines(const WhereItGrows& w) {
  std::vector<std::string> lines;
  for (const auto& t : w.types) {
    lines.push_back(t.type + " " + per_call(t.objects_per_call, "objects") + " (" +
                    format_signed_bytes(t.bytes_per_call) + "/call shallow), pid " + std::to_string(t.pid));
  }
  return lines;
}

std::vector<std::string> where_it_grows_notes(const Report& r) {
  std::vector<std::string> notes;
  if (!r.where_it_grows) return notes;
  const WhereItGrows& w = *r.where_it_grows;
  const auto& o = w.overhead;
  if (o.p50_ms_verdict && o.p50_ms_instrumented) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "overhead: median call %.2f ms instrumented vs %.2f ms in the verdict run",
                  *o.p50_ms_instrumented, *o.p50_ms_verdict);
    notes.push_back(buf);
  }
  if (o.checkpoint_s_max > 0) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "overhead: a checkpoint took the hook up to %.2f s", o.checkpoint_s_max);
    std::string line = buf;
    if (o.hook_bytes_max) line += "; tracemalloc's own memory up to " + format_bytes(static_cast<double>(*o.hook_bytes_max));
    notes.push_back(line);
  }
  for (const auto& p : w.processes) {
    std::string line = "hooked: pid " + std::to_string(p.pid) + " (" + p.runtime + " " + p.version + "), " +
                       std::to_string(p.checkpoints) + " checkpoints";
    if (p.live_heap_bytes_per_call) line += ", live heap " + format_signed_bytes(*p.live_heap_bytes_per_call) + "/call";
    if (!p.note.empty()) line += "; " + p.note;
    notes.push_back(line);
    if (const auto& l = p.live_heap) {
      std::string live = "live heap of pid " + std::to_string(p.pid) + " (after a full GC, ~1/s, " +
                         std::to_string(l->points) + " points): " + l->verdict;
      if (l->decided_after_s) live += " after " + format_duration(*l->decided_after_s);
      live += ", " + format_signed_bytes(l->bytes_per_min) + "/min (95% CI " +
              format_signed_bytes(l->ci95_bytes_per_min.lo) + " to " + format_signed_bytes(l->ci95_bytes_per_min.hi) +
              "); the footprint (verdict run): " + verdict_name(r.verdict);
      if (r.verdict_at_s) live += " at " + format_duration(*r.verdict_at_s);
      notes.push_back(live);
    }
  }
  for (const auto& l : w.limits) notes.push_back("limit: " + l);
  return notes;
}

std::string where_it_grows_line(const Report& r) {
  if (!r.where_it_grows) return "";
  const WhereItGrows& w = *r.where_it_grows;
  if (w.status != "ok") return "where it grows: unavailable: " + w.why;
  const auto rows = site_rows(w);
  if (rows.empty()) return "where it grows: " + w.statement;
  std::string line = "where it grows: " + rows.front().site + " " + rows.front().per_call;
  if (rows.front().share != "n/a") line += ", " + rows.front().share + " of the growth";
  if (rows.size() > 1) line += " (" + std::to_string(rows.size() - 1) + " more in summary.md)";
  return line;
}

std::string attribution_next_step(const Report& r) {
  if (r.verdict != Verdict::leaking || r.where_it_grows || r.run.invocation.size() < 2) return "";
  // Attribution looks for memory: not for a leak of fds or processes alone, nor for a
  // reconnect run, whose server is restarted every cycle.
  if (!r.run.reconnect_cycles.empty() || (!r.footprint_verdict.empty() && r.footprint_verdict != "leaking")) return "";
  std::vector<std::string> argv = r.run.invocation;
  argv.insert(argv.begin() + 2, {"--attribute", "auto"});
  return command_line(argv);
}

}  // namespace mcpleak::reports
