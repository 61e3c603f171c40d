// `mcpleak report DIR`: re-analyse a run folder from its jsonl files; rewrite reports.
#include <cstdio>
#include <iostream>

#include "harness/cli/commands.h"
#include "harness/cli/exit_codes.h"
#include "harness/runner/run_dir.h"
#include "reports/report.h"

namespace mcpleak::cli {

Command add_report_command(CLI::App& app) {
  auto* sub = app.add_subcommand("report", "re-analyse a run folder and rewrite its reports");
  auto dir = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  sub->add_option("DIR", *dir, "a run folder written by mcpleak run")->required();
  sub->add_flag("--json", *json, "print report.json on stdout");
  return {sub, [dir, json](const std::vector<std::string>&) {
            auto report = analyse_and_write_reports(*dir);
            if (!report) return report_error(report.error());
            if (*json) write_json(*report, std::cout);
            else std::printf("%s\n", verdict_line(*report).c_str());
            return verdict_exit_code(report->verdict);
          }};
}

}  // namespace mcpleak::cli
