#include <sstream>

#include <nlohmann/json.hpp>

#include "reports/report.h"
#include "tests/support/catch.h"

using namespace mcpleak;
using nlohmann::json;

namespace {

// GIVEN a report with every field set to a distinct, recognisable value.
Report full_report() {
  Report r;
  r.run.scenario = "snapshot-loop";
  r.run.server_command = {"python3", "server.py"};
  r.run.server_pids = {100, 101};
  r.run.transport = "stdio";
  r.run.server_name = "demo";
  r.run.protocol_version = "2025-06-18";
  r.run.protocol_era = "initialize";
  r.run.budget_bytes_per_min = 1048576;
  r.run.warmup_s = 5;
  r.run.min_duration_s = 30;
  r.run.early_stop = true;
  r.run.platform = "linux-x86_64";
  r.run.metric = "RssAnon+VmSwap";
  r.run.phases = {{"loop", false, 0, 60, 0.2, ""}, {"idle", true, 60, 90, 0, ""}};
  r.run.elapsed_s = 90;
  r.run.stopped_early_at_s = 80;
  r.run.interrupted = false;
  r.run.non_json_lines = 2;
  r.verdict = Verdict::leaking;
  r.reason = "too fast";
  r.growth.bytes_per_min = 2097152;
  r.growth.ci95_bytes_per_min = {1572864, 2621440};
  r.growth.bytes_per_call = 4096;
  r.growth.driver = "calls";
  r.idle.bytes_per_min = 512;
  r.retained_bytes = 3145728;
  r.rss.bytes_per_min = 1024;
  r.calls = {100, 2, 12.5, 40.25};
  r.footprint = {1000, 5000, 6000, 2000, 2500};
  r.verdict_at_s = 75;
  r.rss_diverges = true;
  r.samples = 90;
  r.diagnostics_per_min = {{"observers", 3}};
  r.diagnostics_end = {{"observers", 12}};
  r.region_growth_bytes = {{"MALLOC_SMALL", 4096}};
  r.exercise.required = true;
  r.exercise.exercised = false;
  r.exercise.reason = "3 of 10 calls failed";
  r.exercise.window_start_s = 5;
  r.exercise.window_end_s = 60;
  r.exercise.calls = {7, 3, 1};
  r.exercise.ok_ratio = 0.7;
  r.exercise.max_failed_fraction = 0.05;
  r.exercise.longest_gap_s = 31;
  r.exercise.longest_gap_from_s = 20;
  r.exercise.longest_gap_phase = "loop";
  r.exercise.per_tool = {{"App", {7, 3, 1}}};
  r.exercise.per_phase = {{"loop", {7, 3, 1}, 31, 20, 5}};
  r.exercise.first_errors = {{"App", "isError: no app", 6.5, 2}, {"App", "timeout after 30000 ms", 20, 1}};
  ProcessGrowth child;
  child.name = "python3";
  child.pid = 101;
  child.parent = 100;
  child.role = "child";
  child.first_seen_s = 0.5;
  child.last_seen_s = 90;
  child.alive_at_end = true;
  child.start_bytes = 600;
  child.end_bytes = 4500;
  child.peak_bytes = 5000;
  child.bytes_per_min = 2000000;
  child.ci95_bytes_per_min = {1500000, 2500000};
  child.share_of_growth = 0.95;
  r.processes = {child};
  r.transient_processes = {{"osascript", 3, 7000}};
  ResourceVerdict fds;
  fds.name = "fds";
  fds.verdict = "leaking";
  fds.why = "grows steadily";
  fds.headline = "fds +1.00 per call (8 → 1,208)";
  fds.start = 8;
  fds.end = 1208;
  fds.peak = 1210;
  fds.per_min = 600;
  fds.ci95_per_min = {590, 610};
  fds.per_call = 1.0;
  fds.driver = "calls";
  fds.budget = "0/call, +4 in all";
  fds.points = 300;
  r.resources = {fds};
  ResourceVerdict observers;
  observers.name = "AXObserver";
  observers.verdict = "leaking";
  observers.why = "grows steadily";
  observers.headline = "AXObserver +2.00 per call (4 → 404)";
  observers.start = 4;
  observers.end = 404;
  observers.peak = 404;
  observers.per_min = 600;
  observers.ci95_per_min = {598, 602};
  observers.per_call = 2.0;
  observers.driver = "calls";
  observers.budget = "0/call, +2 in all";
  observers.points = 9;
  r.classes = {observers};
  r.footprint_verdict = "leaking";
  OrphanCheck check;
  check.status = "done";
  check.grace_s = 2;
  check.leader_needed_sigterm = true;
  check.processes = {{4242, 1, "chrome_crashpad", "chrome_crashpad --database=/tmp/x", 12.5, 5 << 20, 0, "survived", true}};
  r.run.orphan_check = check;
  WhereItGrows w;
  w.status = "ok";
  w.mode = "python";
  w.every_calls = 50;
  w.checkpoints = 6;
  w.processes = {{101, "python", "3.11.2", 6, 4100.0, LiveHeapVerdict{"leaking", 2e6, {1.5e6, 2.5e6}, 35.0, 60.0, 61}, ""}};
  w.sites = {{101, "python", "/srv/ax/events.py:363", "_update_observers", 4000.0, 2.0, 0.97,
              {{"_update_observers", "/srv/ax/events.py", 363}, {"snapshot", "/srv/ax/tools.py", 40}},
              {0, 200000, 400000},
              {10.0, 20.0, 30.0}}};
  w.types = {{101, "builtins.bytearray", 1.0, 4000.0}};
  w.footprint_bytes_per_call = 4096.0;
  w.explained_fraction = 0.97;
  w.statement = "the sites below explain 97%";
  w.overhead.p50_ms_verdict = 12.5;
  w.overhead.p50_ms_instrumented = 14.0;
  w.overhead.checkpoint_s_max = 0.5;
  w.overhead.hook_bytes_max = 300000;
  w.limits = {"tracemalloc sees Python's allocator only"};
  w.heap_diffs = {{4711, {"heap.4711.1.heapsnapshot", "heap.4711.2.heapsnapshot", "heap.4711.4.heapsnapshot"},
                   {100, 150, 250}, 900, 120,
                   {{"Array", "object", 50, 1600, 1.0, {"system / Context", "seenRequests", "Array", "[3]", "Array"}}}}};
  r.where_it_grows = w;
  r.warnings = {"w1"};
  return r;
}

json written(const Report& r) {
  std::ostringstream out;
  write_json(r, out);
  return json::parse(out.str());
}

}  // namespace

TEST_CASE("report.json holds every Report field under its documented name", "[reports]") {
  const Report r = full_report();
  const json expected = {
      {"schema", "mcpleak.report/1"},
      {"verdict", "leaking"},
      {"exit_code", 1},
      {"reason", "too fast"},
      {"verdict_line",
       "LEAKING: +2.00 MiB/min (95% CI 1.50\u20132.50), +4.00 KiB/call, python3 (pid 101) +1.91 MiB/min of the "
       "tree's +2.00 MiB/min, retained 3.00 MiB after idle; also fds +1.00 per call (8 \u2192 1,208)"},
      {"metric", "RssAnon+VmSwap"},
      {"platform", "linux-x86_64"},
      {"scenario", "snapshot-loop"},
      {"budget_bytes_per_min", 1048576.0},
      {"growth",
       {{"bytes_per_min", 2097152.0},
        {"ci95_bytes_per_min", {1572864.0, 2621440.0}},
        {"bytes_per_call", 4096.0},
        {"bytes_per_session", nullptr},
        {"driver", "calls"},
        {"fitted", true}}},
      {"idle", {{"bytes_per_min", 512.0}}},
      {"retained_bytes", 3145728.0},
      {"rss", {{"bytes_per_min", 1024.0}}},
      {"rss_diverges", true},
      {"footprint",
       {{"start_bytes", 1000},
        {"end_bytes", 5000},
        {"peak_bytes", 6000},
        {"rss_start_bytes", 2000},
        {"rss_end_bytes", 2500}}},
      {"calls", {{"ok", 100}, {"failed", 2}, {"p50_ms", 12.5}, {"p99_ms", 40.25}}},
      {"elapsed_s", 90.0},
      {"verdict_at_s", 75.0},
      {"stopped_early_at_s", 80.0},
      {"interrupted", false},
      {"warmup_s", 5.0},
      {"min_duration_s", 30.0},
      {"early_stop", true},
      {"samples", 90},
      {"server",
       {{"command", {"python3", "server.py"}},
        {"pids", {100, 101}},
        {"name", "demo"},
        {"transport", "stdio"},
        {"url", nullptr},
        {"attached", false},
        {"http_header_names", nlohmann::json::array()},
        {"failure", nullptr}}},
      {"protocol_version", "2025-06-18"},
      {"protocol_era", "initialize"},
      {"non_json_lines", 2},
      {"phases",
       {{{"name", "loop"}, {"idle", false}, {"start_s", 0.0}, {"end_s", 60.0}, {"call_interval_s", 0.2}},
        {{"name", "idle"}, {"idle", true}, {"start_s", 60.0}, {"end_s", 90.0}, {"call_interval_s", 0.0}}}},
      {"sessions_by_phase", nlohmann::json::array()},
      {"exercise",
       {{"required", true},
        {"exercised", false},
        {"reason", "3 of 10 calls failed"},
        {"window_start_s", 5.0},
        {"window_end_s", 60.0},
        {"calls", {{"ok", 7}, {"failed", 3}, {"timed_out", 1}}},
        {"ok_ratio", 0.7},
        {"max_failed_fraction", 0.05},
        {"longest_gap_s", 31.0},
        {"longest_gap_from_s", 20.0},
        {"longest_gap_phase", "loop"},
        {"per_tool", {{"App", {{"ok", 7}, {"failed", 3}, {"timed_out", 1}}}}},
        {"per_phase",
         {{{"name", "loop"},
           {"calls", {{"ok", 7}, {"failed", 3}, {"timed_out", 1}}},
           {"longest_gap_s", 31.0},
           {"longest_gap_from_s", 20.0},
           {"allowed_gap_s", 5.0}}}},
        {"first_errors",
         {{{"tool", "App"}, {"error", "isError: no app"}, {"first_t_s", 6.5}, {"count", 2}},
          {{"tool", "App"}, {"error", "timeout after 30000 ms"}, {"first_t_s", 20.0}, {"count", 1}}}}}},
      {"processes",
       {{{"name", "python3"},
         {"pid", 101},
         {"parent", 100},
         {"role", "child"},
         {"first_seen_s", 0.5},
         {"last_seen_s", 90.0},
         {"alive_at_end", true},
         {"start_bytes", 600},
         {"end_bytes", 4500},
         {"peak_bytes", 5000},
         {"bytes_per_min", 2000000.0},
         {"ci95_bytes_per_min", {1500000.0, 2500000.0}},
         {"share_of_growth", 0.95}}}},
      {"transient_processes", {{{"name", "osascript"}, {"count", 3}, {"peak_bytes", 7000}}}},
      {"resources",
       {{{"name", "fds"},
         {"verdict", "leaking"},
         {"why", "grows steadily"},
         {"headline", "fds +1.00 per call (8 → 1,208)"},
         {"start", 8.0},
         {"end", 1208.0},
         {"peak", 1210.0},
         {"per_min", 600.0},
         {"ci95_per_min", {590.0, 610.0}},
         {"per_call", 1.0},
         {"per_reconnect", nullptr},
         {"driver", "calls"},
         {"budget", "0/call, +4 in all"},
         {"points", 300}}}},
      {"classes",
       {{{"name", "AXObserver"},
         {"verdict", "leaking"},
         {"why", "grows steadily"},
         {"headline", "AXObserver +2.00 per call (4 → 404)"},
         {"start", 4.0},
         {"end", 404.0},
         {"peak", 404.0},
         {"per_min", 600.0},
         {"ci95_per_min", {598.0, 602.0}},
         {"per_call", 2.0},
         {"per_reconnect", nullptr},
         {"driver", "calls"},
         {"budget", "0/call, +2 in all"},
         {"points", 9}}}},
      {"footprint_verdict", "leaking"},
      {"orphans",
       {{"status", "done"},
        {"grace_s", 2.0},
        {"leader_needed_sigterm", true},
        {"leader_needed_sigkill", false},
        {"kept", false},
        {"processes",
         {{{"pid", 4242},
           {"ppid", 1},
           {"name", "chrome_crashpad"},
           {"command", "chrome_crashpad --database=/tmp/x"},
           {"age_s", 12.5},
           {"footprint_bytes", 5 << 20},
           {"cycle", 0},
           {"fate", "survived"},
           {"cleaned_up", true}}}}}},
      {"reconnect_cycles", nullptr},
      {"own_cost", nullptr},
      {"where_it_grows",
       {{"status", "ok"},
        {"why", ""},
        {"mode", "python"},
        {"instrumented_run", "attribution"},
        {"every_calls", 50},
        {"checkpoints", 6},
        {"processes",
         {{{"pid", 101}, {"runtime", "python"}, {"version", "3.11.2"}, {"checkpoints", 6},
           {"live_heap_bytes_per_call", 4100.0},
           {"live_heap",
            {{"verdict", "leaking"},
             {"bytes_per_min", 2e6},
             {"ci95_bytes_per_min", {1.5e6, 2.5e6}},
             {"decided_after_s", 35.0},
             {"span_s", 60.0},
             {"points", 61}}},
           {"note", ""}}}},
        {"sites",
         {{{"pid", 101},
           {"runtime", "python"},
           {"site", "/srv/ax/events.py:363"},
           {"function", "_update_observers"},
           {"bytes_per_call", 4000.0},
           {"blocks_per_call", 2.0},
           {"share_of_growth", 0.97},
           {"stack",
            {{{"function", "_update_observers"}, {"file", "/srv/ax/events.py"}, {"line", 363}},
             {{"function", "snapshot"}, {"file", "/srv/ax/tools.py"}, {"line", 40}}}},
           {"bytes_at_checkpoints", {0, 200000, 400000}},
           {"t_at_checkpoints", {10.0, 20.0, 30.0}}}}},
        {"types", {{{"pid", 101}, {"type", "builtins.bytearray"}, {"objects_per_call", 1.0}, {"bytes_per_call", 4000.0}}}},
        {"footprint_bytes_per_call", 4096.0},
        {"explained_fraction", 0.97},
        {"statement", "the sites below explain 97%"},
        {"overhead",
         {{"p50_ms_verdict", 12.5}, {"p50_ms_instrumented", 14.0}, {"checkpoint_s_max", 0.5},
          {"hook_bytes_max", 300000}}},
        {"heap_diffs",
         {{{"pid", 4711},
           {"snapshots", {"heap.4711.1.heapsnapshot", "heap.4711.2.heapsnapshot", "heap.4711.4.heapsnapshot"}},
           {"calls", {100, 150, 250}},
           {"new_in_second", 900},
           {"still_alive", 120},
           {"groups",
            {{{"constructor", "Array"},
              {"type", "object"},
              {"count", 50},
              {"self_bytes", 1600},
              {"per_call", 1.0},
              {"retainer_path", {"system / Context", "seenRequests", "Array", "[3]", "Array"}}}}}}}},
        {"limits", {"tracemalloc sees Python's allocator only"}}}},
      {"diagnostics", {{"per_min", {{"observers", 3.0}}}, {"end", {{"observers", 12.0}}}}},
      {"regions", {{"growth_bytes", {{"MALLOC_SMALL", 4096.0}}}}},
      {"warnings", {"w1"}},
  };
  const json actual = written(r);
  INFO(json::diff(expected, actual).dump());  // what differs, as a JSON patch from expected
  CHECK(actual == expected);
}

TEST_CASE("report.json writes absent optionals as null", "[reports]") {
  Report r;
  r.verdict = Verdict::inconclusive;
  const json j = written(r);
  CHECK(j["verdict"] == "inconclusive");
  CHECK(j["growth"]["bytes_per_call"].is_null());
  CHECK(j["growth"]["bytes_per_session"].is_null());
  CHECK(j["idle"]["bytes_per_min"].is_null());
  CHECK(j["retained_bytes"].is_null());
  CHECK(j["calls"]["p50_ms"].is_null());
  CHECK(j["calls"]["p99_ms"].is_null());
  CHECK(j["verdict_at_s"].is_null());
  CHECK(j["stopped_early_at_s"].is_null());
  CHECK(j["server"]["failure"].is_null());
  CHECK(j["where_it_grows"].is_null());
  CHECK(j["server"]["pids"] == json::array());
}

TEST_CASE("report.json names the HTTP endpoint a run drove", "[reports]") {
  Report r;
  r.run.transport = "streamable-http";
  r.run.server_url = "http://127.0.0.1:8931/mcp";
  r.growth.bytes_per_session = 65536;
  const json j = written(r);
  CHECK(j["server"]["transport"] == "streamable-http");
  CHECK(j["server"]["url"] == "http://127.0.0.1:8931/mcp");
  CHECK(j["growth"]["bytes_per_session"] == 65536.0);
}

TEST_CASE("report.json survives invalid UTF-8 from the server", "[reports]") {
  Report r;
  r.verdict = Verdict::server_failed;
  r.run.server_failure = "crashed: \xff\xfe";
  r.run.server_command = {"srv\xc3"};
  const json j = written(r);
  CHECK(j["verdict"] == "server-failed");
  CHECK(j["exit_code"] == 3);
  CHECK(j["server"]["failure"] == "crashed: \xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(j["server"]["command"][0] == "srv\xEF\xBF\xBD");
}
