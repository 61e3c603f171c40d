// harness/analysis/session_growth: per-phase growth per session on synthetic samples,
// the way a `close: mixed` sessions run records them.
#include <vector>

#include "harness/analysis/session_growth.h"
#include "tests/support/catch.h"

using mcpleak::PhaseInfo;
using mcpleak::RunInfo;
using mcpleak::Sample;

namespace {

// A delete half where memory stays flat and an abandon half that keeps `kept` bytes per
// session; one session ends per second.
std::vector<Sample> mixed_run(double kept) {
  std::vector<Sample> samples;
  std::uint64_t sessions = 0;
  double footprint = 50e6;
  for (int t = 0; t <= 120; ++t) {
    Sample s;
    s.t_s = t;
    s.phase = t < 60 ? 0 : 1;
    s.sessions = sessions++;
    if (s.phase == 1) footprint += kept;
    footprint += (t % 3) * 1000.0;  // jitter without a trend
    s.tree.footprint_bytes = static_cast<std::uint64_t>(footprint - (t % 3) * 1000.0);
    samples.push_back(s);
  }
  return samples;
}

RunInfo mixed_info() {
  RunInfo run;
  run.warmup_s = 5;
  run.phases = {PhaseInfo{"sessions (delete)", false, 0, 60, 0.2, "delete"},
                PhaseInfo{"sessions (abandon)", false, 60, 121, 0.2, "abandon"},
                PhaseInfo{"idle", true, 121, 140, 0, ""}};
  return run;
}

}  // namespace

TEST_CASE("session growth: a mixed run tells abandoned sessions from deleted ones", "[analysis][sessions]") {
  const auto samples = mixed_run(256 * 1024.0);
  const auto rows = mcpleak::analysis::session_growth_by_phase(samples, mixed_info());
  REQUIRE(rows.size() == 2);  // the idle phase ends no sessions
  CHECK(rows[0].close == "delete");
  CHECK(rows[1].close == "abandon");
  CHECK(rows[1].phase == "sessions (abandon)");
  REQUIRE(rows[0].bytes_per_session);
  REQUIRE(rows[1].bytes_per_session);
  CHECK(*rows[0].bytes_per_session == Approx(0).margin(2000));
  CHECK(*rows[1].bytes_per_session == Approx(256 * 1024.0).epsilon(0.02));
  CHECK(rows[0].sessions >= 50);
}

TEST_CASE("session growth: too few sessions give no figure", "[analysis][sessions]") {
  RunInfo run = mixed_info();
  std::vector<Sample> samples;
  for (int t = 0; t < 20; ++t) {
    Sample s;
    s.t_s = t;
    s.sessions = t < 10 ? 0 : 2;
    s.tree.footprint_bytes = 1000000 + t;
    samples.push_back(s);
  }
  const auto rows = mcpleak::analysis::session_growth_by_phase(samples, run);
  REQUIRE(rows.size() == 2);
  CHECK_FALSE(rows[0].bytes_per_session);
  CHECK(rows[0].sessions == 2);
}
