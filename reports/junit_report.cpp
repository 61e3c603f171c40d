// write_junit(): junit.xml for CI test tabs (Jenkins, GitLab, GitHub test reporters).
// Follows the common JUnit schema (Jenkins xunit-plugin junit-10.xsd); the subset we rely
// on is tests/fixtures/reports/junit.xsd, checked by xmllint in ctest.
#include <cmath>
#include <cstdio>

#include "reports/escape.h"
#include "reports/report.h"
#include "reports/summary_rows.h"
#include "reports/units.h"

namespace mcpleak {
namespace {

using reports::xml_escape;

// junit-10.xsd's SUREFIRE_TIME: plain decimal seconds, no sign, no exponent.
std::string xml_time(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", seconds);
  return buf;
}

void property(std::ostream& out, std::string_view name, const std::string& value) {
  out << "      <property name=\"" << name << "\" value=\"" << xml_escape(value) << "\"/>\n";
}

// The body of the budget testcase's failure/error/skipped element: the numbers a person
// needs without opening report.json.
std::string details(const Report& r) {
  using reports::format_bytes;
  using reports::format_signed_bytes;
  std::string text = reports::one_line(r.reason) + "\n";
  text += "footprint " + format_bytes(static_cast<double>(r.footprint.start_bytes)) + " -> " +
          format_bytes(static_cast<double>(r.footprint.end_bytes)) + " (peak " +
          format_bytes(static_cast<double>(r.footprint.peak_bytes)) + ")\n";
  text += "footprint slope " + format_signed_bytes(r.growth.bytes_per_min) + "/min, budget " +
          format_bytes(r.run.budget_bytes_per_min) + "/min\n";
  text += "RSS slope " + format_signed_bytes(r.rss.bytes_per_min) + "/min\n";
  text += "calls ok " + std::to_string(r.calls.ok) + ", failed " + std::to_string(r.calls.failed) +
          "\n";
  text += "exercise: " + reports::one_line(reports::exercise_summary(r.exercise)) + "\n";
  for (const auto& w : r.warnings) text += "warning: " + reports::one_line(w) + "\n";
  return text;
}

}  // namespace

void write_junit(const Report& r, std::ostream& out) {
  const RunInfo& run = r.run;
  const bool not_exercised =
      r.verdict == Verdict::inconclusive && r.exercise.required && !r.exercise.exercised;
  const int failures = r.verdict == Verdict::leaking || not_exercised ? 1 : 0;
  const int errors = r.verdict == Verdict::server_failed ? 1 : 0;
  const int skipped = r.verdict == Verdict::inconclusive && !not_exercised ? 1 : 0;
  const std::string tests = std::to_string(run.phases.size() + 1);
  const std::string classname = xml_escape("mcpleak." + run.scenario);
  const std::string time = xml_time(run.elapsed_s);

  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"mcpleak\" tests=\"" << tests << "\" failures=\"" << failures
      << "\" errors=\"" << errors << "\" time=\"" << time << "\">\n";
  out << "  <testsuite name=\"mcpleak\" tests=\"" << tests << "\" failures=\"" << failures
      << "\" errors=\"" << errors << "\" skipped=\"" << skipped << "\" time=\"" << time << "\">\n";
  out << "    <properties>\n";
  property(out, "verdict", verdict_name(r.verdict));
  property(out, "scenario", run.scenario);
  property(out, "server.command", reports::command_line(run.server_command));
  property(out, "metric", run.metric);
  property(out, "platform", run.platform);
  property(out, "budget_bytes_per_min", reports::format_number(run.budget_bytes_per_min));
  out << "    </properties>\n";

  for (const auto& phase : run.phases) {
    out << "    <testcase name=\"" << xml_escape("phase: " + phase.name) << "\" classname=\""
        << classname << "\" time=\"" << xml_time(phase.end_s - phase.start_s) << "\"/>\n";
  }

  out << "    <testcase name=\"footprint budget\" classname=\"" << classname << "\" time=\""
      << time << "\">\n";
  const std::string message = xml_escape(verdict_line(r));
  const std::string body = reports::xml_escape_text(details(r));
  switch (r.verdict) {
    case Verdict::leaking:
      out << "      <failure type=\"leaking\" message=\"" << message << "\">" << body
          << "</failure>\n";
      break;
    case Verdict::server_failed:
      out << "      <error type=\"server-failed\" message=\"" << message << "\">" << body
          << "</error>\n";
      break;
    case Verdict::inconclusive:
      // Not exercised is a failed test, not a skipped one: a gate that passes when nothing
      // was tested is worse than none.
      if (not_exercised) {
        out << "      <failure type=\"not-exercised\" message=\"" << message << "\">" << body
            << "</failure>\n";
      } else {
        out << "      <skipped message=\"" << message << "\">" << body << "</skipped>\n";
      }
      break;
    case Verdict::bounded:
      break;
  }
  if (r.verdict == Verdict::bounded) {
    // A pass has no failure element to carry the numbers; CI shows system-out instead.
    out << "      <system-out>" << body << "</system-out>\n";
  }
  out << "    </testcase>\n";
  out << "  </testsuite>\n";
  out << "</testsuites>\n";
}

}  // namespace mcpleak
