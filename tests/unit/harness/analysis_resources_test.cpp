// Resource verdicts (processes, fds, threads) and orphans on synthetic series of known
// truth, and how they combine with the footprint into the run's verdict.
#include "tests/support/catch.h"

#include <functional>

#include "analysis_synthetic.h"
#include "harness/analysis/analysis.h"
#include "harness/analysis/resources.h"

namespace mcpleak {
namespace {

using analysis::judge_orphans;
using analysis::judge_resources;

RunInfo run_info(double warmup_s = 5) {
  RunInfo run;
  run.warmup_s = warmup_s;
  run.min_duration_s = 30;
  run.budget_bytes_per_min = 1e6;
  run.phases.push_back(PhaseInfo{"loop", false, 0, 120, 0.1, ""});
  return run;
}

// A flat footprint, 10 calls a second; `fds(sample)` sets the tree's fd count.
std::vector<Sample> series(const std::function<std::uint64_t(const Sample&)>& fds, unsigned seed = 1) {
  test::Synth g;
  g.calls_per_s = 10;
  g.white_sd_bytes = 0.05 * test::kMiB;
  auto samples = test::make_series(g, seed);
  for (Sample& s : samples) {
    s.tree.processes = 2;
    s.tree.threads = 9;
    s.tree.fds = fds(s);
  }
  return samples;
}

// The calls behind a series: every one ok, so the window counts as exercised.
std::vector<CallRecord> calls_of(const std::vector<Sample>& samples) {
  std::vector<CallRecord> calls;
  std::uint64_t made = 0;
  for (const Sample& s : samples) {
    for (; made < s.calls; ++made) {
      CallRecord c;
      c.t_s = s.t_s;
      c.tool = "Snapshot";
      c.ok = true;
      c.latency_ms = 5;
      calls.push_back(c);
    }
  }
  return calls;
}

// By value: the tests pass temporaries.
ResourceVerdict find(const std::vector<ResourceVerdict>& all, const std::string& name) {
  for (const auto& v : all) {
    if (v.name == name) return v;
  }
  FAIL("no resource " << name);
  return {};
}

TEST_CASE("one fd per call is leaking at +1.00 per call, named in the verdict line", "[analysis][resources]") {
  const auto samples = series([](const Sample& s) { return 8 + s.calls; });
  const RunInfo run = run_info();
  const auto all = judge_resources(samples, run);
  const auto& fds = find(all, "fds");
  INFO(fds.why);
  CHECK(fds.verdict == "leaking");
  REQUIRE(fds.per_call.has_value());
  CHECK(*fds.per_call == Approx(1.0).epsilon(0.05));
  CHECK(fds.driver == "calls");
  CHECK(fds.per_min == Approx(600).epsilon(0.05));
  CHECK(fds.headline.find("fds +1.00 per call (") == 0);
  CHECK(find(all, "threads").verdict == "bounded");
  CHECK(find(all, "processes").verdict == "bounded");

  // The footprint is flat: the run leaks because of the fds, and says so first.
  const Report r = analyse(samples, {}, run);
  CHECK(r.footprint_verdict == "bounded");
  CHECK(r.verdict == Verdict::leaking);
  CHECK(r.reason.find("fds +1.00 per call") == 0);
  CHECK(r.reason.find("footprint bounded") != std::string::npos);
}

TEST_CASE("a flat fd count, a pool that fills and stops, and one late lazily opened fd are bounded",
          "[analysis][resources]") {
  const RunInfo run = run_info();
  SECTION("flat") {
    const auto& v = find(judge_resources(series([](const Sample&) { return 12; }), run), "fds");
    CHECK(v.verdict == "bounded");
    CHECK(v.start == 12);
    CHECK(v.end == 12);
  }
  SECTION("a pool of 16 connections filled in the first 40 s") {
    const auto& v = find(judge_resources(series([](const Sample& s) {
                                           return 8 + std::min<std::uint64_t>(16, s.calls / 25);
                                         }),
                                         run),
                         "fds");
    INFO(v.why);
    CHECK(v.verdict == "bounded");
    CHECK(v.end - v.start > 4);  // past the allowance: bounded because it stopped
  }
  SECTION("one fd opened at 100 s") {
    const auto& v = find(judge_resources(series([](const Sample& s) { return s.t_s > 100 ? 9 : 8; }), run), "fds");
    INFO(v.why);
    CHECK(v.verdict == "bounded");
  }
}

TEST_CASE("the fd budget: per call, allowance and off", "[analysis][resources]") {
  const auto samples = series([](const Sample& s) { return 8 + s.calls / 10; });  // 0.1 per call
  RunInfo run = run_info();
  CHECK(find(judge_resources(samples, run), "fds").verdict == "leaking");
  run.resource_budgets["fds"] = ResourceBudget{0.2, 0, 4, false};
  CHECK(find(judge_resources(samples, run), "fds").verdict == "bounded");
  run.resource_budgets["fds"] = ResourceBudget{0, 0, 500, false};
  CHECK(find(judge_resources(samples, run), "fds").verdict == "bounded");
  run.resource_budgets["fds"] = ResourceBudget{0, 0, 4, true};
  const Report r = analyse(samples, calls_of(samples), run);
  CHECK(find(r.resources, "fds").verdict == "not judged");
  CHECK(r.verdict == Verdict::bounded);
}

TEST_CASE("a resource no sample could read is not judged, and does not hold a verdict back", "[analysis][resources]") {
  auto samples = series([](const Sample&) { return 8; });
  for (Sample& s : samples) s.tree.fds.reset();
  const Report r = analyse(samples, calls_of(samples), run_info());
  const auto& v = find(r.resources, "fds");
  CHECK(v.verdict == "not judged");
  CHECK(v.why.find("not readable") != std::string::npos);
  CHECK(r.verdict == Verdict::bounded);
}

TEST_CASE("threads that grow without end in an idle run grow with time", "[analysis][resources]") {
  test::Synth g;
  g.white_sd_bytes = 0.05 * test::kMiB;
  auto samples = test::make_series(g, 3);
  for (Sample& s : samples) {
    s.tree.processes = 1;
    s.tree.fds = 5;
    s.tree.threads = 4 + static_cast<std::uint64_t>(s.t_s / 2);  // one every 2 s, no calls
  }
  const auto& v = find(judge_resources(samples, run_info()), "threads");
  CHECK(v.verdict == "leaking");
  CHECK(v.driver == "time");
  CHECK_FALSE(v.per_call.has_value());
  CHECK(v.per_min == Approx(30).epsilon(0.05));
  INFO(v.headline);
  CHECK(v.headline.find("threads +30.0/min") == 0);
}

TEST_CASE("orphans after the disconnect: survivors leak, helpers that exit within the grace do not",
          "[analysis][resources]") {
  RunInfo run = run_info();
  CHECK_FALSE(judge_orphans(run).has_value());  // no check recorded: nothing to say
  OrphanCheck check;
  check.status = "done";
  check.grace_s = 2;
  check.processes.push_back(OrphanProcess{101, 1, "crashpad", "chrome_crashpad --x", 1, 0, 0, "exited in grace", false});
  run.orphan_check = check;
  auto v = judge_orphans(run);
  REQUIRE(v.has_value());
  CHECK(v->verdict == "bounded");
  run.orphan_check->processes.push_back(OrphanProcess{102, 1, "chrome", "chrome --headless", 30, 1 << 20, 0, "survived", true});
  v = judge_orphans(run);
  REQUIRE(v.has_value());
  CHECK(v->verdict == "leaking");
  CHECK(v->end == 1);
  CHECK(v->headline == "1 orphaned process after disconnect");

  // Whatever the footprint says, an orphan makes the run leaking.
  const Report r = analyse(series([](const Sample&) { return 8; }), {}, run);
  CHECK(r.verdict == Verdict::leaking);
  CHECK(r.reason.find("1 orphaned process after disconnect; footprint bounded") == 0);

  run.orphan_check->status = "attached: mcpleak does not disconnect a server it did not start";
  CHECK_FALSE(judge_orphans(run).has_value());
}

TEST_CASE("reconnect cycles: survivors per reconnect decide, failed cycles make it inconclusive",
          "[analysis][resources]") {
  RunInfo run = run_info();
  for (int i = 1; i <= 4; ++i) {
    run.reconnect_cycles.push_back(ReconnectCycle{i, i * 2.0, i * 2.0 + 1, 3, 0, "", static_cast<std::uint64_t>(i), 0});
  }
  auto v = judge_orphans(run);
  REQUIRE(v.has_value());
  CHECK(v->verdict == "leaking");
  REQUIRE(v->per_session.has_value());
  CHECK(*v->per_session == Approx(1.0));
  CHECK(v->headline == "orphans 4 after 4 reconnects (1 per reconnect)");
  const Report leaking = analyse({}, {}, run);
  CHECK(leaking.verdict == Verdict::leaking);

  for (auto& c : run.reconnect_cycles) c.survivors = 0;
  CHECK(judge_orphans(run)->verdict == "bounded");
  for (std::size_t i = 0; i < 3; ++i) run.reconnect_cycles[i].error = "would not initialize: timeout";
  CHECK(judge_orphans(run)->verdict == "inconclusive");
  CHECK(analyse({}, {}, run).verdict == Verdict::inconclusive);
}

TEST_CASE("an early bounded look waits while a resource still grows", "[analysis][resources]") {
  const auto samples = series([](const Sample& s) { return 8 + s.calls; });
  RunInfo run = run_info();
  Exercise exercised;
  exercised.required = true;
  exercised.exercised = true;
  const Look look = sequential_look(samples, run, 3, exercised);
  INFO(look.reason);
  CHECK_FALSE(look.decided.has_value());
  CHECK(look.reason.find("fds leaking") != std::string::npos);
}

TEST_CASE("format_count groups thousands and keeps fractions short", "[analysis][resources]") {
  CHECK(analysis::format_count(1208) == "1,208");
  CHECK(analysis::format_count(0) == "0");
  CHECK(analysis::format_count(1234567) == "1,234,567");
  CHECK(analysis::format_count(0.5) == "0.50");
  CHECK(analysis::format_count(-3) == "-3");
}


// The sampler counts fds every 4th tick (harness/sampler/cadence.h) and leaves the other
// samples without them: the judge must use the counted samples, neither treating the gaps
// as "not readable" nor as zeros.
TEST_CASE("fds counted only every 4th sample are judged from the counted ones", "[analysis][resources]") {
  std::size_t index = 0;
  auto leaking = series([](const Sample& s) { return 8 + s.calls; });
  auto flat = series([](const Sample&) { return 8; });
  for (auto* samples : {&leaking, &flat}) {
    index = 0;
    for (Sample& s : *samples) {
      if (index++ % 4 != 0) s.tree.fds.reset();
    }
  }
  const RunInfo run = run_info();
  const auto leak = find(judge_resources(leaking, run), "fds");
  INFO(leak.why);
  CHECK(leak.verdict == "leaking");
  REQUIRE(leak.per_call.has_value());
  CHECK(*leak.per_call == Approx(1.0).epsilon(0.05));
  CHECK(leak.points < leaking.size() / 3);
  CHECK(leak.points > leaking.size() / 5);

  const auto bounded = find(judge_resources(flat, run), "fds");
  INFO(bounded.why);
  CHECK(bounded.verdict == "bounded");
  CHECK(bounded.end == Approx(8));
  // The threads, read at every tick, keep all their points.
  CHECK(find(judge_resources(flat, run), "threads").points > bounded.points * 3);
}

}  // namespace
}  // namespace mcpleak
