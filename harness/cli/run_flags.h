// The flags shared by `run` and `ab` (scenario, rates, durations, budget, output), and
// their translation into RunOptions with every value checked.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "harness/result.h"
#include "harness/runner/runner.h"

namespace mcpleak::cli {

struct RunFlags {
  std::string scenario;
  std::vector<std::string> vars;        // KEY=VALUE
  std::string tool;
  std::string tool_args = "{}";
  std::optional<double> rate;
  std::string duration;
  std::string min_duration;            // default: scenario's, else 30s
  std::string warmup;
  std::string budget;
  std::string out;
  std::string protocol = "auto";        // auto | a version
  std::string call_timeout = "30s";
  std::string init_timeout = "30s";
  std::string http;                     // Streamable HTTP endpoint URL; empty: stdio
  std::vector<std::string> headers;     // "Name: value", sent on every HTTP request
  std::string from_config;              // a client's config file, or its name
  std::string server;                   // the server of that file
  std::vector<long> attach;             // pids of a running server
  std::vector<std::string> attach_names;  // patterns matched once at start
  std::string max_failed_calls;         // "20%": share of failed calls a bounded verdict tolerates
  std::string max_call_gap;             // "30s": longest stretch without a successful call
  bool json = false;
  bool no_early_stop = false;
  bool quiet = false;
  bool capture_stacks = false;
  std::string attribute = "off";        // auto | python | node | off
  std::uint64_t attribute_every = 50;
  int attribute_checkpoints = 6;
  int attribute_frames = 10;
  std::vector<std::string> resource_budgets;  // NAME=N/call,+N,...
  std::vector<std::string> bounded_classes;   // --bounded-class GLOB
  std::string orphan_grace = "2s";
  bool keep_orphans = false;
};

void add_run_flags(CLI::App& sub, RunFlags& flags);

// Checks and converts the flags. Errc::usage with a message saying what to fix.
Result<RunOptions> build_run_options(const RunFlags& flags, const std::vector<std::string>& server_argv);

// --attribute and its settings; empty for off.
Result<std::optional<AttributionOptions>> build_attribution_options(const RunFlags& flags);

// mcpleak's own command line, recorded in run.json (redacted) so a report can offer the
// next command; main() calls it once.
void remember_invocation(int argc, char** argv);
const std::vector<std::string>& remembered_invocation();

// "mcpleak-out/20261125-114304": the default output folder for a run started now.
std::string default_out_dir();

}  // namespace mcpleak::cli
