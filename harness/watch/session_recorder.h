// A watched session as a scenario `mcpleak run --scenario FILE` replays: the client's
// tools/calls in order, each with the wait after the previous one (its recorded pace),
// the client's identity, then a short idle phase that shows what the server retains.
// Argument values under keys that match a --redact pattern become ${variables}, so the
// file can be shared and the values supplied at replay (--var KEY=VALUE). Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/mcp/protocol.h"
#include "harness/watch/session_tap.h"

namespace mcpleak {

struct RecordingInfo {
  std::string name;                       // the scenario's name ("recorded-20261203-171500")
  std::string server;                     // the server's command (redacted) or name, for the description
  std::string recorded_at;                // ISO 8601, local
  std::optional<ClientIdentity> client;   // what the client presented
  std::vector<std::string> redact;        // key globs ("*path*", "token")
};

// The scenario document. With no tool call at all, a single idle phase (a replay then
// measures an idle server, and says so in its description).
nlohmann::json recorded_scenario(const std::vector<ObservedToolCall>& calls, const RecordingInfo& info);

// `args` with the value of every member whose key matches one of `patterns` (shell globs,
// any case, at any depth) replaced by "${NAME}"; `vars` gets NAME -> "REDACTED", NAME being
// the key made unique (path, path_2, ...).
nlohmann::json redact_arguments(const nlohmann::json& args, const std::vector<std::string>& patterns,
                                nlohmann::json& vars);

}  // namespace mcpleak
