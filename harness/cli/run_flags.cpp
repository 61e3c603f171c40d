#include "harness/cli/run_flags.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "harness/attribution/heaptrack_install.h"
#include "harness/cli/from_config.h"
#include "harness/install/own_executable.h"
#include "harness/install/share_dirs.h"
#include "harness/runner/run_dir.h"
#include "harness/runner/units.h"

#ifndef MCPLEAK_SCENARIO_DIR
#define MCPLEAK_SCENARIO_DIR ""
#endif
#ifndef MCPLEAK_BUILD_DIR
#define MCPLEAK_BUILD_DIR ""
#endif

namespace mcpleak::cli {
namespace {

std::vector<std::string>& invocation() {
  static std::vector<std::string> args;
  return args;
}

// Where `--scenario NAME` looks (harness/install/share_dirs.h).
std::vector<std::string> scenario_dirs() {
  return scenario_search_dirs({std::getenv("MCPLEAK_SCENARIOS"), own_executable(), MCPLEAK_BUILD_DIR,
                               MCPLEAK_SCENARIO_DIR});
}

Result<Scenario> load_scenario(const RunFlags& f, const std::map<std::string, std::string>& vars) {
  if (!f.tool.empty()) {
    auto args = nlohmann::json::parse(f.tool_args, nullptr, false);
    if (args.is_discarded() || !args.is_object()) {
      return Error(Errc::usage, "--args must be a JSON object, got: " + f.tool_args);
    }
    return tool_loop_scenario(f.tool, args);
  }
  auto file = find_scenario_file(f.scenario.empty() ? "snapshot-loop" : f.scenario, scenario_dirs());
  if (!file) return file.error();
  std::ifstream in(*file);
  if (!in) return Error(Errc::usage, "cannot read scenario").with(*file);
  std::stringstream text;
  text << in.rdbuf();
  return parse_scenario(text.str(), *file, vars);
}

Result<double> duration_flag(const std::string& name, const std::string& text) {
  auto d = parse_duration_s(text);
  if (!d) return Error(d.error()).with(name);
  return d;
}

}  // namespace

void add_run_flags(CLI::App& sub, RunFlags& f) {
  sub.add_option("--scenario", f.scenario,
                 "scenario name (snapshot-loop, snapshot-finder-safari, idle) or JSON file; "
                 "default snapshot-loop");
  sub.add_option("--var", f.vars, "KEY=VALUE for ${KEY} in the scenario (repeatable)");
  sub.add_option("--tool", f.tool, "loop this one tool instead of a scenario");
  sub.add_option("--args", f.tool_args, "JSON arguments for --tool")->capture_default_str();
  sub.add_option("--rate", f.rate, "calls per second in every call phase (0 = back to back)");
  sub.add_option("--duration", f.duration, "longest run time, e.g. 10m (default: scenario's, else 10m)");
  sub.add_option("--min-duration", f.min_duration, "no early verdict before this (default 30s)");
  sub.add_option("--warmup", f.warmup, "samples ignored at the start (default 5s)");
  sub.add_option("--budget", f.budget, "allowed growth, e.g. 1MB/min, 500KB/min, 10MiB/min (default 1MB/min)");
  sub.add_option("--out", f.out, "run folder (default mcpleak-out/<timestamp>)");
  sub.add_option("--call-timeout", f.call_timeout, "per tool call")->capture_default_str();
  sub.add_option("--init-timeout", f.init_timeout,
                 "for the server to answer initialize (with --http: first to listen, then to answer)")->capture_default_str();
  sub.add_option("--http", f.http,
                 "drive the server over Streamable HTTP at this URL (e.g. http://127.0.0.1:8931/mcp) "
                 "instead of stdio; SERVER_CMD must listen there");
  sub.add_option("--protocol", f.protocol,
                 "MCP version: auto (server/discover of 2026-07-28 first, then the initialize handshake "
                 "offering 2025-11-25), or one of 2026-07-28, 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05")
      ->capture_default_str();
  sub.add_option("--from-config", f.from_config,
                 "start the server a client's config file describes instead of SERVER_CMD: a file "
                 "(claude_desktop_config.json, .mcp.json, .vscode/mcp.json, ...) or a client's name for its "
                 "default file (claude-desktop, claude-code, vscode, cursor, windsurf, zed); with --server; "
                 "variables come from --var and the environment (list: mcpleak servers FILE)");
  sub.add_option("--server", f.server, "the server's name in --from-config");
  sub.add_option("--header", f.headers,
                 "'Name: value' sent on every HTTP request, e.g. 'Authorization: Bearer TOKEN' (repeatable; "
                 "values never reach a report)");
  sub.add_option("--attach", f.attach,
                 "sample this running process and its descendants instead of starting SERVER_CMD "
                 "(repeatable); with --http mcpleak drives it there, without it only samples; never signalled");
  sub.add_option("--attach-name", f.attach_names,
                 "like --attach, for the processes whose name or command line matches this glob, "
                 "resolved once at start (repeatable)");
  sub.add_option("--max-failed-calls", f.max_failed_calls,
                 "a bounded verdict needs at most this share of the judged calls failed (default 5%; "
                 "more, and the run is inconclusive: not exercised)");
  sub.add_option("--max-call-gap", f.max_call_gap,
                 "a bounded verdict needs no longer stretch of a call phase without a successful call "
                 "(default: the longer of 5s and 3 call intervals)");
  sub.add_flag("--json", f.json, "print report.json on stdout");
  sub.add_flag("--no-early-stop", f.no_early_stop, "run the full duration even when the verdict is clear");
  sub.add_flag("--quiet,-q", f.quiet, "no progress lines");
  sub.add_option("--attribute", f.attribute,
                 "after the verdict run, a second, instrumented run that names the code that grows: "
                 "auto (every Python and Node process of the tree), python, node, native (the process mcpleak "
                 "starts, under heaptrack's preload: C, C++, Rust; Linux), macos (MallocStackLogging, heap(1) object "
                 "counts per class, malloc_history and leaks at the end) or off")
      ->capture_default_str();
  sub.add_option("--attribute-every", f.attribute_every, "attribution: scenario calls between checkpoints")
      ->capture_default_str();
  sub.add_option("--attribute-checkpoints", f.attribute_checkpoints,
                 "attribution: checkpoints to take (at least 3; the first when tracing starts)")
      ->capture_default_str();
  sub.add_option("--attribute-frames", f.attribute_frames, "attribution: stack frames kept per allocation")
      ->capture_default_str();
  sub.add_option("--bounded-class", f.bounded_classes,
                 "macOS: a class-name glob (heap(1): 'AX*', 'AXObserver') whose live object count must stay "
                 "bounded; judged like a resource (budget: --resource-budget classes=..., default +8), repeatable");
  sub.add_option("--resource-budget", f.resource_budgets,
                 "NAME=BUDGET for processes, fds, threads or orphans: N/call, N/min, +N (net growth allowed), "
                 "off; comma-separated, repeatable (defaults: 0/call, +1 processes, +4 fds, +2 threads, +0 orphans)");
  sub.add_option("--orphan-grace", f.orphan_grace,
                 "at the end: wait this long after stdin close before SIGTERM, and for the tree to exit after the "
                 "server did; what is left is orphaned")
      ->capture_default_str();
  sub.add_flag("--keep-orphans", f.keep_orphans, "list orphaned processes but leave them running, for inspection");
  sub.add_flag("--capture-stacks", f.capture_stacks,
               "macOS: when leaking, `sample` the largest process for 3 s into stacks.txt");
}

void remember_invocation(int argc, char** argv) { invocation().assign(argv, argv + argc); }

const std::vector<std::string>& remembered_invocation() { return invocation(); }

Result<std::optional<AttributionOptions>> build_attribution_options(const RunFlags& f) {
  auto mode = parse_attribute_mode(f.attribute);
  if (!mode) return mode.error();
  if (*mode == AttributeMode::off) return std::optional<AttributionOptions>();
  if (f.attribute_every < 1) return Error(Errc::usage, "--attribute-every must be at least 1 call");
  if (f.attribute_checkpoints < 3) {
    return Error(Errc::usage, "--attribute-checkpoints must be at least 3: growth needs three points to be steady");
  }
  if (f.attribute_frames < 1 || f.attribute_frames > 100) {
    return Error(Errc::usage, "--attribute-frames must be between 1 and 100");
  }
#ifndef __APPLE__
  if (*mode == AttributeMode::macos) {
    return Error(Errc::usage, "--attribute macos uses heap(1), malloc_history(1) and leaks(1), which run on macOS "
                              "only; on Linux, --attribute native (heaptrack) names native allocation sites");
  }
#endif
  if (*mode == AttributeMode::native) {
    // Checked now, not after the verdict run has taken its minutes.
#ifdef __APPLE__
    return Error(Errc::usage, "--attribute native uses heaptrack, which runs on Linux only");
#else
    if (auto heaptrack = find_heaptrack(); !heaptrack) return heaptrack.error();
#endif
  }
  AttributionOptions a;
  a.mode = *mode;
  a.every_calls = f.attribute_every;
  a.checkpoints = f.attribute_checkpoints;
  a.frames = f.attribute_frames;
  return std::optional<AttributionOptions>(a);
}

std::string default_out_dir() {
  return "mcpleak-out/" + local_time_text("%Y%m%d-%H%M%S") + "-" + std::to_string(::getpid());
}

// "Name: value" -> {"Name", "value"}.
Result<std::pair<std::string, std::string>> parse_header(const std::string& text) {
  const auto colon = text.find(':');
  std::string name = colon == std::string::npos ? "" : text.substr(0, colon);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  const bool token = !name.empty() && name.find_first_of(" \t\r\n") == std::string::npos;
  if (!token) return Error(Errc::usage, "--header expects 'Name: value', got a value without a name");
  std::string value = text.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
  if (value.find_first_of("\r\n") != std::string::npos) {
    return Error(Errc::usage, "--header " + name + ": the value must be one line");
  }
  return std::pair{name, value};
}

Result<RunOptions> build_run_options(const RunFlags& f, const std::vector<std::string>& server_argv) {
  const bool attach = !f.attach.empty() || !f.attach_names.empty();
  const bool from_config = !f.from_config.empty();
  if (from_config != !f.server.empty()) {
    return Error(Errc::usage, from_config ? "--from-config needs --server NAME (list them: mcpleak servers " + f.from_config + ")"
                                          : "--server names a server of --from-config FILE");
  }
  if (from_config && !server_argv.empty()) {
    return Error(Errc::usage, "--from-config says which server to start: give no SERVER_CMD with it");
  }
  if (server_argv.empty() && !attach && !from_config) {
    return Error(Errc::usage,
                 "no server command: put it after --, e.g. mcpleak run -- uvx macos-mcp (or --attach PID to "
                 "measure a server that already runs)");
  }
  if (!server_argv.empty() && attach) {
    return Error(Errc::usage, "--attach measures a server that already runs: give no SERVER_CMD with it");
  }
  if (!f.headers.empty() && f.http.empty() && !from_config) return Error(Errc::usage, "--header needs --http URL");
  if (!f.tool.empty() && !f.scenario.empty()) return Error(Errc::usage, "give --scenario or --tool, not both");
  std::map<std::string, std::string> vars;
  for (const auto& kv : f.vars) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) return Error(Errc::usage, "--var expects KEY=VALUE, got: " + kv);
    vars[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  auto scenario = load_scenario(f, vars);
  if (!scenario) return scenario.error();

  RunOptions o;
  o.scenario = std::move(*scenario);
  o.server_command = server_argv;
  o.out_dir = f.out.empty() ? default_out_dir() : f.out;
  o.rate_override = f.rate;
  if (f.rate && *f.rate < 0) return Error(Errc::usage, "--rate must be >= 0");
  o.early_stop = !f.no_early_stop;
  o.capture_stacks = f.capture_stacks;
  o.invocation = invocation();
  o.progress = ProgressPrinter::detect(f.quiet);

  // A flag given wins; otherwise the scenario's default; otherwise ours.
  struct DurationFlag {
    const char* name;
    const std::string& text;
    std::optional<double> scenario_default;
    double fallback;
    double& target;
  };
  for (const DurationFlag& d : {DurationFlag{"--duration", f.duration, o.scenario.duration_s, 600, o.duration_s},
                                DurationFlag{"--min-duration", f.min_duration, o.scenario.min_duration_s, 30,
                                             o.min_duration_s},
                                DurationFlag{"--warmup", f.warmup, o.scenario.warmup_s, 5, o.warmup_s}}) {
    if (d.text.empty()) {
      d.target = d.scenario_default.value_or(d.fallback);
    } else if (auto v = duration_flag(d.name, d.text)) {
      d.target = *v;
    } else {
      return v.error();
    }
  }
  if (!f.budget.empty()) {
    auto b = parse_budget_bytes_per_min(f.budget);
    if (!b) return Error(b.error()).with("--budget");
    o.budget_bytes_per_min = *b;
  } else {
    o.budget_bytes_per_min = o.scenario.budget_bytes_per_min.value_or(1e6);
  }
  if (!f.http.empty()) {
    auto endpoint = parse_http_url(f.http);
    if (!endpoint) return endpoint.error();
    o.http = std::move(*endpoint);
  }
  for (const auto& text : f.headers) {
    auto header = parse_header(text);
    if (!header) return header.error();
    o.secrets.push_back(header->second);
    o.http_headers.push_back(std::move(*header));
  }
  for (long pid : f.attach) {
    if (pid <= 0 || pid > std::numeric_limits<pid_t>::max()) {
      return Error(Errc::usage, "--attach expects a process id, got " + std::to_string(pid));
    }
    o.attach_pids.push_back(static_cast<pid_t>(pid));
  }
  o.attach_names = f.attach_names;
#ifndef __APPLE__
  if (!f.bounded_classes.empty()) {
    return Error(Errc::usage, "--bounded-class counts objects with macOS's heap(1), which Linux does not have; "
                              "on Linux, --attribute native names the allocation sites that grow");
  }
#endif
  o.bounded_classes = f.bounded_classes;
  for (const auto& text : f.resource_budgets) {
    auto budget = parse_resource_budget(text);
    if (!budget) return budget.error();
    o.resource_budgets[budget->first] = budget->second;
  }
  if (auto grace = duration_flag("--orphan-grace", f.orphan_grace)) {
    o.orphan_grace = std::chrono::milliseconds(static_cast<long long>(*grace * 1000));
  } else {
    return grace.error();
  }
  o.keep_orphans = f.keep_orphans;
  if (from_config) {
    if (auto applied = apply_config_server(f.from_config, f.server, vars, attach, o); !applied) return applied.error();
    if (!o.http_headers.empty() && !o.http) return Error(Errc::usage, "--header needs --http URL");
  }
  if (attach && !o.http && o.scenario.phases.size() > 0 && !f.scenario.empty() && f.scenario != "idle") {
    return Error(Errc::usage, "--attach without --http only samples the server: mcpleak has no way to call "
                              "its tools (drop --scenario, or add --http URL where it serves)");
  }
  if (attach && !o.http && !f.tool.empty()) {
    return Error(Errc::usage, "--attach without --http only samples the server: --tool needs --http URL");
  }
  auto protocol = parse_protocol_choice(f.protocol);
  if (!protocol) return protocol.error();
  o.protocol = *protocol;
  auto call_timeout = duration_flag("--call-timeout", f.call_timeout);
  if (!call_timeout) return call_timeout.error();
  auto init_timeout = duration_flag("--init-timeout", f.init_timeout);
  if (!init_timeout) return init_timeout.error();
  o.call_timeout = std::chrono::milliseconds(static_cast<long>(*call_timeout * 1000));
  o.init_timeout = std::chrono::milliseconds(static_cast<long>(*init_timeout * 1000));
  if (o.call_timeout.count() <= 0 || o.init_timeout.count() <= 0) {
    return Error(Errc::usage, "timeouts must be longer than 0");
  }
  if (!f.max_failed_calls.empty()) {
    auto fraction = parse_fraction(f.max_failed_calls);
    if (!fraction) return Error(fraction.error()).with("--max-failed-calls");
    o.max_failed_fraction = *fraction;
  }
  if (!f.max_call_gap.empty()) {
    auto gap = duration_flag("--max-call-gap", f.max_call_gap);
    if (!gap) return gap.error();
    o.max_call_gap_s = *gap;
  }
  if (o.duration_s <= o.warmup_s) {
    return Error(Errc::usage, "--duration must be longer than the warm-up (" +
                                  std::to_string(static_cast<int>(o.warmup_s)) + " s)");
  }
  return o;
}

}  // namespace mcpleak::cli
