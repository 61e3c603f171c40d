// Scenarios: named phases of tool calls (or idleness) that the runner replays.
// Loading is pure: text and variables in, a validated Scenario or an Errc::usage error
// that names the file, the JSON path and what was expected.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/mcp/protocol.h"
#include "harness/result.h"

namespace mcpleak {

struct Step {
  std::string tool;
  nlohmann::json args = nlohmann::json::object();  // variables already substituted
  // A recorded session's pace ("pace": "recorded"): seconds after the previous call was
  // sent (for the first step: after the phase began) that the recorded client sent this one.
  std::optional<double> after_s;
};

// How a session ends in a phase that opens sessions: DELETE with its Mcp-Session-Id, or
// abandoned (never closed, just no longer used: what many real clients do).
enum class SessionClose { del, abandon };
const char* session_close_name(SessionClose close);  // "delete" | "abandon"

struct Phase {
  std::string name;
  bool idle = false;                    // no calls: measures time-driven growth / retention
  std::vector<Step> steps;              // cycled in order
  std::optional<double> rate_per_s;     // calls per second; 0 = back to back
  std::optional<double> duration_s;     // fixed length
  std::optional<std::uint64_t> calls;   // or a fixed number of calls
  std::optional<double> share;          // or this share of the run's --duration
  // Non-empty: the phase opens a session, makes calls_per_session[i] calls in session i
  // (cycling through the list), closes it, and so on (Streamable HTTP only). Sessions of
  // unequal length keep calls and sessions from rising in lockstep, so that growth per
  // session can be told from growth per call.
  std::vector<std::uint64_t> calls_per_session;
  // "close": delete | abandon | mixed. mixed is split at load into two phases of half the
  // length each, "NAME (delete)" then "NAME (abandon)", so that each has its own growth.
  SessionClose close = SessionClose::del;
  // "clients": this many concurrent clients, each with its own connection and session,
  // make the phase's calls (Streamable HTTP only for more than one).
  int clients = 1;
  // "pace": "recorded": each step waits its own after_s (a session `mcpleak watch`
  // recorded), unless --rate gives one rate for all.
  bool recorded_pace = false;
};

struct DiagnosticsSpec {
  std::string tool;                     // e.g. "Diagnostics"; its text result is JSON counters
  double every_s = 5;
};

// The reconnect scenario (stdio): the way a desktop client restarts a server. Each cycle
// starts the server, initializes, makes `calls_per_cycle` calls of `tool` (tools/list when
// empty), and disconnects as clients do; what survives each disconnect is counted.
struct ReconnectSpec {
  std::uint64_t cycles = 8;
  std::uint64_t calls_per_cycle = 3;
  std::string tool;                                  // empty: tools/list
  nlohmann::json args = nlohmann::json::object();
  double grace_s = 2;                                // after stdin close, after SIGTERM, for the tree
};

struct Scenario {
  std::string name;
  std::string description;
  std::string source;                   // file path, or "--tool NAME"
  std::vector<Phase> phases;
  std::optional<DiagnosticsSpec> diagnostics;
  std::optional<ReconnectSpec> reconnect;  // set: no phases; cycles of start, calls, disconnect
  // Class-name globs whose live objects must stay bounded ("bounded_classes": ["AX*"]).
  std::vector<std::string> bounded_classes;
  // "client": the identity a recorded session's client presented (protocol version,
  // capabilities, clientInfo); the replay presents it too. Empty: mcpleak's own.
  std::optional<ClientIdentity> client;
  // Defaults the command line may override.
  std::optional<double> duration_s;
  std::optional<double> budget_bytes_per_min;
  std::optional<double> min_duration_s;
  std::optional<double> warmup_s;
  std::optional<double> rate_per_s;

  // Whether any phase opens and closes sessions (needs a transport that has them).
  bool uses_sessions() const;
  // The most concurrent clients of any phase (more than one needs Streamable HTTP).
  int max_clients() const;
};

// Parses a scenario file's text. `vars` (from --var) override the file's "vars".
// `source` names the file in error messages.
Result<Scenario> parse_scenario(std::string_view text, const std::string& source,
                                const std::map<std::string, std::string>& vars);

// The scenario behind `--tool NAME --args JSON`: that call looped, then a short idle
// tail that shows whether memory is retained.
Scenario tool_loop_scenario(const std::string& tool, const nlohmann::json& args);

// A scenario name ("snapshot-loop") or path ("./my.json") to a file path: a path that
// exists is used as is; a name is looked up as NAME.json in each of `dirs` in order.
// Errc::usage listing where it looked.
Result<std::string> find_scenario_file(const std::string& name_or_path,
                                       const std::vector<std::string>& dirs);

// Each phase's planned length in seconds for a run of `total_s`: fixed durations as
// given, shares of the total, and phases with neither split what remains equally.
// Call-count phases get no planned length (empty).
std::vector<std::optional<double>> plan_phase_lengths(const Scenario& s, double total_s);

}  // namespace mcpleak
