// Attribution of growth to calls, time or sessions, and what an idle phase retains.
#include <cmath>

#include "harness/analysis/analysis.h"
#include "tests/support/catch.h"
#include "tests/unit/harness/analysis_synthetic.h"

using namespace mcpleak;
using namespace mcpleak::test;

namespace {

// 0–120 s a call loop at 5 calls/s, then 60 s idle.
Synth loop_then_idle() {
  Synth g;
  ordinary_noise(g);
  g.duration_s = 180;
  g.calls_per_s = 5;
  g.phases = {PhaseInfo{"loop", false, 0, 120, 0, ""}, PhaseInfo{"idle", true, 120, 180, 0, ""}};
  return g;
}

RunInfo run_for(const Synth& g) {
  RunInfo run = make_run();
  run.phases = g.phases;
  return run;
}

}  // namespace

TEST_CASE("a per-call leak with an idle phase is driven by calls", "[analysis]") {
  const double per_call = 200 * kKiB;
  for (unsigned seed = 1; seed <= 10; ++seed) {
    Synth g = loop_then_idle();
    g.per_state = [&](const Sample& s) { return per_call * static_cast<double>(s.calls); };
    const auto samples = make_series(g, seed);
    const Report r = analyse(samples, {}, run_for(g));
    INFO("seed " << seed << ": " << r.reason);
    CHECK(r.verdict == Verdict::leaking);
    CHECK(r.growth.driver == "calls");
    REQUIRE(r.growth.bytes_per_call);
    CHECK(*r.growth.bytes_per_call == Approx(per_call).epsilon(0.15));
    REQUIRE(r.idle.bytes_per_min);
    CHECK(std::fabs(*r.idle.bytes_per_min) < 1 * kMiB);
    // Truth: everything allocated by the calls after warm-up is still held after idle.
    std::uint64_t calls_at_warmup = 0;
    for (auto& s : samples) {
      if (s.t_s <= 5) calls_at_warmup = s.calls;
    }
    const double truth = per_call * static_cast<double>(samples.back().calls - calls_at_warmup);
    REQUIRE(r.retained_bytes);
    CHECK(*r.retained_bytes == Approx(truth).epsilon(0.05));
    CHECK(r.reason.find("/call") != std::string::npos);
  }
}

TEST_CASE("a leak that continues while idle is driven by time", "[analysis]") {
  for (unsigned seed = 1; seed <= 10; ++seed) {
    Synth g = loop_then_idle();
    g.slope_bytes_per_min = 6 * kMiB;  // the retried-observer leak: per tick, not per call
    const Report r = analyse(make_series(g, seed), {}, run_for(g));
    INFO("seed " << seed << ": " << r.reason);
    CHECK(r.verdict == Verdict::leaking);
    CHECK(r.growth.driver == "time");
    REQUIRE(r.idle.bytes_per_min);
    CHECK(*r.idle.bytes_per_min == Approx(6 * kMiB).epsilon(0.15));
    REQUIRE(r.growth.bytes_per_call);
    CHECK(std::fabs(*r.growth.bytes_per_call) < 10 * kKiB);  // almost nothing per call
  }
}

TEST_CASE("without an idle phase growth goes to calls when calls were made", "[analysis]") {
  Synth g;
  ordinary_noise(g);
  g.calls_per_s = 4;
  g.per_state = [](const Sample& s) { return 50 * kKiB * static_cast<double>(s.calls); };
  const Report r = analyse(make_series(g, 7), {}, make_run());
  CHECK(r.verdict == Verdict::leaking);
  CHECK(r.growth.driver == "calls");
  REQUIRE(r.growth.bytes_per_call);
  CHECK(*r.growth.bytes_per_call == Approx(50 * kKiB).epsilon(0.15));
  CHECK_FALSE(r.idle.bytes_per_min);
  CHECK_FALSE(r.retained_bytes);  // no idle phase after calls
}

TEST_CASE("a bounded run has driver none", "[analysis]") {
  Synth g = loop_then_idle();
  const Report r = analyse(make_series(g, 8), ok_calls(g), run_for(g));
  CHECK(r.verdict == Verdict::bounded);
  CHECK(r.growth.driver == "none");
  REQUIRE(r.retained_bytes);
  CHECK(std::fabs(*r.retained_bytes) < 1 * kMiB);
}

TEST_CASE("growth that follows sessions, not calls, is driven by sessions", "[analysis]") {
  // Sessions close at a steady rate, calls come in bursts of varying rate: the footprint
  // tracks the session counter, not the call counter.
  Synth g;
  ordinary_noise(g);
  g.sessions_per_s = 1;
  g.calls_per_s = 3;
  g.duration_s = 150;
  g.phases = {PhaseInfo{"slow", false, 0, 50, 0, ""}, PhaseInfo{"fast", false, 50, 100, 0, ""},
              PhaseInfo{"slow2", false, 100, 150, 0, ""}};
  g.per_state = [](const Sample& s) { return 100 * kKiB * static_cast<double>(s.sessions); };
  auto samples = make_series(g, 9);
  // Make the call rate differ by phase (3/s, 12/s, 3/s) without touching sessions.
  std::uint64_t extra = 0;
  double prev = 0;
  for (auto& s : samples) {
    if (s.phase == 1) extra += static_cast<std::uint64_t>(std::round(9 * (s.t_s - prev)));
    prev = s.t_s;
    s.calls += extra;
  }
  const Report r = analyse(samples, {}, make_run());
  CHECK(r.verdict == Verdict::leaking);
  CHECK(r.growth.driver == "sessions");
  REQUIRE(r.growth.bytes_per_session);
  CHECK(*r.growth.bytes_per_session == Approx(100 * kKiB).epsilon(0.15));
}
