#include "reports/summary_rows.h"
#include "reports/report.h"
#include <algorithm>

#include "tests/support/catch.h"
#include "tests/unit/reports/report_fixture.h"

using namespace mcpleak;
using namespace mcpleak::reports;

TEST_CASE("command lines quote arguments a shell would split", "[reports]") {
  CHECK(command_line({"uv", "run", "--directory", "/Users/me/macos mcp", "macos-mcp"}) ==
        "uv run --directory '/Users/me/macos mcp' macos-mcp");
  CHECK(command_line({"python3", "-c", "print('hi')"}) == "python3 -c 'print('\\''hi'\\'')'");
  CHECK(command_line({"srv", ""}) == "srv ''");
  CHECK(command_line({"--rate=2", "a,b:c@d%e+f"}) == "--rate=2 a,b:c@d%e+f");
}

TEST_CASE("summary rows say n/a for absent latency and verdict time", "[reports]") {
  auto f = test::leaking_run();
  f.report.calls.p50_ms.reset();
  f.report.calls.p99_ms.reset();
  f.report.verdict_at_s.reset();
  f.report.growth.bytes_per_call.reset();
  const auto rows = summary_rows(f.report);
  const auto value = [&](const std::string& label) {
    for (const auto& row : rows) {
      if (row.label == label) return row.value;
    }
    return std::string("<missing>");
  };
  CHECK(value("latency p50 / p99") == "n/a / n/a");
  CHECK(value("time to verdict") == "n/a");
  CHECK(value("growth per call") == "<missing>");
  CHECK(value("footprint start / end / peak") == "58.0 MiB / 225 MiB / 227 MiB");
}

TEST_CASE("the divergence warning appears only when RSS diverges", "[reports]") {
  auto f = test::leaking_run();
  CHECK(divergence_warning(f.report).find("RSS hides this growth") == 0);
  f.report.rss_diverges = false;
  CHECK(divergence_warning(f.report).empty());
}

TEST_CASE("the run rows say what mcpleak itself cost, when the run recorded it", "[reports]") {
  mcpleak::RunInfo run;
  const auto without = mcpleak::reports::run_rows(run);
  CHECK(std::none_of(without.begin(), without.end(), [](const auto& row) { return row.label == "mcpleak's own cost"; }));
  mcpleak::OwnCost cost;
  cost.cpu_s = 1.23;
  cost.wall_s = 300;
  cost.cpu_share = 1.23 / 300;
  cost.peak_rss_bytes = 9 * 1024 * 1024;
  cost.sampler.ticks = 1201;
  cost.sampler.tick_ms_median = 0.31;
  cost.sampler.tick_ms_p99 = 5.9;
  cost.sampler.missed_ticks = 2;
  run.own_cost = cost;
  const auto rows = mcpleak::reports::run_rows(run);
  REQUIRE_FALSE(rows.empty());
  CHECK(rows.back().label == "mcpleak's own cost");
  CHECK(rows.back().value ==
        "0.41% of a core (1.2 s CPU in 300 s), peak RSS 9.00 MiB; 1201 sampler ticks, median 0.31 ms, p99 5.90 ms, 2 missed");
}

TEST_CASE("a report with too few samples shows no slope, not a flat 0", "[reports]") {
  auto f = test::leaking_run();
  f.report.verdict = Verdict::inconclusive;
  f.report.growth = {};
  f.report.growth.fitted = false;
  f.report.reason = "too few samples: 3 after the 5 s warm-up, need at least 20";
  for (const auto& row : summary_rows(f.report)) {
    if (row.label == "footprint slope") CHECK(row.value == "not fitted (too few samples)");
  }
  const std::string line = verdict_line(f.report);
  CHECK(line.find("no slope (too few samples)") != std::string::npos);
  CHECK(line.find("0 B/min") == std::string::npos);
}
