#include "harness/model/serialize.h"

namespace mcpleak {

// run.json's resource fields: every member has a default, so older files read.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ResourceBudget, per_call, per_min, allowance, off)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OrphanProcess, pid, ppid, name, command, age_s, footprint_bytes,
                                                cycle, fate, cleaned_up)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OrphanCheck, status, grace_s, leader_needed_sigterm,
                                                leader_needed_sigkill, kept, processes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ReconnectCycle, cycle, start_s, end_s, calls_ok, calls_failed,
                                                error, survivors, survivors_footprint_bytes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SamplerCost, ticks, missed_ticks, period_s, tick_ms_mean, tick_ms_max,
                                                tick_ms_median, tick_ms_p99, every_thread_interval_s,
                                                full_scan_interval_s, fds_interval_s, detail_interval_s)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(WatchdogEvent, trigger, detail, sample_t_s, footprint_bytes, action,
                                                acted_at_s, evidence_dir, evidence_files, evidence_notes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OwnCost, cpu_s, wall_s, cpu_share, peak_rss_bytes, sampler)

namespace {

using nlohmann::json;

template <class T>
void put_optional(json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

// Reads a required field of the expected JSON type, or says which one is wrong.
struct Reader {
  const json& j;
  std::optional<Error> error;

  template <class T>
  T get(const char* key, T fallback, bool required = true) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required && !error) error = Error(Errc::parse, std::string(key) + ": missing");
      return fallback;
    }
    try {
      return it->get<T>();
    } catch (const json::exception&) {
      if (!error) error = Error(Errc::parse, std::string(key) + ": wrong type");
      return fallback;
    }
  }
  template <class T>
  std::optional<T> optional(const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    try {
      return it->get<T>();
    } catch (const json::exception&) {
      if (!error) error = Error(Errc::parse, std::string(key) + ": wrong type");
      return std::nullopt;
    }
  }
};

const char* call_kind_name(CallKind k) {
  switch (k) {
    case CallKind::scenario: return "scenario";
    case CallKind::session: return "session";
    case CallKind::diagnostics: return "diagnostics";
    case CallKind::protocol: return "protocol";
  }
  return "scenario";
}

std::optional<CallKind> call_kind_from_name(const std::string& name) {
  for (CallKind k : {CallKind::scenario, CallKind::session, CallKind::diagnostics, CallKind::protocol}) {
    if (name == call_kind_name(k)) return k;
  }
  return std::nullopt;
}

Result<json> parse_object(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return Error(Errc::parse, "not JSON");
  if (!j.is_object()) return Error(Errc::parse, "not a JSON object");
  return j;
}

}  // namespace

json to_json_value(const PidSample& s) {
  json j = {{"pid", s.pid},
            {"ppid", s.ppid},
            {"name", s.name},
            {"footprint_bytes", s.footprint_bytes},
            {"rss_bytes", s.rss_bytes}};
  put_optional(j, "swap_bytes", s.swap_bytes);
  put_optional(j, "private_dirty_bytes", s.private_dirty_bytes);
  put_optional(j, "pss_bytes", s.pss_bytes);
  put_optional(j, "peak_footprint_bytes", s.peak_footprint_bytes);
  put_optional(j, "threads", s.threads);
  put_optional(j, "fds", s.fds);
  return j;
}

json to_json_value(const Sample& s) {
  json pids = json::array();
  for (const auto& p : s.tree.pids) pids.push_back(to_json_value(p));
  json j = {{"t_s", s.t_s},
            {"calls", s.calls},
            {"sessions", s.sessions},
            {"phase", s.phase},
            {"footprint_bytes", s.tree.footprint_bytes},
            {"rss_bytes", s.tree.rss_bytes},
            {"processes", s.tree.processes},
            {"pids", std::move(pids)}};
  put_optional(j, "threads", s.tree.threads);
  put_optional(j, "fds", s.tree.fds);
  if (!s.diagnostics.empty()) j["diagnostics"] = s.diagnostics;
  if (!s.regions.empty()) j["regions"] = s.regions;
  if (!s.classes.empty()) j["classes"] = s.classes;
  return j;
}

json to_json_value(const CallRecord& c) {
  json j = {{"t_s", c.t_s},
            {"phase", c.phase},
            {"tool", c.tool},
            {"latency_ms", c.latency_ms},
            {"ok", c.ok},
            {"response_bytes", c.response_bytes}};
  if (!c.ok) j["error"] = c.error;
  if (c.timed_out) j["timed_out"] = true;
  if (c.interrupted) j["interrupted"] = true;
  j["kind"] = call_kind_name(c.kind);
  if (c.client > 0) j["client"] = c.client;
  if (!c.method.empty()) j["method"] = c.method;
  if (c.request_bytes > 0) j["request_bytes"] = c.request_bytes;
  if (c.from_server) j["from_server"] = true;
  return j;
}

json to_json_value(const RunInfo& r) {
  json phases = json::array();
  for (const auto& p : r.phases) {
    phases.push_back({{"name", p.name},
                      {"idle", p.idle},
                      {"start_s", p.start_s},
                      {"end_s", p.end_s},
                      {"call_interval_s", p.call_interval_s}});
    if (!p.session_close.empty()) phases.back()["session_close"] = p.session_close;
    if (p.client_driven) phases.back()["client_driven"] = true;
  }
  json j = {{"scenario", r.scenario},
            {"scenario_source", r.scenario_source},
            {"server_command", r.server_command},
            {"server_pids", r.server_pids},
            {"transport", r.transport},
            {"server_url", r.server_url},
            {"server_name", r.server_name},
            {"protocol_version", r.protocol_version},
            {"protocol_era", r.protocol_era},
            {"attached", r.attached},
            {"http_header_names", r.http_header_names},
            {"budget_bytes_per_min", r.budget_bytes_per_min},
            {"warmup_s", r.warmup_s},
            {"min_duration_s", r.min_duration_s},
            {"early_stop", r.early_stop},
            {"platform", r.platform},
            {"metric", r.metric},
            {"phases", std::move(phases)},
            {"elapsed_s", r.elapsed_s},
            {"interrupted", r.interrupted},
            {"non_json_lines", r.non_json_lines},
            {"max_failed_fraction", r.max_failed_fraction},
            {"warnings", r.warnings}};
  j["max_call_gap_s"] = r.max_call_gap_s ? json(*r.max_call_gap_s) : json(nullptr);
  if (!r.instrumented.empty()) {
    j["instrumented"] = r.instrumented;
    j["attribute_every_calls"] = r.attribute_every_calls;
    j["attribute_checkpoints"] = r.attribute_checkpoints;
  }
  if (!r.invocation.empty()) j["invocation"] = r.invocation;
  if (!r.resource_budgets.empty()) j["resource_budgets"] = r.resource_budgets;
  if (!r.bounded_classes.empty()) j["bounded_classes"] = r.bounded_classes;
  j["orphan_check"] = r.orphan_check ? json(*r.orphan_check) : json(nullptr);
  if (!r.reconnect_cycles.empty()) j["reconnect_cycles"] = r.reconnect_cycles;
  if (r.own_cost) j["own_cost"] = *r.own_cost;
  if (!r.watchdog.empty()) j["watchdog"] = r.watchdog;
  j["stopped_early_at_s"] = r.stopped_early_at_s ? json(*r.stopped_early_at_s) : json(nullptr);
  j["stopped_early_verdict"] = r.stopped_early_verdict ? json(verdict_name(*r.stopped_early_verdict)) : json(nullptr);
  j["stopped_early_reason"] = r.stopped_early_reason;
  j["server_failure"] = r.server_failure ? json(*r.server_failure) : json(nullptr);
  if (r.scenario_error) j["scenario_error"] = *r.scenario_error;
  return j;
}

Result<Sample> sample_from_json(std::string_view line) {
  auto parsed = parse_object(line);
  if (!parsed) return parsed.error();
  const json& j = *parsed;
  Reader r{j, std::nullopt};
  Sample s;
  s.t_s = r.get<double>("t_s", 0);
  s.calls = r.get<std::uint64_t>("calls", 0);
  s.sessions = r.get<std::uint64_t>("sessions", 0, false);
  s.phase = r.get<int>("phase", 0);
  s.tree.footprint_bytes = r.get<std::uint64_t>("footprint_bytes", 0);
  s.tree.rss_bytes = r.get<std::uint64_t>("rss_bytes", 0);
  if (const auto it = j.find("pids"); it != j.end() && it->is_array()) {
    for (const auto& pj : *it) {
      if (!pj.is_object()) return Error(Errc::parse, "pids: expected objects");
      Reader pr{pj, std::nullopt};
      PidSample p;
      p.pid = pr.get<pid_t>("pid", 0);
      p.ppid = pr.get<pid_t>("ppid", 0, false);
      p.name = pr.get<std::string>("name", "", false);
      p.footprint_bytes = pr.get<std::uint64_t>("footprint_bytes", 0);
      p.rss_bytes = pr.get<std::uint64_t>("rss_bytes", 0);
      p.swap_bytes = pr.optional<std::uint64_t>("swap_bytes");
      p.private_dirty_bytes = pr.optional<std::uint64_t>("private_dirty_bytes");
      p.pss_bytes = pr.optional<std::uint64_t>("pss_bytes");
      p.peak_footprint_bytes = pr.optional<std::uint64_t>("peak_footprint_bytes");
      p.threads = pr.optional<std::uint32_t>("threads");
      p.fds = pr.optional<std::uint32_t>("fds");
      if (pr.error) return Error(*pr.error).with("pids");
      s.tree.pids.push_back(std::move(p));
    }
  }
  if (!s.tree.pids.empty()) {
    // Older files have no resource sums: the pids give them.
    const auto footprint = s.tree.footprint_bytes, rss = s.tree.rss_bytes;
    total_tree(s.tree);
    s.tree.footprint_bytes = footprint;
    s.tree.rss_bytes = rss;
  } else {
    s.tree.processes = r.get<std::uint32_t>("processes", 0, false);
  }
  if (auto v = r.optional<std::uint64_t>("threads")) s.tree.threads = v;
  if (auto v = r.optional<std::uint64_t>("fds")) s.tree.fds = v;
  if (auto d = r.optional<std::map<std::string, double>>("diagnostics")) s.diagnostics = *d;
  if (auto g = r.optional<std::map<std::string, std::uint64_t>>("regions")) s.regions = *g;
  if (auto c = r.optional<std::map<std::string, std::uint64_t>>("classes")) s.classes = *c;
  if (r.error) return *r.error;
  return s;
}

Result<CallRecord> call_from_json(std::string_view line) {
  auto parsed = parse_object(line);
  if (!parsed) return parsed.error();
  Reader r{*parsed, std::nullopt};
  CallRecord c;
  c.t_s = r.get<double>("t_s", 0);
  c.phase = r.get<int>("phase", 0);
  c.tool = r.get<std::string>("tool", "");
  c.latency_ms = r.get<double>("latency_ms", 0);
  c.ok = r.get<bool>("ok", false);
  c.error = r.get<std::string>("error", "", false);
  c.response_bytes = r.get<std::uint64_t>("response_bytes", 0, false);
  // Written since the exercise rule; older files said "timeout after N ms" in the error.
  c.timed_out = r.get<bool>("timed_out", !c.ok && c.error.starts_with("timeout"), false);
  c.interrupted = r.get<bool>("interrupted", false, false);
  c.client = r.get<int>("client", 0, false);
  c.method = r.get<std::string>("method", "", false);
  c.request_bytes = r.get<std::uint64_t>("request_bytes", 0, false);
  c.from_server = r.get<bool>("from_server", false, false);
  const std::string kind = r.get<std::string>("kind", "scenario", false);
  if (auto k = call_kind_from_name(kind)) {
    c.kind = *k;
  } else {
    return Error(Errc::parse, "kind: unknown call kind " + kind);
  }
  if (r.error) return *r.error;
  return c;
}

Result<RunInfo> run_info_from_json(std::string_view text) {
  auto parsed = parse_object(text);
  if (!parsed) return parsed.error();
  const json& j = *parsed;
  Reader r{j, std::nullopt};
  RunInfo info;
  info.scenario = r.get<std::string>("scenario", "");
  info.scenario_source = r.get<std::string>("scenario_source", "", false);
  info.server_command = r.get<std::vector<std::string>>("server_command", {});
  info.server_pids = r.get<std::vector<pid_t>>("server_pids", {}, false);
  info.transport = r.get<std::string>("transport", "stdio", false);
  info.server_url = r.get<std::string>("server_url", "", false);
  info.server_name = r.get<std::string>("server_name", "", false);
  info.protocol_version = r.get<std::string>("protocol_version", "", false);
  info.protocol_era = r.get<std::string>("protocol_era", "", false);
  info.attached = r.get<bool>("attached", false, false);
  info.http_header_names = r.get<std::vector<std::string>>("http_header_names", {}, false);
  info.budget_bytes_per_min = r.get<double>("budget_bytes_per_min", 0);
  info.warmup_s = r.get<double>("warmup_s", 0);
  info.min_duration_s = r.get<double>("min_duration_s", 0, false);
  info.early_stop = r.get<bool>("early_stop", true, false);
  info.platform = r.get<std::string>("platform", "", false);
  info.metric = r.get<std::string>("metric", "", false);
  info.elapsed_s = r.get<double>("elapsed_s", 0, false);
  info.interrupted = r.get<bool>("interrupted", false, false);
  info.non_json_lines = r.get<std::uint64_t>("non_json_lines", 0, false);
  info.warnings = r.get<std::vector<std::string>>("warnings", {}, false);
  info.max_failed_fraction = r.get<double>("max_failed_fraction", 0.05, false);
  info.max_call_gap_s = r.optional<double>("max_call_gap_s");
  info.instrumented = r.get<std::string>("instrumented", "", false);
  info.attribute_every_calls = r.get<std::uint64_t>("attribute_every_calls", 0, false);
  info.attribute_checkpoints = r.get<int>("attribute_checkpoints", 0, false);
  info.invocation = r.get<std::vector<std::string>>("invocation", {}, false);
  info.resource_budgets = r.get<std::map<std::string, ResourceBudget>>("resource_budgets", {}, false);
  info.bounded_classes = r.get<std::vector<std::string>>("bounded_classes", {}, false);
  info.orphan_check = r.optional<OrphanCheck>("orphan_check");
  info.watchdog = r.get<std::vector<WatchdogEvent>>("watchdog", {}, false);
  info.reconnect_cycles = r.get<std::vector<ReconnectCycle>>("reconnect_cycles", {}, false);
  info.own_cost = r.optional<OwnCost>("own_cost");
  info.stopped_early_at_s = r.optional<double>("stopped_early_at_s");
  if (const auto v = r.optional<std::string>("stopped_early_verdict")) {
    for (Verdict candidate : {Verdict::bounded, Verdict::leaking}) {
      if (*v == verdict_name(candidate)) info.stopped_early_verdict = candidate;
    }
    if (!info.stopped_early_verdict) return Error(Errc::parse, "stopped_early_verdict: unknown verdict " + *v);
  }
  info.stopped_early_reason = r.get<std::string>("stopped_early_reason", "", false);
  info.server_failure = r.optional<std::string>("server_failure");
  info.scenario_error = r.optional<std::string>("scenario_error");
  if (const auto it = j.find("phases"); it != j.end() && it->is_array()) {
    for (const auto& pj : *it) {
      if (!pj.is_object()) return Error(Errc::parse, "phases: expected objects");
      Reader pr{pj, std::nullopt};
      PhaseInfo p;
      p.name = pr.get<std::string>("name", "");
      p.idle = pr.get<bool>("idle", false, false);
      p.start_s = pr.get<double>("start_s", 0);
      p.end_s = pr.get<double>("end_s", 0);
      p.call_interval_s = pr.get<double>("call_interval_s", 0, false);
      p.session_close = pr.get<std::string>("session_close", "", false);
      p.client_driven = pr.get<bool>("client_driven", false, false);
      if (pr.error) return Error(*pr.error).with("phases");
      info.phases.push_back(std::move(p));
    }
  }
  if (r.error) return *r.error;
  return info;
}

json to_json_value(const HeapSnapshotDiff& d) {
  json groups = json::array();
  for (const auto& g : d.groups) {
    groups.push_back({{"constructor", g.constructor},
                      {"type", g.type},
                      {"count", g.count},
                      {"self_bytes", g.self_bytes},
                      {"per_call", g.per_call},
                      {"retainer_path", g.retainer_path}});
  }
  return {{"pid", d.pid},
          {"snapshots", d.snapshots},
          {"calls", d.calls},
          {"new_in_second", d.new_in_second},
          {"still_alive", d.still_alive},
          {"groups", std::move(groups)}};
}

Result<HeapSnapshotDiff> heap_diff_from_json(std::string_view text) {
  const json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Error(Errc::parse, "a heap diff must be a JSON object");
  Reader r{j, std::nullopt};
  HeapSnapshotDiff d;
  d.pid = r.get<pid_t>("pid", 0);
  d.snapshots = r.get<std::vector<std::string>>("snapshots", {});
  d.calls = r.get<std::vector<std::uint64_t>>("calls", {});
  d.new_in_second = r.get<std::uint64_t>("new_in_second", 0);
  d.still_alive = r.get<std::uint64_t>("still_alive", 0);
  const json groups = r.get<json>("groups", json::array());
  if (r.error) return *r.error;
  if (!groups.is_array()) return Error(Errc::parse, "groups: expected an array");
  for (const auto& g : groups) {
    if (!g.is_object()) return Error(Errc::parse, "groups: expected objects");
    Reader gr{g, std::nullopt};
    RetainedGroup group;
    group.constructor = gr.get<std::string>("constructor", "");
    group.type = gr.get<std::string>("type", "");
    group.count = gr.get<std::uint64_t>("count", 0);
    group.self_bytes = gr.get<std::uint64_t>("self_bytes", 0);
    group.per_call = gr.get<double>("per_call", 0);
    group.retainer_path = gr.get<std::vector<std::string>>("retainer_path", {});
    if (gr.error) return Error(gr.error->code, "groups: " + gr.error->message);
    d.groups.push_back(std::move(group));
  }
  return d;
}

}  // namespace mcpleak
