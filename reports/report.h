// The report writers: one function per output format, each formatting a finished
// Report (filled by harness/analysis) onto a stream. Writers format; they never compute
// statistics, open files or read clocks. Byte units: binary (KiB/MiB/GiB), see units.h.
//
//   std::ofstream json(dir / "report.json");  write_json(report, json);
//   std::ofstream md(dir / "summary.md");     write_markdown_summary(report, md);
#pragma once

#include <ostream>
#include <span>
#include <string>

#include "harness/model/report.h"
#include "harness/model/sample.h"

namespace mcpleak {

// The line a person reads first, plain text (no markup), e.g.
// "LEAKING: +11.8 MiB/min (95% CI 10.9–12.6), 212 KiB/call, retained 140 MiB after idle".
// server-failed: "SERVER FAILED: " + run.server_failure (or the reason when unset).
std::string verdict_line(const Report& report);

// report.json, schema "mcpleak.report/1" (field names in DESIGN.md; never renamed).
// Absent optionals are null. Invalid UTF-8 from the server is replaced, never thrown.
void write_json(const Report& report, std::ostream& out);

// summary.md, GitHub-flavoured Markdown fit for $GITHUB_STEP_SUMMARY: verdict line,
// reason, numbers table, warnings, diagnostics and region tables when there are any.
void write_markdown_summary(const Report& report, std::ostream& out);

// junit.xml: <testsuites><testsuite name="mcpleak">, one passing testcase per scenario
// phase and one "footprint budget" testcase that holds <failure> when leaking, <error>
// when the server failed and <skipped> when inconclusive.
void write_junit(const Report& report, std::ostream& out);

// report.html: one self-contained page (no network, no scripts, fonts or images) with an
// inline SVG chart of footprint, RSS, per-process footprint, the fitted slope and its 95%
// band, phase boundaries and call rate, followed by the summary tables. Every line is
// downsampled to at most 2000 points, so the page stays small for long runs.
void write_html(const Report& report, std::span<const Sample> samples,
                std::span<const CallRecord> calls, std::ostream& out);

// One run as drawn in a comparison.
struct HtmlRun {
  const Report& report;
  std::span<const Sample> samples;
  std::span<const CallRecord> calls;
  std::string label;  // "base", "candidate", a directory name...
};

// Two runs on one chart (`mcpleak compare`, `mcpleak ab`): both footprints and RSS on a
// shared time axis, both fitted slopes, and the numbers side by side.
void write_html_compare(const HtmlRun& base, const HtmlRun& candidate, std::ostream& out);

}  // namespace mcpleak
