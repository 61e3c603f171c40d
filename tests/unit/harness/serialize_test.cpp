// harness/model/serialize: Sample, CallRecord and RunInfo survive a trip through their
// JSON text field for field, and a missing required field is named in the error.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/model/serialize.h"
#include "tests/support/catch.h"

using mcpleak::CallRecord;
using mcpleak::Errc;
using mcpleak::PidSample;
using mcpleak::RunInfo;
using mcpleak::Sample;
using nlohmann::json;

namespace {

// Field-by-field comparisons: comparing two to_json_value() outputs would hide a field
// the writer drops.
void require_equal(const PidSample& a, const PidSample& b) {
  CHECK(a.pid == b.pid);
  CHECK(a.ppid == b.ppid);
  CHECK(a.name == b.name);
  CHECK(a.footprint_bytes == b.footprint_bytes);
  CHECK(a.rss_bytes == b.rss_bytes);
  CHECK(a.swap_bytes == b.swap_bytes);
  CHECK(a.private_dirty_bytes == b.private_dirty_bytes);
  CHECK(a.pss_bytes == b.pss_bytes);
  CHECK(a.peak_footprint_bytes == b.peak_footprint_bytes);
  CHECK(a.threads == b.threads);
  CHECK(a.fds == b.fds);
}

void require_equal(const Sample& a, const Sample& b) {
  CHECK(a.t_s == b.t_s);
  CHECK(a.calls == b.calls);
  CHECK(a.sessions == b.sessions);
  CHECK(a.phase == b.phase);
  CHECK(a.tree.footprint_bytes == b.tree.footprint_bytes);
  CHECK(a.tree.rss_bytes == b.tree.rss_bytes);
  CHECK(a.diagnostics == b.diagnostics);
  CHECK(a.regions == b.regions);
  REQUIRE(a.tree.pids.size() == b.tree.pids.size());
  for (std::size_t i = 0; i < a.tree.pids.size(); ++i) require_equal(a.tree.pids[i], b.tree.pids[i]);
}

Sample full_sample() {
  Sample s;
  s.t_s = 12.345678901234567;  // needs all 17 digits to round-trip
  s.calls = 1234567890123ull;
  s.sessions = 7;
  s.phase = 2;
  s.diagnostics = {{"observers", 12}, {"cache_entries", 0.5}};
  s.regions = {{"MALLOC_SMALL", 4096}, {"IOSurface", 1ull << 40}};
  PidSample leader;
  leader.pid = 4312;
  leader.ppid = 1;
  leader.name = "server \"quoted\"";
  leader.footprint_bytes = 50'000'000;
  leader.rss_bytes = 80'000'000;
  leader.swap_bytes = 0;  // present and zero is not absent
  leader.private_dirty_bytes = 40'000'000;
  leader.pss_bytes = 45'000'000;
  leader.peak_footprint_bytes = 60'000'000;
  leader.threads = 9;
  leader.fds = 31;
  PidSample child;  // every optional absent
  child.pid = 4313;
  child.ppid = 4312;
  child.footprint_bytes = 1;
  child.rss_bytes = 2;
  s.tree.pids = {leader, child};
  s.tree.footprint_bytes = leader.footprint_bytes + child.footprint_bytes;
  s.tree.rss_bytes = leader.rss_bytes + child.rss_bytes;
  return s;
}

RunInfo full_run_info() {
  RunInfo r;
  r.scenario = "snapshot-loop";
  r.server_command = {"axref", "--backend", "atspi"};
  r.server_pids = {100, 101};
  r.transport = "stdio";
  r.server_name = "axref";
  r.protocol_version = "2025-06-18";
  r.protocol_era = "initialize";
  r.attached = true;
  r.http_header_names = {"Authorization"};
  r.budget_bytes_per_min = 1e6;
  r.warmup_s = 30;
  r.min_duration_s = 120;
  r.early_stop = false;
  r.platform = "linux-x86_64";
  r.metric = "RssAnon+VmSwap";
  r.phases = {{"loop", false, 0, 510.25, 0, "delete"}, {"idle", true, 510.25, 600, 0, ""}};
  r.elapsed_s = 600.125;
  r.stopped_early_at_s = 321.5;
  r.stopped_early_verdict = mcpleak::Verdict::leaking;
  r.stopped_early_reason = "look 3: leaking: 2 MiB/min";
  r.interrupted = true;
  r.server_failure = "exit code 3";
  r.non_json_lines = 4;
  r.warnings = {"stderr over 256 MiB", "two"};
  return r;
}

void require_equal(const RunInfo& a, const RunInfo& b) {
  CHECK(a.scenario == b.scenario);
  CHECK(a.server_command == b.server_command);
  CHECK(a.server_pids == b.server_pids);
  CHECK(a.transport == b.transport);
  CHECK(a.server_name == b.server_name);
  CHECK(a.protocol_version == b.protocol_version);
  CHECK(a.budget_bytes_per_min == b.budget_bytes_per_min);
  CHECK(a.warmup_s == b.warmup_s);
  CHECK(a.min_duration_s == b.min_duration_s);
  CHECK(a.early_stop == b.early_stop);
  CHECK(a.platform == b.platform);
  CHECK(a.metric == b.metric);
  CHECK(a.elapsed_s == b.elapsed_s);
  CHECK(a.stopped_early_at_s == b.stopped_early_at_s);
  CHECK(a.stopped_early_verdict == b.stopped_early_verdict);
  CHECK(a.stopped_early_reason == b.stopped_early_reason);
  CHECK(a.interrupted == b.interrupted);
  CHECK(a.server_failure == b.server_failure);
  CHECK(a.non_json_lines == b.non_json_lines);
  CHECK(a.warnings == b.warnings);
  REQUIRE(a.phases.size() == b.phases.size());
  for (std::size_t i = 0; i < a.phases.size(); ++i) {
    CHECK(a.phases[i].name == b.phases[i].name);
    CHECK(a.phases[i].idle == b.phases[i].idle);
    CHECK(a.phases[i].start_s == b.phases[i].start_s);
    CHECK(a.phases[i].end_s == b.phases[i].end_s);
    CHECK(a.phases[i].session_close == b.phases[i].session_close);
  }
  CHECK(a.attached == b.attached);
  CHECK(a.protocol_era == b.protocol_era);
  CHECK(a.http_header_names == b.http_header_names);
}

}  // namespace

TEST_CASE("a Sample round-trips through its jsonl line", "[model][serialize]") {
  const Sample in = full_sample();
  const std::string line = mcpleak::to_json_value(in).dump();
  CHECK(line.find('\n') == std::string::npos);
  auto out = mcpleak::sample_from_json(line);
  REQUIRE(out);
  require_equal(in, *out);
}

TEST_CASE("a Sample without pids, diagnostics or regions round-trips", "[model][serialize]") {
  Sample in;
  in.t_s = 0.25;
  in.tree.footprint_bytes = 3;
  auto out = mcpleak::sample_from_json(mcpleak::to_json_value(in).dump());
  REQUIRE(out);
  require_equal(in, *out);
}

TEST_CASE("CallRecords round-trip, ok and failed", "[model][serialize]") {
  CallRecord failed;
  failed.t_s = 1.0 / 3;
  failed.phase = 1;
  failed.tool = "Snapshot";
  failed.latency_ms = 30000.5;
  failed.ok = false;
  failed.error = "timeout after 30000 ms";
  failed.response_bytes = 0;
  CallRecord ok = failed;
  ok.ok = true;
  ok.error.clear();
  ok.response_bytes = 1ull << 33;
  for (const CallRecord& in : {failed, ok}) {
    auto out = mcpleak::call_from_json(mcpleak::to_json_value(in).dump());
    REQUIRE(out);
    CHECK(out->t_s == in.t_s);
    CHECK(out->phase == in.phase);
    CHECK(out->tool == in.tool);
    CHECK(out->latency_ms == in.latency_ms);
    CHECK(out->ok == in.ok);
    CHECK(out->error == in.error);
    CHECK(out->response_bytes == in.response_bytes);
  }
}

TEST_CASE("RunInfo round-trips, with and without its optional fields", "[model][serialize]") {
  RunInfo in = full_run_info();
  SECTION("all set") {}
  SECTION("optionals absent") {
    in.stopped_early_at_s.reset();
    in.server_failure.reset();
    in.warnings.clear();
  }
  auto out = mcpleak::run_info_from_json(mcpleak::to_json_value(in).dump());
  REQUIRE(out);
  require_equal(in, *out);
}

TEST_CASE("a Sample missing a required field is a parse error naming it", "[model][serialize]") {
  for (const char* field : {"t_s", "calls", "phase", "footprint_bytes", "rss_bytes"}) {
    INFO(field);
    json j = mcpleak::to_json_value(full_sample());
    j.erase(field);
    auto out = mcpleak::sample_from_json(j.dump());
    REQUIRE_FALSE(out);
    CHECK(out.error().code == Errc::parse);
    CHECK(out.error().message.rfind(std::string(field) + ":", 0) == 0);
  }
}

TEST_CASE("a pid entry missing a required field names the field and pids", "[model][serialize]") {
  for (const char* field : {"pid", "footprint_bytes", "rss_bytes"}) {
    INFO(field);
    json j = mcpleak::to_json_value(full_sample());
    j["pids"][1].erase(field);
    auto out = mcpleak::sample_from_json(j.dump());
    REQUIRE_FALSE(out);
    CHECK(out.error().code == Errc::parse);
    CHECK(out.error().describe() == std::string("pids: parse: ") + field + ": missing");
  }
}

TEST_CASE("a CallRecord missing a required field is a parse error naming it", "[model][serialize]") {
  CallRecord c;
  c.tool = "echo";
  for (const char* field : {"t_s", "phase", "tool", "latency_ms", "ok"}) {
    INFO(field);
    json j = mcpleak::to_json_value(c);
    j.erase(field);
    auto out = mcpleak::call_from_json(j.dump());
    REQUIRE_FALSE(out);
    CHECK(out.error().code == Errc::parse);
    CHECK(out.error().message == std::string(field) + ": missing");
  }
}

TEST_CASE("RunInfo missing a required field is a parse error naming it", "[model][serialize]") {
  for (const char* field : {"scenario", "server_command", "budget_bytes_per_min", "warmup_s"}) {
    INFO(field);
    json j = mcpleak::to_json_value(full_run_info());
    j.erase(field);
    auto out = mcpleak::run_info_from_json(j.dump());
    REQUIRE_FALSE(out);
    CHECK(out.error().code == Errc::parse);
    CHECK(out.error().message == std::string(field) + ": missing");
  }
  for (const char* field : {"name", "start_s", "end_s"}) {
    INFO(field);
    json j = mcpleak::to_json_value(full_run_info());
    j["phases"][0].erase(field);
    auto out = mcpleak::run_info_from_json(j.dump());
    REQUIRE_FALSE(out);
    CHECK(out.error().describe() == std::string("phases: parse: ") + field + ": missing");
  }
}

TEST_CASE("mistyped fields and non-objects are parse errors", "[model][serialize]") {
  json j = mcpleak::to_json_value(full_sample());
  j["t_s"] = "soon";
  auto wrong = mcpleak::sample_from_json(j.dump());
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().code == Errc::parse);
  CHECK(wrong.error().message == "t_s: wrong type");

  auto not_json = mcpleak::call_from_json("{\"t_s\":");
  REQUIRE_FALSE(not_json);
  CHECK(not_json.error().code == Errc::parse);

  auto not_object = mcpleak::run_info_from_json("[1]");
  REQUIRE_FALSE(not_object);
  CHECK(not_object.error().code == Errc::parse);
}

TEST_CASE("a watched session's records and run info round-trip", "[model][serialize]") {
  CallRecord sampling;  // the server asked the client, as in a watched session
  sampling.t_s = 4.5;
  sampling.tool = "";
  sampling.method = "sampling/createMessage";
  sampling.kind = mcpleak::CallKind::protocol;
  sampling.from_server = true;
  sampling.request_bytes = 1ull << 20;
  sampling.response_bytes = 321;
  sampling.latency_ms = 12.5;
  sampling.ok = true;
  auto back = mcpleak::call_from_json(mcpleak::to_json_value(sampling).dump());
  REQUIRE(back);
  CHECK(back->method == sampling.method);
  CHECK(back->kind == mcpleak::CallKind::protocol);
  CHECK(back->from_server);
  CHECK(back->request_bytes == sampling.request_bytes);
  CHECK(back->response_bytes == sampling.response_bytes);

  RunInfo in = full_run_info();
  in.phases = {{"session", false, 0, 75.5, 0, ""}};
  in.phases[0].client_driven = true;
  mcpleak::WatchdogEvent e;
  e.trigger = "max-footprint";
  e.detail = "footprint 105 MB > --max-footprint 100 MB";
  e.sample_t_s = 5.25;
  e.footprint_bytes = 105'000'000;
  e.action = "kill";
  e.acted_at_s = 5.31;
  e.evidence_dir = "evidence-1";
  e.evidence_files = {"smaps_rollup-42.txt", "processes.tsv"};
  e.evidence_notes = {"sample(1): macOS only"};
  in.watchdog = {e};
  auto out = mcpleak::run_info_from_json(mcpleak::to_json_value(in).dump());
  REQUIRE(out);
  require_equal(in, *out);
  CHECK(out->phases[0].client_driven);
  REQUIRE(out->watchdog.size() == 1);
  const auto& w = out->watchdog[0];
  CHECK(w.trigger == e.trigger);
  CHECK(w.detail == e.detail);
  CHECK(w.sample_t_s == e.sample_t_s);
  CHECK(w.footprint_bytes == e.footprint_bytes);
  CHECK(w.action == e.action);
  CHECK(w.acted_at_s == e.acted_at_s);
  CHECK(w.evidence_dir == e.evidence_dir);
  CHECK(w.evidence_files == e.evidence_files);
  CHECK(w.evidence_notes == e.evidence_notes);

  // Written before watch existed: no watchdog, no client_driven.
  auto old = mcpleak::run_info_from_json(mcpleak::to_json_value(full_run_info()).dump());
  REQUIRE(old);
  CHECK(old->watchdog.empty());
  CHECK_FALSE(old->phases[0].client_driven);
}
