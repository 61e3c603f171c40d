// Writes every report format of the fixed fixture runs into a directory, for the checks
// that need outside tools (xmllint against junit.xsd, headless Chromium):
//   mcpleak_render_fixture OUTDIR
// OUTDIR gets report.json, summary.md, junit-<verdict>.xml (all four verdicts),
// junit-hostile.xml, report.html, hostile.html and compare.html.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "reports/report.h"
#include "tests/unit/reports/report_fixture.h"

using namespace mcpleak;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: mcpleak_render_fixture OUTDIR\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::cerr << "ERROR: " << dir.string() << ": " << ec.message() << "\n";
    return 1;
  }
  const auto open = [&](const char* name) {
    std::ofstream out(dir / name, std::ios::binary);
    if (!out) std::cerr << "ERROR: cannot write " << (dir / name).string() << "\n";
    return out;
  };
  const auto leaking = test::leaking_run();
  {
    auto out = open("report.json");
    write_json(leaking.report, out);
  }
  {
    auto out = open("summary.md");
    write_markdown_summary(leaking.report, out);
  }
  {
    auto out = open("report.html");
    write_html(leaking.report, leaking.samples, leaking.calls, out);
  }
  for (Verdict v : {Verdict::bounded, Verdict::leaking, Verdict::inconclusive,
                    Verdict::server_failed}) {
    const std::string name = std::string("junit-") + verdict_name(v) + ".xml";
    auto out = open(name.c_str());
    write_junit(test::run_with_verdict(v).report, out);
  }
  const auto hostile = test::hostile_run();
  {
    auto out = open("junit-hostile.xml");
    write_junit(hostile.report, out);
  }
  {
    auto out = open("hostile.html");
    write_html(hostile.report, hostile.samples, hostile.calls, out);
  }
  {
    const auto candidate = test::run_with_verdict(Verdict::bounded);
    auto out = open("compare.html");
    write_html_compare({leaking.report, leaking.samples, leaking.calls, "base"},
                       {candidate.report, candidate.samples, candidate.calls, "candidate"}, out);
  }
  return 0;
}
