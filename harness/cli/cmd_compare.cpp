// `mcpleak compare BASE_DIR CANDIDATE_DIR` and `mcpleak ab`: two runs side by side.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "harness/analysis/analysis.h"
#include "harness/analysis/compare.h"
#include "harness/analysis/format.h"
#include "harness/cli/commands.h"
#include "harness/cli/exit_codes.h"
#include "harness/cli/run_flags.h"
#include "harness/runner/attributed_run.h"
#include "harness/runner/run_dir.h"
#include "reports/report.h"

namespace mcpleak::cli {
namespace {

struct LoadedRun {
  RunData data;
  Report report;
};

Result<LoadedRun> load_and_analyse(const std::string& dir) {
  auto data = load_run_dir(dir);
  if (!data) return data.error();
  Report report = analyse(data->samples, data->calls, data->run);
  return LoadedRun{std::move(*data), std::move(report)};
}

void print_side_by_side(const Report& base, const Report& cand) {
  auto row = [](const char* name, const std::string& a, const std::string& b) {
    std::printf("| %-22s | %-28s | %-28s |\n", name, a.c_str(), b.c_str());
  };
  auto bytes = [](double v) { return analysis::format_bytes(v); };
  row("", "base", "candidate");
  row("verdict", verdict_name(base.verdict), verdict_name(cand.verdict));
  row("footprint growth", analysis::format_rate(base.growth.bytes_per_min),
      analysis::format_rate(cand.growth.bytes_per_min));
  row("95% CI", analysis::format_interval(base.growth.ci95_bytes_per_min.lo, base.growth.ci95_bytes_per_min.hi),
      analysis::format_interval(cand.growth.ci95_bytes_per_min.lo, cand.growth.ci95_bytes_per_min.hi));
  row("per call", base.growth.bytes_per_call ? bytes(*base.growth.bytes_per_call) : "-",
      cand.growth.bytes_per_call ? bytes(*cand.growth.bytes_per_call) : "-");
  row("footprint end", bytes(static_cast<double>(base.footprint.end_bytes)),
      bytes(static_cast<double>(cand.footprint.end_bytes)));
  row("calls ok/failed", std::to_string(base.calls.ok) + "/" + std::to_string(base.calls.failed),
      std::to_string(cand.calls.ok) + "/" + std::to_string(cand.calls.failed));
  auto exercised = [](const Report& r) {
    return std::string(!r.exercise.required ? "n/a (no calls)" : r.exercise.exercised ? "yes" : "NO");
  };
  row("exercised", exercised(base), exercised(cand));
}

// Prints the table, writes compare.html and compare.md into `out_dir`, returns the exit code.
int compare_and_report(const LoadedRun& base, const LoadedRun& cand, const std::string& out_dir) {
  const CompareResult result = compare_reports(base.report, cand.report);
  print_side_by_side(base.report, cand.report);
  std::printf("%s\n", result.line.c_str());
  std::ofstream html(std::filesystem::path(out_dir) / "compare.html");
  write_html_compare({base.report, base.data.samples, base.data.calls, "base"},
                     {cand.report, cand.data.samples, cand.data.calls, "candidate"}, html);
  std::ofstream md(std::filesystem::path(out_dir) / "compare.md");
  md << "**" << result.line << "**\n\n## base\n\n";
  write_markdown_summary(base.report, md);
  md << "\n## candidate\n\n";
  write_markdown_summary(cand.report, md);
  switch (result.outcome) {
    case Comparison::worse: return kExitLeaking;
    case Comparison::server_failed: return kExitServerFailed;
    case Comparison::not_exercised: return kExitInconclusive;
    default: return verdict_exit_code(cand.report.verdict);
  }
}

// Splits a command line given as one string on spaces (no shell quoting rules beyond
// single and double quotes), for --base/--candidate.
std::vector<std::string> split_command(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  char quote = 0;
  bool have = false;
  for (char ch : text) {
    if (quote) {
      if (ch == quote) quote = 0;
      else cur += ch;
    } else if (ch == '\'' || ch == '"') {
      quote = ch;
      have = true;
    } else if (ch == ' ' || ch == '\t') {
      if (have || !cur.empty()) out.push_back(cur);
      cur.clear();
      have = false;
    } else {
      cur += ch;
    }
  }
  if (have || !cur.empty()) out.push_back(cur);
  return out;
}

}  // namespace

Command add_compare_command(CLI::App& app) {
  auto* sub = app.add_subcommand("compare", "compare two finished run folders (exit 1 when the candidate is worse)");
  auto base = std::make_shared<std::string>();
  auto cand = std::make_shared<std::string>();
  sub->add_option("BASE_DIR", *base, "run folder of the base (release / original)")->required();
  sub->add_option("CANDIDATE_DIR", *cand, "run folder of the candidate (fix / release candidate)")->required();
  return {sub, [base, cand](const std::vector<std::string>&) {
            auto b = load_and_analyse(*base);
            if (!b) return report_error(b.error());
            auto c = load_and_analyse(*cand);
            if (!c) return report_error(c.error());
            return compare_and_report(*b, *c, *cand);
          }};
}

Command add_ab_command(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "ab", "run base and candidate servers at the same time with one scenario, then compare");
  sub->footer(
      "Both servers run concurrently, so machine noise (CPU contention, memory pressure) hits\n"
      "both alike. Example:\n"
      "  mcpleak ab --base 'uvx macos-mcp==1.0' --candidate 'uvx macos-mcp==1.1' --duration 10m\n"
      "  mcpleak ab --http http://127.0.0.1:8931/mcp --base-attach 4312 \\\n"
      "             --candidate-http http://127.0.0.1:8932/mcp --candidate-attach 4377\n"
      "--protocol applies to both sides.");
  auto flags = std::make_shared<RunFlags>();
  auto base_cmd = std::make_shared<std::string>();
  auto cand_cmd = std::make_shared<std::string>();
  auto base_attach = std::make_shared<std::vector<long>>();
  auto cand_attach = std::make_shared<std::vector<long>>();
  sub->add_option("--base", *base_cmd, "base server command line (quoted)");
  sub->add_option("--candidate", *cand_cmd, "candidate server command line (quoted)");
  sub->add_option("--base-attach", *base_attach,
                  "instead of --base: pid of a running base server (repeatable; with --http, driven there)");
  sub->add_option("--candidate-attach", *cand_attach,
                  "instead of --candidate: pid of a running candidate server (repeatable; with --candidate-http)");
  auto cand_http = std::make_shared<std::string>();
  sub->add_option("--candidate-http", *cand_http,
                  "with --http (the base's URL): the candidate's URL, on its own port");
  add_run_flags(*sub, *flags);
  return {sub, [flags, base_cmd, cand_cmd, cand_http, base_attach, cand_attach](const std::vector<std::string>&) {
            const std::string root = flags->out.empty() ? default_out_dir() : flags->out;
            auto make = [&](const std::string& cmd, const std::vector<long>& attach,
                            const char* label) -> Result<RunOptions> {
              const std::string side = label;
              if (cmd.empty() == attach.empty()) {
                return Error(Errc::usage, "give --" + side + " COMMAND or --" + side + "-attach PID, one of them");
              }
              if (!flags->attach.empty() || !flags->attach_names.empty() || !flags->from_config.empty()) {
                return Error(Errc::usage, "ab takes --base/--candidate or --base-attach/--candidate-attach, "
                                          "not --attach, --attach-name or --from-config");
              }
              RunFlags side_flags = *flags;
              side_flags.attach = attach;
              auto o = build_run_options(side_flags, cmd.empty() ? std::vector<std::string>{} : split_command(cmd));
              if (!o) return Error(o.error()).with(std::string("--") + label);
              if (std::string(label) == "candidate" && (!flags->http.empty() || !cand_http->empty())) {
                if (flags->http.empty() || cand_http->empty()) {
                  return Error(Errc::usage, "over HTTP both servers need their own port: give --http BASE_URL "
                                            "and --candidate-http CANDIDATE_URL");
                }
                auto endpoint = parse_http_url(*cand_http);
                if (!endpoint) return Error(endpoint.error());
                if (endpoint->origin() == o->http->origin()) {
                  return Error(Errc::usage, "--http and --candidate-http name the same port; the servers run "
                                            "at the same time and need one each");
                }
                o->http = std::move(*endpoint);
              }
              o->out_dir = (std::filesystem::path(root) / label).string();
              o->label = label;
              return o;
            };
            auto base_opts = make(*base_cmd, *base_attach, "base");
            if (!base_opts) return report_error(base_opts.error());
            auto cand_opts = make(*cand_cmd, *cand_attach, "candidate");
            if (!cand_opts) return report_error(cand_opts.error());
            auto attribution = build_attribution_options(*flags);
            if (!attribution) return report_error(attribution.error());
            // With --attribute each side gets its own attribution run after its verdict run.
            auto run_side = [&](const RunOptions& o) {
              return *attribution ? run_with_attribution(o, **attribution) : run_scenario(o);
            };
            std::optional<Result<Report>> base_result;
            std::thread base_thread([&] { base_result.emplace(run_side(*base_opts)); });
            Result<Report> cand_result = run_side(*cand_opts);
            base_thread.join();
            if (!*base_result) return report_error(base_result->error());
            if (!cand_result) return report_error(cand_result.error());
            auto b = load_and_analyse(base_opts->out_dir);
            auto c = load_and_analyse(cand_opts->out_dir);
            if (!b) return report_error(b.error());
            if (!c) return report_error(c.error());
            // With --protocol auto the two sides agree on a version each; a comparison of
            // different code paths is worth a warning.
            if (b->report.run.protocol_version != c->report.run.protocol_version) {
              std::fprintf(stderr,
                           "mcpleak: warning: base spoke MCP %s, candidate %s: pin one with --protocol for a "
                           "like-for-like comparison\n",
                           b->report.run.protocol_version.c_str(), c->report.run.protocol_version.c_str());
            }
            const int rc = compare_and_report(*b, *c, root);
            std::printf("run folders: %s/base, %s/candidate; comparison: %s/compare.html\n", root.c_str(),
                        root.c_str(), root.c_str());
            return rc;
          }};
}

}  // namespace mcpleak::cli
