// `mcpleak run`: one scenario against one server; exit code = verdict.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "harness/cli/commands.h"
#include "harness/cli/exit_codes.h"
#include "harness/cli/run_flags.h"
#include "harness/runner/attributed_run.h"
#include "reports/report.h"
#include "reports/where_it_grows_rows.h"

namespace mcpleak::cli {

Command add_run_command(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "run", "run a scenario against a server: mcpleak run [options] -- SERVER_CMD [ARGS...]");
  sub->footer(
      "Examples:\n"
      "  mcpleak run --scenario snapshot-finder-safari -- uvx macos-mcp\n"
      "  mcpleak run --tool Snapshot --args '{\"use_vision\":false}' --rate 5 --duration 2m -- ./server\n"
      "  mcpleak run --http http://127.0.0.1:8931/mcp --scenario sessions -- ./server --port 8931\n"
      "  mcpleak run --tool search --attribute auto -- uv run my-server   (then: where it grows)\n"
      "  mcpleak run --http http://127.0.0.1:8931/mcp --attach 4312 --scenario sessions --var close=abandon\n"
      "  mcpleak run --from-config claude-desktop --server macos-mcp   (list them: mcpleak servers FILE)\n"
      "The run folder gets samples.jsonl, calls.jsonl, server.log, run.json, report.json,\n"
      "summary.md, junit.xml and report.html; `mcpleak report DIR` rewrites the reports.");
  auto flags = std::make_shared<RunFlags>();
  add_run_flags(*sub, *flags);
  return {sub, [flags](const std::vector<std::string>& server_argv) {
            auto options = build_run_options(*flags, server_argv);
            if (!options) return report_error(options.error());
            auto attribution = build_attribution_options(*flags);
            if (!attribution) return report_error(attribution.error());
            auto report = *attribution ? run_with_attribution(*options, **attribution) : run_scenario(*options);
            if (!report) return report_error(report.error());
            if (flags->json) {
              write_json(*report, std::cout);
            } else {
              std::printf("%s\n", verdict_line(*report).c_str());
              if (const auto where = reports::where_it_grows_line(*report); !where.empty()) {
                std::printf("%s\n", where.c_str());
              } else if (const auto next = reports::attribution_next_step(*report); !next.empty()) {
                std::printf("find where it grows: %s\n", next.c_str());
              }
              std::printf("run folder: %s (summary.md, report.html)\n", options->out_dir.c_str());
            }
            return verdict_exit_code(report->verdict);
          }};
}

}  // namespace mcpleak::cli
