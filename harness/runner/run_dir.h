// A run folder on disk: run.json, samples.jsonl, calls.jsonl. Loading it and re-running
// the analysis from the files alone is what `mcpleak report DIR` does, and what `run`
// does at its end, so the two can never disagree.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "harness/model/report.h"
#include "harness/model/sample.h"
#include "harness/result.h"

namespace mcpleak {

struct RunData {
  RunInfo run;
  std::vector<Sample> samples;
  std::vector<CallRecord> calls;
  std::size_t bad_lines = 0;  // unparsable jsonl lines skipped (a torn last line after a kill)
};

// Errc::io when run.json is missing; Errc::parse naming file and line for a bad run.json.
Result<RunData> load_run_dir(const std::string& dir);
Result<void> write_run_info(const std::string& dir, const RunInfo& run);
// Analyses the folder and (re)writes report.json, summary.md, junit.xml, report.html.
Result<Report> analyse_and_write_reports(const std::string& dir);

// The local time now in strftime's `format` ("%Y%m%d-%H%M%S" for folder names).
std::string local_time_text(const char* format);

}  // namespace mcpleak
