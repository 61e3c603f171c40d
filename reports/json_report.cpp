// write_json(): report.json, schema mcpleak.report/1. The field names are a contract
// (DESIGN.md, read by CI scripts and `mcpleak compare`): add fields, never rename.
#include <optional>

#include <nlohmann/json.hpp>

#include "harness/model/serialize.h"
#include "reports/escape.h"
#include "reports/report.h"

namespace mcpleak {
namespace {

using nlohmann::json;

template <class T>
json or_null(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json string_list(const std::vector<std::string>& items) {
  json out = json::array();
  for (const auto& s : items) out.push_back(s);
  return out;
}

json phases_json(const std::vector<PhaseInfo>& phases) {
  json out = json::array();
  for (const auto& p : phases) {
    out.push_back({{"name", p.name},
                   {"idle", p.idle},
                   {"start_s", p.start_s},
                   {"end_s", p.end_s},
                   {"call_interval_s", p.call_interval_s}});
    if (!p.session_close.empty()) out.back()["session_close"] = p.session_close;
  }
  return out;
}

json sessions_by_phase_json(const std::vector<PhaseSessionGrowth>& rows) {
  json out = json::array();
  for (const auto& g : rows) {
    out.push_back({{"phase", g.phase},
                   {"close", g.close},
                   {"sessions", g.sessions},
                   {"bytes_per_session", g.bytes_per_session ? json(*g.bytes_per_session) : json(nullptr)}});
  }
  return out;
}

json counts_json(const CallCounts& c) {
  return {{"ok", c.ok}, {"failed", c.failed}, {"timed_out", c.timed_out}};
}

json processes_json(const std::vector<ProcessGrowth>& processes) {
  json out = json::array();
  for (const auto& p : processes) {
    out.push_back({{"name", p.name},
                   {"pid", p.pid},
                   {"parent", p.parent},
                   {"role", p.role},
                   {"first_seen_s", p.first_seen_s},
                   {"last_seen_s", p.last_seen_s},
                   {"alive_at_end", p.alive_at_end},
                   {"start_bytes", p.start_bytes},
                   {"end_bytes", p.end_bytes},
                   {"peak_bytes", p.peak_bytes},
                   {"bytes_per_min", p.bytes_per_min},
                   {"ci95_bytes_per_min", {p.ci95_bytes_per_min.lo, p.ci95_bytes_per_min.hi}},
                   {"share_of_growth", or_null(p.share_of_growth)}});
  }
  return out;
}

json stack_json(const std::vector<StackFrame>& stack) {
  json out = json::array();
  for (const auto& f : stack) out.push_back({{"function", f.function}, {"file", f.file}, {"line", f.line}});
  return out;
}

// report.json `where_it_grows` (DESIGN.md, harness/analysis/README.md): null without --attribute.
json where_it_grows_json(const std::optional<WhereItGrows>& found) {
  if (!found) return nullptr;
  const WhereItGrows& w = *found;
  json sites = json::array();
  for (const auto& s : w.sites) {
    sites.push_back({{"pid", s.pid},
                     {"runtime", s.runtime},
                     {"site", s.site},
                     {"function", s.function},
                     {"bytes_per_call", s.bytes_per_call},
                     {"blocks_per_call", or_null(s.blocks_per_call)},
                     {"share_of_growth", or_null(s.share_of_growth)},
                     {"stack", stack_json(s.stack)},
                     {"bytes_at_checkpoints", s.bytes_at_checkpoints},
                     {"t_at_checkpoints", s.t_at_checkpoints}});
  }
  json types = json::array();
  for (const auto& t : w.types) {
    types.push_back({{"pid", t.pid}, {"type", t.type}, {"objects_per_call", t.objects_per_call},
                     {"bytes_per_call", t.bytes_per_call}});
  }
  json processes = json::array();
  for (const auto& p : w.processes) {
    json live = nullptr;
    if (const auto& l = p.live_heap) {
      live = {{"verdict", l->verdict},
              {"bytes_per_min", l->bytes_per_min},
              {"ci95_bytes_per_min", {l->ci95_bytes_per_min.lo, l->ci95_bytes_per_min.hi}},
              {"decided_after_s", or_null(l->decided_after_s)},
              {"span_s", l->span_s},
              {"points", l->points}};
    }
    processes.push_back({{"pid", p.pid}, {"runtime", p.runtime}, {"version", p.version},
                         {"checkpoints", p.checkpoints},
                         {"live_heap_bytes_per_call", or_null(p.live_heap_bytes_per_call)},
                         {"live_heap", std::move(live)}, {"note", p.note}});
  }
  json heap_diffs = json::array();
  for (const auto& d : w.heap_diffs) heap_diffs.push_back(to_json_value(d));
  const auto& o = w.overhead;
  return {{"status", w.status},
          {"why", w.why},
          {"mode", w.mode},
          {"instrumented_run", w.run_dir},
          {"every_calls", w.every_calls},
          {"checkpoints", w.checkpoints},
          {"processes", std::move(processes)},
          {"sites", std::move(sites)},
          {"types", std::move(types)},
          {"footprint_bytes_per_call", or_null(w.footprint_bytes_per_call)},
          {"explained_fraction", or_null(w.explained_fraction)},
          {"statement", w.statement},
          {"overhead",
           {{"p50_ms_verdict", or_null(o.p50_ms_verdict)},
            {"p50_ms_instrumented", or_null(o.p50_ms_instrumented)},
            {"checkpoint_s_max", o.checkpoint_s_max},
            {"hook_bytes_max", or_null(o.hook_bytes_max)}}},
          {"heap_diffs", heap_diffs},
          {"limits", string_list(w.limits)}};
}

json resources_json(const std::vector<ResourceVerdict>& resources) {
  json out = json::array();
  for (const auto& v : resources) {
    out.push_back({{"name", v.name},
                   {"verdict", v.verdict},
                   {"why", v.why},
                   {"headline", v.headline},
                   {"start", v.start},
                   {"end", v.end},
                   {"peak", v.peak},
                   {"per_min", v.per_min},
                   {"ci95_per_min", {v.ci95_per_min.lo, v.ci95_per_min.hi}},
                   {"per_call", or_null(v.per_call)},
                   {"per_reconnect", or_null(v.per_session)},
                   {"driver", v.driver},
                   {"budget", v.budget},
                   {"points", v.points}});
  }
  return out;
}

json orphans_json(const RunInfo& run) {
  if (!run.orphan_check) return nullptr;
  const OrphanCheck& c = *run.orphan_check;
  json processes = json::array();
  for (const auto& p : c.processes) {
    processes.push_back({{"pid", p.pid},
                         {"ppid", p.ppid},
                         {"name", p.name},
                         {"command", p.command},
                         {"age_s", p.age_s},
                         {"footprint_bytes", p.footprint_bytes},
                         {"cycle", p.cycle},
                         {"fate", p.fate},
                         {"cleaned_up", p.cleaned_up}});
  }
  return {{"status", c.status},
          {"grace_s", c.grace_s},
          {"leader_needed_sigterm", c.leader_needed_sigterm},
          {"leader_needed_sigkill", c.leader_needed_sigkill},
          {"kept", c.kept},
          {"processes", std::move(processes)}};
}

json own_cost_json(const RunInfo& run) {
  if (!run.own_cost) return nullptr;
  const OwnCost& c = *run.own_cost;
  const SamplerCost& s = c.sampler;
  return {{"cpu_s", c.cpu_s},
          {"wall_s", c.wall_s},
          {"cpu_share", c.cpu_share},
          {"peak_rss_bytes", c.peak_rss_bytes},
          {"sampler",
           {{"ticks", s.ticks},
            {"missed_ticks", s.missed_ticks},
            {"period_s", s.period_s},
            {"tick_ms_mean", s.tick_ms_mean},
            {"tick_ms_median", s.tick_ms_median},
            {"tick_ms_p99", s.tick_ms_p99},
            {"tick_ms_max", s.tick_ms_max},
            {"every_thread_interval_s", s.every_thread_interval_s},
            {"full_scan_interval_s", s.full_scan_interval_s},
            {"fds_interval_s", s.fds_interval_s},
            {"detail_interval_s", s.detail_interval_s}}}};
}

json reconnect_json(const RunInfo& run) {
  if (run.reconnect_cycles.empty()) return nullptr;
  json cycles = json::array();
  for (const auto& c : run.reconnect_cycles) {
    cycles.push_back({{"cycle", c.cycle},
                      {"start_s", c.start_s},
                      {"end_s", c.end_s},
                      {"calls_ok", c.calls_ok},
                      {"calls_failed", c.calls_failed},
                      {"error", c.error.empty() ? json(nullptr) : json(c.error)},
                      {"survivors", c.survivors},
                      {"survivors_footprint_bytes", c.survivors_footprint_bytes}});
  }
  return cycles;
}

json transient_json(const std::vector<TransientProcesses>& transient) {
  json out = json::array();
  for (const auto& t : transient) out.push_back({{"name", t.name}, {"count", t.count}, {"peak_bytes", t.peak_bytes}});
  return out;
}

json exercise_json(const Exercise& e) {
  json tools = json::object();
  for (const auto& [tool, counts] : e.per_tool) tools[tool] = counts_json(counts);
  json phases = json::array();
  for (const auto& p : e.per_phase) {
    phases.push_back({{"name", p.name},
                      {"calls", counts_json(p.calls)},
                      {"longest_gap_s", p.longest_gap_s},
                      {"longest_gap_from_s", p.longest_gap_from_s},
                      {"allowed_gap_s", p.allowed_gap_s}});
  }
  json errors = json::array();
  for (const auto& err : e.first_errors) {
    errors.push_back({{"tool", err.tool}, {"error", err.error}, {"first_t_s", err.first_t_s}, {"count", err.count}});
  }
  return {{"required", e.required},
          {"exercised", e.exercised},
          {"reason", e.reason.empty() ? json(nullptr) : json(e.reason)},
          {"window_start_s", e.window_start_s},
          {"window_end_s", e.window_end_s},
          {"calls", counts_json(e.calls)},
          {"ok_ratio", or_null(e.ok_ratio)},
          {"max_failed_fraction", e.max_failed_fraction},
          {"longest_gap_s", e.longest_gap_s},
          {"longest_gap_from_s", e.longest_gap_from_s},
          {"longest_gap_phase", e.longest_gap_phase.empty() ? json(nullptr) : json(e.longest_gap_phase)},
          {"per_tool", std::move(tools)},
          {"per_phase", std::move(phases)},
          {"first_errors", std::move(errors)}};
}

}  // namespace

void write_json(const Report& r, std::ostream& out) {
  const RunInfo& run = r.run;
  json pids = json::array();
  for (pid_t pid : run.server_pids) pids.push_back(pid);

  json doc = {
      {"schema", "mcpleak.report/1"},
      {"verdict", verdict_name(r.verdict)},
      {"exit_code", verdict_exit_code(r.verdict)},
      {"reason", r.reason},
      {"verdict_line", verdict_line(r)},
      {"metric", run.metric},
      {"platform", run.platform},
      {"scenario", run.scenario},
      {"budget_bytes_per_min", run.budget_bytes_per_min},
      {"growth",
       {{"bytes_per_min", r.growth.bytes_per_min},
        {"ci95_bytes_per_min", {r.growth.ci95_bytes_per_min.lo, r.growth.ci95_bytes_per_min.hi}},
        {"bytes_per_call", or_null(r.growth.bytes_per_call)},
        {"bytes_per_session", or_null(r.growth.bytes_per_session)},
        {"driver", r.growth.driver},
        {"fitted", r.growth.fitted}}},
      {"idle", {{"bytes_per_min", or_null(r.idle.bytes_per_min)}}},
      {"retained_bytes", or_null(r.retained_bytes)},
      {"rss", {{"bytes_per_min", r.rss.bytes_per_min}}},
      {"rss_diverges", r.rss_diverges},
      {"footprint",
       {{"start_bytes", r.footprint.start_bytes},
        {"end_bytes", r.footprint.end_bytes},
        {"peak_bytes", r.footprint.peak_bytes},
        {"rss_start_bytes", r.footprint.rss_start_bytes},
        {"rss_end_bytes", r.footprint.rss_end_bytes}}},
      {"calls",
       {{"ok", r.calls.ok},
        {"failed", r.calls.failed},
        {"p50_ms", or_null(r.calls.p50_ms)},
        {"p99_ms", or_null(r.calls.p99_ms)}}},
      {"exercise", exercise_json(r.exercise)},
      {"processes", processes_json(r.processes)},
      {"transient_processes", transient_json(r.transient_processes)},
      {"resources", resources_json(r.resources)},
      {"classes", resources_json(r.classes)},
      {"footprint_verdict", r.footprint_verdict.empty() ? json(nullptr) : json(r.footprint_verdict)},
      {"orphans", orphans_json(run)},
      {"reconnect_cycles", reconnect_json(run)},
      {"own_cost", own_cost_json(run)},
      {"where_it_grows", where_it_grows_json(r.where_it_grows)},
      {"elapsed_s", run.elapsed_s},
      {"verdict_at_s", or_null(r.verdict_at_s)},
      {"stopped_early_at_s", or_null(run.stopped_early_at_s)},
      {"interrupted", run.interrupted},
      {"warmup_s", run.warmup_s},
      {"min_duration_s", run.min_duration_s},
      {"early_stop", run.early_stop},
      {"samples", r.samples},
      {"server",
       {{"command", string_list(run.server_command)},
        {"pids", pids},
        {"name", run.server_name},
        {"transport", run.transport},
        {"url", run.server_url.empty() ? json(nullptr) : json(run.server_url)},
        {"attached", run.attached},
        {"http_header_names", string_list(run.http_header_names)},
        {"failure", or_null(run.server_failure)}}},
      {"protocol_version", run.protocol_version},
      {"protocol_era", run.protocol_era.empty() ? json(nullptr) : json(run.protocol_era)},
      {"non_json_lines", run.non_json_lines},
      {"phases", phases_json(run.phases)},
      {"sessions_by_phase", sessions_by_phase_json(r.sessions_by_phase)},
      {"diagnostics",
       {{"per_min", json(r.diagnostics_per_min)}, {"end", json(r.diagnostics_end)}}},
      {"regions", {{"growth_bytes", json(r.region_growth_bytes)}}},
      {"warnings", string_list(r.warnings)},
  };
  // Server strings may be any bytes; nlohmann throws on invalid UTF-8 unless told to
  // replace, and a report must be written whatever the server printed.
  out << doc.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace mcpleak
