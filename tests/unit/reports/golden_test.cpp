// summary.md and junit.xml of the fixed leaking run, compared byte for byte with the
// committed golden files (tests/fixtures/reports/golden/).
#include <sstream>

#include "reports/report.h"
#include "tests/support/catch.h"
#include "tests/unit/reports/golden.h"
#include "tests/unit/reports/report_fixture.h"

using namespace mcpleak;

TEST_CASE("summary.md of the leaking fixture matches its golden file", "[reports][golden]") {
  const auto f = test::leaking_run();
  std::ostringstream out;
  write_markdown_summary(f.report, out);
  test::check_golden("summary.md", out.str());
}

TEST_CASE("summary.md of the bounded fixture matches its golden file", "[reports][golden]") {
  const auto f = test::run_with_verdict(Verdict::bounded);
  std::ostringstream out;
  write_markdown_summary(f.report, out);
  test::check_golden("summary-bounded.md", out.str());
}

TEST_CASE("junit.xml of the leaking fixture matches its golden file", "[reports][golden]") {
  const auto f = test::leaking_run();
  std::ostringstream out;
  write_junit(f.report, out);
  test::check_golden("junit.xml", out.str());
}
