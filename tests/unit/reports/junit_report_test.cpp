#include <sstream>

#include "reports/report.h"
#include "tests/support/catch.h"
#include "tests/unit/reports/report_fixture.h"

using namespace mcpleak;

namespace {

std::string junit(const Report& r) {
  std::ostringstream out;
  write_junit(r, out);
  return out.str();
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("junit.xml has one testcase per phase plus the budget testcase", "[reports]") {
  const auto f = test::leaking_run();
  const std::string xml = junit(f.report);
  CHECK(count(xml, "<testcase ") == 4);
  CHECK(xml.find("<testcase name=\"phase: snapshot-finder-safari\" "
                 "classname=\"mcpleak.snapshot-finder-safari\" time=\"570.000\"/>") !=
        std::string::npos);
  CHECK(xml.find("<testsuite name=\"mcpleak\" tests=\"4\"") != std::string::npos);
}

TEST_CASE("junit.xml maps each verdict to failure, error, skipped or a pass", "[reports]") {
  const auto verdicts = {Verdict::leaking, Verdict::server_failed, Verdict::inconclusive,
                         Verdict::bounded};
  for (Verdict v : verdicts) {
    const std::string xml = junit(test::run_with_verdict(v).report);
    INFO(verdict_name(v));
    CHECK(count(xml, "<failure ") == (v == Verdict::leaking ? 1 : 0));
    CHECK(count(xml, "<error ") == (v == Verdict::server_failed ? 1 : 0));
    CHECK(count(xml, "<skipped ") == (v == Verdict::inconclusive ? 1 : 0));
    CHECK(count(xml, "failures=\"1\"") == (v == Verdict::leaking ? 2 : 0));
    CHECK(count(xml, "errors=\"1\"") == (v == Verdict::server_failed ? 2 : 0));
  }
}

TEST_CASE("junit.xml failure message is the verdict line", "[reports]") {
  const auto f = test::leaking_run();
  const std::string xml = junit(f.report);
  CHECK(xml.find("<failure type=\"leaking\" message=\"LEAKING: +11.8 MiB/min") !=
        std::string::npos);
}

TEST_CASE("junit.xml escapes hostile server text", "[reports]") {
  const auto f = test::hostile_run();
  const std::string xml = junit(f.report);
  CHECK(xml.find("<script>") == std::string::npos);
  CHECK(xml.find("<b>") == std::string::npos);
  CHECK(xml.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(xml.find("\xff") == std::string::npos);
}
