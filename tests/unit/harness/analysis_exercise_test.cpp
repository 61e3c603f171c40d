// analysis/exercise: a bounded verdict needs a window in which the scenario's calls
// really succeeded. Call records are built by hand with known outcomes and timing; the
// series under them are synthetic with known slope.
#include <string>
#include <vector>

#include "harness/analysis/analysis.h"
#include "harness/analysis/compare.h"
#include "harness/analysis/exercise.h"
#include "tests/support/catch.h"
#include "tests/unit/harness/analysis_synthetic.h"

using namespace mcpleak;
using namespace mcpleak::test;
using analysis::ExerciseRule;
using analysis::ExerciseTally;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// `n` calls of `tool`, one every `interval_s` from `from_s`, each answered after
// `latency_s`; call i fails when fails(i).
std::vector<CallRecord> calls_every(double from_s, double interval_s, int n, const std::string& tool,
                                    double latency_s, const std::function<bool(int)>& fails) {
  std::vector<CallRecord> out;
  for (int i = 0; i < n; ++i) {
    CallRecord c;
    c.t_s = from_s + i * interval_s;
    c.tool = tool;
    c.latency_ms = latency_s * 1000;
    c.ok = !fails(i);
    if (!c.ok) c.error = "isError: no running application matches 'NoSuchApp'";
    out.push_back(c);
  }
  return out;
}

RunInfo loop_run(double loop_end_s, double idle_end_s = 0) {
  RunInfo run = make_run(1 * kMiB, 5, 30);
  run.phases.push_back(PhaseInfo{"loop", false, 0, loop_end_s, 0.2, ""});
  if (idle_end_s > loop_end_s) run.phases.push_back(PhaseInfo{"idle", true, loop_end_s, idle_end_s, 0, ""});
  run.elapsed_s = std::max(loop_end_s, idle_end_s);
  return run;
}

auto never = [](int) { return false; };
auto always = [](int) { return true; };

}  // namespace

TEST_CASE("every call failing is not exercised, and the reason quotes the error", "[analysis][exercise]") {
  const RunInfo run = loop_run(40);
  const auto calls = calls_every(0, 0.2, 200, "App", 0.001, always);
  const Exercise e = analysis::assess_exercise(calls, run, run.elapsed_s);
  CHECK(e.required);
  CHECK_FALSE(e.exercised);
  CHECK(e.calls.ok == 0);
  CHECK(e.calls.failed == 175);  // the 25 warm-up calls (t < 5 s) are not judged
  CHECK(contains(e.reason, "175 of 175 calls failed"));
  CHECK(contains(e.reason, "(App: no running application matches 'NoSuchApp')"));
  REQUIRE(e.first_errors.size() == 1);
  CHECK(e.first_errors[0].count == 175);
  CHECK(e.per_tool.at("App").failed == 175);
}

TEST_CASE("all calls ok at the planned rate is exercised", "[analysis][exercise]") {
  const RunInfo run = loop_run(40, 60);
  const auto calls = calls_every(0, 0.2, 200, "Snapshot", 0.05, never);
  const Exercise e = analysis::assess_exercise(calls, run, run.elapsed_s);
  CHECK(e.exercised);
  CHECK(e.reason.empty());
  REQUIRE(e.ok_ratio);
  CHECK(*e.ok_ratio == 1.0);
  // The idle phase after the loop is not a gap: 20 s without calls there is the plan.
  CHECK(e.longest_gap_s < 0.25);
  REQUIRE(e.per_phase.size() == 1);
  CHECK(e.per_phase[0].allowed_gap_s == ExerciseRule::kMinGapS);
}

TEST_CASE("a third of calls failing breaks the default rule, not a relaxed one", "[analysis][exercise]") {
  RunInfo run = loop_run(40);
  const auto calls = calls_every(0, 0.2, 200, "App", 0.001, [](int i) { return i % 3 == 0; });
  const Exercise strict = analysis::assess_exercise(calls, run, run.elapsed_s);
  CHECK_FALSE(strict.exercised);
  CHECK(contains(strict.reason, "calls failed (33%, at most 5% allowed)"));
  run.max_failed_fraction = 0.4;  // --max-failed-calls 40%
  const Exercise relaxed = analysis::assess_exercise(calls, run, run.elapsed_s);
  CHECK(relaxed.exercised);
  CHECK(relaxed.max_failed_fraction == 0.4);
}

TEST_CASE("a hung call leaves a gap up to the end of the phase", "[analysis][exercise]") {
  RunInfo run = loop_run(40);
  // 40 calls answered in the first 8 s, then one sent at 8 s that times out after 30 s.
  auto calls = calls_every(0, 0.2, 40, "echo", 0.001, never);
  CallRecord hung;
  hung.t_s = 8.0;
  hung.tool = "echo";
  hung.latency_ms = 30000;
  hung.timed_out = true;
  hung.error = "timeout after 30000 ms";
  calls.push_back(hung);
  // Looked at 20 s in, the hung call still pending and the phase still running.
  ExerciseTally tally(run.warmup_s);
  for (const auto& c : calls) {
    if (c.t_s + c.latency_ms / 1000 <= 20) tally.add(c, 0);
  }
  std::vector<PhaseInfo> so_far = {PhaseInfo{"loop", false, 0, 20, 0.2, ""}};
  const Exercise at_20 = tally.summarize(so_far, 20, analysis::exercise_rule(run));
  CHECK_FALSE(at_20.exercised);
  CHECK(at_20.calls.failed == 0);
  CHECK(at_20.longest_gap_s == Approx(20 - 7.801));  // since the last answer
  CHECK(contains(at_20.reason, "no call succeeded for 12 s (from 8 s, phase loop; at most 5 s allowed)"));
  // At the end, with the timed-out call recorded.
  const Exercise end = analysis::assess_exercise(calls, run, run.elapsed_s);
  CHECK_FALSE(end.exercised);
  CHECK(end.calls.timed_out == 1);
  CHECK(contains(end.reason, "1 of them timed out"));
  CHECK(contains(end.reason, "no call succeeded for 32 s"));
}

TEST_CASE("slow calls that succeed cover their time: no gap", "[analysis][exercise]") {
  const RunInfo run = loop_run(60);
  // Back to back, 10 s each: the server is busy the whole time and every answer is ok.
  const auto calls = calls_every(0, 10, 6, "Snapshot", 10, never);
  const Exercise e = analysis::assess_exercise(calls, run, run.elapsed_s);
  CHECK(e.exercised);
  CHECK(e.longest_gap_s < 0.01);
}

TEST_CASE("the allowed gap is the longer of 5 s and three call intervals, or --max-call-gap",
          "[analysis][exercise]") {
  ExerciseRule rule;
  CHECK(analysis::allowed_gap_s(rule, 0.2) == 5);
  CHECK(analysis::allowed_gap_s(rule, 4) == 12);
  rule.max_gap_s = 30;
  CHECK(analysis::allowed_gap_s(rule, 4) == 30);

  // Calls every 4 s, all ok: gaps of 4 s are within 12 s.
  RunInfo run = loop_run(60);
  run.phases[0].call_interval_s = 4;
  const auto calls = calls_every(0, 4, 15, "Snapshot", 0.01, never);
  CHECK(analysis::assess_exercise(calls, run, run.elapsed_s).exercised);
  // The same calls planned at 5/s: 4 s gaps are within 5 s too, but 8 s ones are not.
  run.phases[0].call_interval_s = 0.2;
  const auto sparse = calls_every(0, 8, 8, "Snapshot", 0.01, never);
  CHECK_FALSE(analysis::assess_exercise(sparse, run, run.elapsed_s).exercised);
}

TEST_CASE("an idle-only run has nothing to exercise", "[analysis][exercise]") {
  RunInfo run = make_run(1 * kMiB, 5, 30);
  run.phases = {PhaseInfo{"idle", true, 0, 60, 0, ""}};
  const Exercise e = analysis::assess_exercise({}, run, 60);
  CHECK_FALSE(e.required);
  CHECK(e.exercised);
}

TEST_CASE("a call phase with no call at all is not exercised", "[analysis][exercise]") {
  const RunInfo run = loop_run(40);
  const Exercise e = analysis::assess_exercise({}, run, run.elapsed_s);
  CHECK_FALSE(e.exercised);
  CHECK(contains(e.reason, "no call succeeded for 35 s (from 5 s, phase loop; at most 5 s allowed)"));
}

TEST_CASE("diagnostics calls neither count nor cover", "[analysis][exercise]") {
  const RunInfo run = loop_run(40);
  auto calls = calls_every(0, 0.2, 200, "App", 0.001, always);
  for (auto c : calls_every(0, 1, 40, "Diagnostics", 0.001, never)) {
    c.kind = CallKind::diagnostics;
    calls.push_back(c);
  }
  const Exercise e = analysis::assess_exercise(calls, run, run.elapsed_s);
  CHECK_FALSE(e.exercised);
  CHECK(e.calls.ok == 0);
  CHECK_FALSE(e.per_tool.contains("Diagnostics"));
}

TEST_CASE("analyse: flat footprint with failing calls is inconclusive, not bounded", "[analysis][exercise]") {
  Synth g;
  g.duration_s = 40;
  const auto samples = make_series(g, 3);
  const RunInfo run = loop_run(40);
  const auto ok = calls_every(0, 0.2, 200, "App", 0.001, never);
  CHECK(analyse(samples, ok, run).verdict == Verdict::bounded);

  const auto failing = calls_every(0, 0.2, 200, "App", 0.001, always);
  const Report r = analyse(samples, failing, run);
  CHECK(r.verdict == Verdict::inconclusive);
  CHECK(verdict_exit_code(r.verdict) == 4);
  CHECK(r.reason.starts_with("not exercised: 175 of 175 calls failed (App: "));
}

TEST_CASE("analyse: a leak with failing calls is still leaking, with a warning", "[analysis][exercise]") {
  Synth g;
  g.duration_s = 40;
  g.slope_bytes_per_min = 20 * kMiB;  // a failing retry loop that leaks
  const auto samples = make_series(g, 4);
  const RunInfo run = loop_run(40);
  const Report r = analyse(samples, calls_every(0, 0.2, 200, "App", 0.001, always), run);
  CHECK(r.verdict == Verdict::leaking);
  bool warned = false;
  for (const auto& w : r.warnings) warned = warned || contains(w, "did not exercise the server");
  CHECK(warned);
}

TEST_CASE("a look never decides bounded about a window that was not exercised", "[analysis][exercise]") {
  Synth g;
  g.duration_s = 60;
  const auto samples = make_series(g, 5);
  const RunInfo run = loop_run(60);
  const Exercise good = analysis::assess_exercise(calls_every(0, 0.2, 300, "App", 0.001, never), run, 60);
  const Exercise bad = analysis::assess_exercise(calls_every(0, 0.2, 300, "App", 0.001, always), run, 60);
  const Look yes = sequential_look(samples, run, 1, good);
  REQUIRE(yes.decided);
  CHECK(*yes.decided == Verdict::bounded);
  const Look no = sequential_look(samples, run, 1, bad);
  CHECK_FALSE(no.decided);
  CHECK(contains(no.reason, "not exercised"));
}

TEST_CASE("compare never ranks a side that was not exercised", "[analysis][exercise]") {
  Synth g;
  g.duration_s = 40;
  const RunInfo run = loop_run(40);
  const auto samples = make_series(g, 6);
  const Report good = analyse(samples, calls_every(0, 0.2, 200, "App", 0.001, never), run);
  const Report bad = analyse(samples, calls_every(0, 0.2, 200, "App", 0.001, always), run);
  const CompareResult cand_bad = compare_reports(good, bad);
  CHECK(cand_bad.outcome == Comparison::not_exercised);
  CHECK(contains(cand_bad.line, "candidate: 175 of 175 calls failed"));
  CHECK(compare_reports(bad, good).outcome == Comparison::not_exercised);
  CHECK(compare_reports(good, good).outcome == Comparison::same);
}

TEST_CASE("a watched session: the client's pauses are no gap, its protocol requests no calls", "[analysis][exercise]") {
  RunInfo run = make_run(1 * kMiB, 5, 30);
  PhaseInfo session{"session", false, 0, 120, 0, ""};
  session.client_driven = true;
  run.phases.push_back(session);
  run.elapsed_s = 120;
  // Two bursts of tool calls with a 60 s pause between (the person read the answer),
  // and pings and tools/list that failed all along.
  auto calls = calls_every(10, 0.5, 20, "Snapshot", 0.05, never);
  for (const auto& c : calls_every(80, 0.5, 20, "Snapshot", 0.05, never)) calls.push_back(c);
  for (auto c : calls_every(0, 5, 24, "", 0.001, always)) {
    c.kind = CallKind::protocol;
    c.method = "ping";
    calls.push_back(c);
  }
  const Exercise e = analysis::assess_exercise(calls, run, run.elapsed_s);
  CHECK(e.exercised);
  CHECK(e.calls.ok == 40);
  CHECK(e.calls.failed == 0);
  CHECK(e.longest_gap_s > 55);  // measured, and allowed

  // The same pause in a planned phase is a server that stopped answering.
  run.phases[0].client_driven = false;
  run.phases[0].call_interval_s = 0.5;
  CHECK_FALSE(analysis::assess_exercise(calls, run, run.elapsed_s).exercised);
}
