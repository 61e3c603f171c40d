// `mcpleak watch`: stands in for a server's command in a client's config, passes the
// session through unchanged, and measures it (harness/watch/watch_session.h).
#include <cstdio>

#include "harness/cli/commands.h"
#include "harness/cli/exit_codes.h"
#include "harness/cli/run_flags.h"
#include "harness/runner/redact.h"
#include "harness/runner/units.h"
#include "harness/watch/watch_folder.h"
#include "harness/watch/watch_session.h"

namespace mcpleak::cli {
namespace {

struct WatchFlags {
  std::string out;
  std::string max_footprint;
  std::string max_growth;
  std::string action = "warn";
  std::string record;
  std::vector<std::string> redact;
  std::string sample_every = "1s";
  std::string report_every = "60s";
  std::string budget = "1MB/min";
  std::string max_failed_calls = "5%";
  std::string orphan_grace = "2s";
  bool quiet = false;
};

Result<WatchOptions> build_watch_options(const WatchFlags& f, const std::vector<std::string>& server_argv) {
  WatchOptions o;
  if (server_argv.empty()) {
    return Error(Errc::usage, "no server command: mcpleak watch [options] -- SERVER_CMD [ARGS...] "
                              "(the command your client's config runs)");
  }
  o.server_command = server_argv;
  o.out_dir = f.out.empty() ? watch_base_dir() + "/" + watch_folder_name(server_argv) : f.out;
  auto seconds = [](const std::string& text, const char* flag, double min_s) -> Result<double> {
    auto s = parse_duration_s(text);
    if (!s) return Error(Errc::usage, std::string(flag) + ": " + s.error().message);
    if (*s < min_s) return Error(Errc::usage, std::string(flag) + " must be at least " + std::to_string(min_s) + " s");
    return *s;
  };
  auto period = seconds(f.sample_every, "--sample-every", 0.05);
  if (!period) return period.error();
  o.sample_period = std::chrono::milliseconds(static_cast<long long>(*period * 1000));
  auto report = seconds(f.report_every, "--report-every", 1);
  if (!report) return report.error();
  o.report_every_s = *report;
  auto grace = seconds(f.orphan_grace, "--orphan-grace", 0);
  if (!grace) return grace.error();
  o.disconnect_grace = std::chrono::milliseconds(static_cast<long long>(*grace * 1000));
  auto budget = parse_budget_bytes_per_min(f.budget);
  if (!budget) return Error(Errc::usage, "--budget: " + budget.error().message);
  o.budget_bytes_per_min = *budget;
  auto failed = parse_fraction(f.max_failed_calls);
  if (!failed) return Error(Errc::usage, "--max-failed-calls: " + failed.error().message);
  o.max_failed_fraction = *failed;
  if (!f.max_footprint.empty()) {
    auto bytes = parse_size_bytes(f.max_footprint);
    if (!bytes || *bytes <= 0) return Error(Errc::usage, "--max-footprint: '" + f.max_footprint + "' is not a size (try 400MB, 1.5GiB)");
    o.limits.max_footprint_bytes = static_cast<std::uint64_t>(*bytes);
  }
  if (!f.max_growth.empty()) {
    auto rate = parse_budget_bytes_per_min(f.max_growth);
    if (!rate || *rate <= 0) return Error(Errc::usage, "--max-growth: '" + f.max_growth + "' is not a rate (try 50MB/h, 1MB/min)");
    o.limits.max_growth_bytes_per_min = *rate;
    o.budget_bytes_per_min = *rate;  // the session's verdict is judged against the same rate
  }
  if (f.action == "kill") {
    o.limits.action = WatchAction::kill;
  } else if (f.action != "warn") {
    return Error(Errc::usage, "--action " + f.action + ": expected warn or kill (restart-on-idle is not offered: "
                                                     "see mcpleak watch --help)");
  }
  if (o.limits.action == WatchAction::kill && !o.limits.max_footprint_bytes && !o.limits.max_growth_bytes_per_min) {
    return Error(Errc::usage, "--action kill needs a limit: --max-footprint SIZE or --max-growth RATE");
  }
  o.record_path = f.record;
  o.redact = f.redact;
  if (!o.redact.empty() && o.record_path.empty()) {
    return Error(Errc::usage, "--redact applies to a recording: add --record FILE");
  }
  o.quiet = f.quiet;
  o.invocation = redact_command(remembered_invocation());
  return o;
}

}  // namespace

Command add_watch_command(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "watch", "stand in for a server in a client's config: pass its session through unchanged and measure it");
  sub->description(
      "mcpleak watch [options] -- SERVER_CMD [ARGS...]\n"
      "Starts SERVER_CMD exactly as the client would and passes stdin/stdout through byte for byte\n"
      "(and the server's stderr to mcpleak's). Meanwhile it samples the server's process tree, logs\n"
      "each request in calls.jsonl (method, tool, latency, sizes, ok/error; no arguments or results),\n"
      "and rewrites report.json, summary.md and report.html every --report-every and at the end.\n"
      "Nothing is written to stdout but the server's own bytes; mcpleak's status lines go to stderr.");
  sub->footer(
      "Client config (Claude Desktop's claude_desktop_config.json, Claude Code's .mcp.json):\n"
      "  \"command\": \"mcpleak\", \"args\": [\"watch\", \"--max-footprint\", \"400MB\", \"--action\", \"kill\",\n"
      "                                 \"--\", \"uvx\", \"macos-mcp\"]\n"
      "Examples:\n"
      "  mcpleak watch -- uvx macos-mcp\n"
      "  mcpleak watch --max-footprint 400MB --action kill -- npx -y @modelcontextprotocol/server-everything\n"
      "  mcpleak watch --record session.json --redact '*token*' --redact path -- ./server\n"
      "  mcpleak run --scenario session.json -- ./server        (replay the recorded calls)\n"
      "Run folders: --out, else $XDG_STATE_HOME/mcpleak/watch (~/.local/state/...) on Linux,\n"
      "~/Library/Logs/mcpleak/watch on macOS; one per server start.\n"
      "--action kill captures evidence (evidence-N/ in the run folder), then SIGTERMs the server; the\n"
      "client sees its transport close. There is no restart-on-idle: a restarted server would lose the\n"
      "session's state (subscriptions, log level, roots, in-flight requests) without the client knowing.\n"
      "Exit code: 1 when the watchdog killed the server, else the session's verdict (0 bounded, 1 leaking,\n"
      "3 server failed, 4 inconclusive); 2 for a usage error.");
  auto flags = std::make_shared<WatchFlags>();
  sub->add_option("--out", flags->out, "run folder (default: one per server start in the state folder)");
  sub->add_option("--max-footprint", flags->max_footprint, "limit on the tree's footprint, e.g. 400MB");
  sub->add_option("--max-growth", flags->max_growth,
                  "limit on growth, e.g. 50MB/h: acts when the sequential test says leaking against it "
                  "(also the session's budget)");
  sub->add_option("--action", flags->action, "what a crossed limit does: warn (log, report) or kill (SIGTERM)")
      ->default_str("warn");
  sub->add_option("--record", flags->record,
                  "write the session's tool calls as a scenario FILE (mcpleak run --scenario FILE replays it)");
  sub->add_option("--redact", flags->redact,
                  "with --record: replace argument values whose key matches this glob by a ${variable} "
                  "(repeatable; any case)");
  sub->add_option("--sample-every", flags->sample_every, "sampling period")->default_str("1s");
  sub->add_option("--report-every", flags->report_every, "how often the reports are rewritten")->default_str("60s");
  sub->add_option("--budget", flags->budget, "growth a bounded verdict allows")->default_str("1MB/min");
  sub->add_option("--max-failed-calls", flags->max_failed_calls,
                  "share of failed calls a bounded verdict tolerates")->default_str("5%");
  sub->add_option("--orphan-grace", flags->orphan_grace,
                  "after stdin closes: wait this long for the server, then SIGTERM, then SIGKILL")->default_str("2s");
  sub->add_flag("--quiet", flags->quiet, "no status lines on stderr");
  return {sub, [flags](const std::vector<std::string>& server_argv) {
            auto options = build_watch_options(*flags, server_argv);
            if (!options) return report_error(options.error());
            auto outcome = watch_session(*options);
            if (!outcome) return report_error(outcome.error());
            if (outcome->killed) return kExitLeaking;
            return verdict_exit_code(outcome->report.verdict);
          }};
}

}  // namespace mcpleak::cli
