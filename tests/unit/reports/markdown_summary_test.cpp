#include <sstream>

#include "reports/report.h"
#include "tests/support/catch.h"
#include "tests/unit/reports/report_fixture.h"

using namespace mcpleak;

namespace {

std::string summary(const Report& r) {
  std::ostringstream out;
  write_markdown_summary(r, out);
  return out.str();
}

// Each table row must have exactly as many unescaped pipes as its header row.
int unescaped_pipes(const std::string& line) {
  int n = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("summary.md opens with the bold verdict line", "[reports]") {
  const auto f = test::leaking_run();
  const std::string md = summary(f.report);
  CHECK(md.rfind("**LEAKING**: +11.8 MiB/min (95% CI 10.9\u201312.6), +212 KiB/call, python3 (pid 4313) "
                 "+11.6 MiB/min of the tree's +11.8 MiB/min, retained 112 MiB after idle\n",
                 0) == 0);
}

TEST_CASE("summary.md warns about RSS only when it diverges", "[reports]") {
  auto f = test::leaking_run();
  CHECK(summary(f.report).find("RSS hides this growth") != std::string::npos);
  f.report.rss_diverges = false;
  CHECK(summary(f.report).find("RSS hides this growth") == std::string::npos);
}

TEST_CASE("hostile server text cannot break summary.md tables or inject HTML", "[reports]") {
  const auto f = test::hostile_run();
  const std::string md = summary(f.report);
  // Markdown renderers pass raw HTML through: every '<' must be backslash-escaped.
  for (std::size_t i = 0; i < md.size(); ++i) {
    if (md[i] == '<') {
      INFO(md.substr(i, 30));
      CHECK((i > 0 && md[i - 1] == '\\'));
    }
  }
  CHECK(md.find("\\<script\\>alert(1)\\</script\\>") != std::string::npos);
  std::istringstream lines(md);
  std::string line;
  int rows = 0, header_pipes = -1;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '|') {
      header_pipes = -1;  // the next table starts with its own header
      continue;
    }
    ++rows;
    const int pipes = unescaped_pipes(line);
    if (header_pipes < 0) header_pipes = pipes;
    INFO(line);
    CHECK(pipes == header_pipes);
  }
  CHECK(rows > 10);
}

TEST_CASE("summary.md leaves out tables that have no data", "[reports]") {
  auto f = test::leaking_run();
  f.report.region_growth_bytes.clear();
  f.report.diagnostics_end.clear();
  f.report.diagnostics_per_min.clear();
  f.report.warnings.clear();
  const std::string md = summary(f.report);
  CHECK(md.find("Region growth") == std::string::npos);
  CHECK(md.find("Diagnostics") == std::string::npos);
  CHECK(md.find("Warnings") == std::string::npos);
}

TEST_CASE("summary.md has a Where it grows table, or offers the command when leaking without one", "[reports]") {
  auto f = test::leaking_run();
  f.report.run.invocation = {"mcpleak", "run", "--tool", "leak", "--", "python3", "srv.py"};
  std::ostringstream offer;
  write_markdown_summary(f.report, offer);
  CHECK(offer.str().find("mcpleak run --attribute auto --tool leak -- python3 srv.py") != std::string::npos);
  WhereItGrows w;
  w.status = "ok";
  w.mode = "python";
  w.every_calls = 50;
  w.checkpoints = 6;
  w.statement = "the sites below explain 97%";
  w.sites = {{7, "python", "/srv/a.py:18", "_remember", 16384, 2.0, 0.97,
              {{"_remember", "/srv/a.py", 18}, {"_record", "/srv/a.py", 23}, {"tool_leak", "/srv/a.py", 27}},
              {0, 800000, 1600000}, {10, 20, 30}}};
  f.report.where_it_grows = w;
  std::ostringstream out;
  write_markdown_summary(f.report, out);
  const std::string md = out.str();
  CHECK(md.find("Find where it grows") == std::string::npos);
  CHECK(md.find("### Where it grows") != std::string::npos);
  CHECK(md.find("python hooks, 6 checkpoints every 50 calls") != std::string::npos);
  CHECK(md.find("| \\_remember (a.py:18) | +16.0 KiB/call, +2.00 blocks/call | 97% | \\_record (a.py:23) \\< "
                "tool\\_leak (a.py:27) | pid 7 (python) |") != std::string::npos);
}
