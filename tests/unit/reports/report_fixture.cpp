#include "tests/unit/reports/report_fixture.h"

#include <algorithm>
#include <cmath>

namespace mcpleak::test {
namespace {

// Footprint of the python3 child: a 20 s import ramp, then +11.8 MiB/min while calls
// run (30..600 s), flat when idle, plus a deterministic wobble standing in for noise.
double python_footprint(double t, double leak_mib_per_min) {
  double base = t < 20 ? 40 * kMiB + (55 * kMiB) * t / 20 : 95 * kMiB;
  const double leak_s = std::clamp(t, 30.0, 600.0) - 30.0;
  base += leak_mib_per_min * kMiB * leak_s / 60.0;
  return base + 1.5 * kMiB * std::sin(t / 7.0);
}

// The seed's RSS: a saw-tooth as pages get compressed and swapped, hiding the growth.
double python_rss(double t) { return 60 * kMiB + 80 * kMiB * std::fmod(t, 90.0) / 90.0; }

// The fixture run with the python3 child leaking at `leak_mib_per_min` while calls run.
RunFixture make_run(double leak_mib_per_min) {
  RunFixture f;
  RunInfo& run = f.report.run;
  run.scenario = "snapshot-finder-safari";
  run.server_command = {"uv", "run", "--directory", "/Users/me/macos mcp", "macos-mcp"};
  run.server_pids = {4312, 4313, 4320};
  run.transport = "stdio";
  run.server_name = "macos-mcp";
  run.protocol_version = "2025-06-18";
  run.protocol_era = "initialize";
  run.budget_bytes_per_min = 1 * kMiB;
  run.warmup_s = 30;
  run.min_duration_s = 120;
  run.early_stop = false;
  run.platform = "macos-arm64";
  run.metric = "phys_footprint";
  run.phases = {{"warm-up", false, 0, 30, 0, ""},
                {"snapshot-finder-safari", false, 30, 600, 0, ""},
                {"idle", true, 600, 720, 0, ""}};
  run.elapsed_s = 720;
  run.non_json_lines = 3;
  OwnCost cost;
  cost.cpu_s = 2.9;
  cost.wall_s = 720;
  cost.cpu_share = 2.9 / 720;
  cost.peak_rss_bytes = 9 * kMiB;
  cost.sampler.ticks = 2880;
  cost.sampler.period_s = 0.25;
  cost.sampler.tick_ms_mean = 0.4;
  cost.sampler.tick_ms_median = 0.31;
  cost.sampler.tick_ms_p99 = 5.9;
  cost.sampler.tick_ms_max = 12;
  cost.sampler.every_thread_interval_s = 2;
  cost.sampler.full_scan_interval_s = 30;
  cost.sampler.fds_interval_s = 1;
  cost.sampler.detail_interval_s = 10;
  run.own_cost = cost;
  run.warnings = {"server wrote 3 non-JSON lines to stdout | first: \"Loading AX\ntree\""};

  for (int i = 0; i <= 360; ++i) {
    const double t = 2.0 * i;
    Sample s;
    s.t_s = t;
    s.calls = static_cast<std::uint64_t>(std::min(t, 600.0) * 2);
    s.phase = t < 30 ? 0 : t < 600 ? 1 : 2;
    PidSample uv{4312, 1, "uv", static_cast<std::uint64_t>(18 * kMiB + 0.2 * kMiB * std::cos(t / 11.0)),
                 static_cast<std::uint64_t>(25 * kMiB), {}, {}, {}, {}, {}, {}};
    PidSample py{4313, 4312, "python3", static_cast<std::uint64_t>(python_footprint(t, leak_mib_per_min)),
                 static_cast<std::uint64_t>(python_rss(t)), {}, {}, {}, {}, {}, {}};
    s.tree.pids = {uv, py};
    if (t >= 100 && t < 400) {
      s.tree.pids.push_back({4320, 4313, "osascript", static_cast<std::uint64_t>(6 * kMiB),
                             static_cast<std::uint64_t>(9 * kMiB), {}, {}, {}, {}, {}, {}});
    }
    for (const auto& p : s.tree.pids) {
      s.tree.footprint_bytes += p.footprint_bytes;
      s.tree.rss_bytes += p.rss_bytes;
    }
    s.diagnostics = {{"observers", 2 + 23.5 * std::max(0.0, std::min(t, 600.0) - 30) / 60}};
    f.samples.push_back(std::move(s));
  }
  for (int i = 0; i < 1200; ++i) {
    CallRecord c;
    c.t_s = 0.5 * i;
    c.phase = c.t_s < 30 ? 0 : 1;
    c.tool = i % 2 == 0 ? "App" : "Snapshot";
    c.latency_ms = 40 + (i % 17) * 3;
    c.ok = i % 100 != 99;
    if (!c.ok) c.error = "timeout";
    c.response_bytes = c.ok ? 18000 : 0;
    f.calls.push_back(std::move(c));
  }

  return f;
}

}  // namespace

RunFixture leaking_run() {
  RunFixture f = make_run(11.8);
  const RunInfo& run = f.report.run;
  Report& r = f.report;
  r.verdict = Verdict::leaking;
  r.reason = "footprint grows 11.8 MiB/min after warm-up; the whole 95% interval is above "
             "the 1 MiB/min budget";
  r.growth.bytes_per_min = 11.8 * kMiB;
  r.growth.ci95_bytes_per_min = {10.9 * kMiB, 12.6 * kMiB};
  r.growth.bytes_per_call = 212 * 1024.0;
  r.growth.driver = "calls";
  r.idle.bytes_per_min = 0.05 * kMiB;
  r.retained_bytes = 112 * kMiB;
  r.rss.bytes_per_min = 0.3 * kMiB;
  r.calls = {1188, 12, 61.0, 88.0};
  r.footprint = {static_cast<std::uint64_t>(58 * kMiB), static_cast<std::uint64_t>(225 * kMiB),
                 static_cast<std::uint64_t>(227 * kMiB), static_cast<std::uint64_t>(85 * kMiB),
                 static_cast<std::uint64_t>(120 * kMiB)};
  r.verdict_at_s = 300;
  r.rss_diverges = true;
  r.samples = 361;
  r.diagnostics_per_min = {{"observers", 23.5}};
  r.diagnostics_end = {{"observers", 225.25}, {"retained_elements", 3900}};
  r.region_growth_bytes = {{"MALLOC_SMALL", 98 * kMiB}, {"CoreFoundation", 6 * kMiB}};
  // What analysis::assess_exercise says of the calls above (1 in 100 times out).
  r.exercise.required = true;
  r.exercise.window_start_s = 30;
  r.exercise.window_end_s = 720;
  r.exercise.calls = {1128, 12, 12};
  r.exercise.ok_ratio = 1128.0 / 1140;
  r.exercise.max_failed_fraction = 0.05;
  r.exercise.longest_gap_s = 1.0;
  r.exercise.longest_gap_from_s = 49.5;
  r.exercise.longest_gap_phase = "snapshot-finder-safari";
  r.exercise.per_tool = {{"App", {570, 0, 0}}, {"Snapshot", {558, 12, 12}}};
  r.exercise.per_phase = {{"snapshot-finder-safari", {1128, 12, 12}, 1.0, 49.5, 5}};
  r.exercise.first_errors = {{"Snapshot", "timeout", 49.5, 12}};
  // The tree: uv flat, its python3 child carrying the growth, osascript came and went.
  ProcessGrowth py;
  py.name = "python3";
  py.pid = 4313;
  py.parent = 4312;
  py.role = "child";
  py.first_seen_s = 0;
  py.last_seen_s = 720;
  py.alive_at_end = true;
  py.start_bytes = static_cast<std::uint64_t>(40 * kMiB);
  py.end_bytes = static_cast<std::uint64_t>(207 * kMiB);
  py.peak_bytes = static_cast<std::uint64_t>(209 * kMiB);
  py.bytes_per_min = 11.6 * kMiB;
  py.ci95_bytes_per_min = {10.8 * kMiB, 12.4 * kMiB};
  py.share_of_growth = 11.6 / 11.8;
  ProcessGrowth uv = py;
  uv.name = "uv";
  uv.pid = 4312;
  uv.parent = 1;
  uv.role = "leader";
  uv.start_bytes = uv.end_bytes = uv.peak_bytes = static_cast<std::uint64_t>(18 * kMiB);
  uv.bytes_per_min = 0.01 * kMiB;
  uv.ci95_bytes_per_min = {-0.02 * kMiB, 0.03 * kMiB};
  uv.share_of_growth = 0.01 / 11.8;
  r.processes = {py, uv};
  r.transient_processes = {{"osascript", 1, static_cast<std::uint64_t>(6 * kMiB)}};
  r.warnings = run.warnings;
  r.warnings.push_back("RSS does not follow footprint: see the divergence note");
  return f;
}

RunFixture run_with_verdict(Verdict verdict) {
  RunFixture f = leaking_run();
  // A run that was not leaking has samples that do not leak either (compare pages draw them).
  if (verdict != Verdict::leaking) f.samples = make_run(0.04).samples;
  Report& r = f.report;
  r.verdict = verdict;
  switch (verdict) {
    case Verdict::leaking:
      break;
    case Verdict::bounded:
      r.reason = "the whole 95% interval of the slope is below the budget";
      r.growth.bytes_per_min = 0.04 * kMiB;
      r.growth.ci95_bytes_per_min = {-0.1 * kMiB, 0.2 * kMiB};
      r.retained_bytes.reset();
      r.growth.bytes_per_call = 32;
      r.warnings.pop_back();
      r.rss_diverges = false;
      r.footprint.end_bytes = static_cast<std::uint64_t>(114 * kMiB);
      r.footprint.peak_bytes = static_cast<std::uint64_t>(116 * kMiB);
      r.diagnostics_per_min = {{"observers", 0}};
      r.diagnostics_end = {{"observers", 2}, {"retained_elements", 40}};
      r.region_growth_bytes = {{"MALLOC_SMALL", 0.4 * kMiB}};
      for (auto& p : r.processes) {  // a tree that does not grow has no shares to give
        p.share_of_growth.reset();
        p.bytes_per_min = 0.02 * kMiB;
      }
      break;
    case Verdict::inconclusive:
      r.reason = "the 95% interval straddles the budget after 12m 00s";
      r.growth.bytes_per_min = 0.9 * kMiB;
      r.growth.ci95_bytes_per_min = {0.2 * kMiB, 1.7 * kMiB};
      r.verdict_at_s.reset();
      break;
    case Verdict::server_failed:
      r.reason = "the server exited during the run";
      r.run.server_failure = "server exited with status 1 after 41 s: Traceback <most recent call>";
      break;
  }
  return f;
}

RunFixture hostile_run() {
  RunFixture f = leaking_run();
  RunInfo& run = f.report.run;
  run.server_command = {"<script>alert(1)</script>", "--name=\"q\" & 'single'", "a|b\nc"};
  run.server_name = "<img src=x onerror=alert(2)>";
  run.scenario = "scen<ario> & \"x\"";
  run.phases[1].name = "<b>loop</b>";
  run.server_failure = "bad \xff\xfe bytes";
  f.report.reason = "reason with <i>markup</i> & \"quotes\"";
  f.report.warnings = {"ünïcødé ✓ 日本",
                       "</li><script>alert(4)</script>"};
  f.report.diagnostics_per_min = {{"<svg onload=alert(5)>", 1.0}};
  f.report.exercise.per_tool = {{"<b>tool</b>", {1, 1, 0}}};
  f.report.processes[0].name = "<svg onload=alert(7)>|x";
  f.report.transient_processes[0].name = "<b>helper</b>";
  f.report.exercise.first_errors = {{"<b>tool</b>", "isError: </li><script>alert(6)</script>", 40, 1}};
  for (auto& s : f.samples) s.tree.pids[1].name = "<svg onload=alert(3)>";
  return f;
}

}  // namespace mcpleak::test
