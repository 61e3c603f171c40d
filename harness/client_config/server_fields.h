// One server entry's fields as each client writes them (Zed's "command": {"path"},
// Windsurf's "serverUrl", VS Code's "envFile"), read before any variable is expanded.
// Internal to harness/client_config: client_config.h is the interface.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/client_config/client_config.h"
#include "harness/result.h"

namespace mcpleak::detail {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// "mcpServers", "servers" (VS Code) or "context_servers" (Zed).
const char* servers_key(ConfigFormat format);

struct RawServer {
  std::optional<std::string> type;
  std::optional<std::string> command;
  std::vector<std::string> args;
  Pairs env;                              // sorted by name
  std::optional<std::string> url;
  Pairs headers;                          // sorted by name
  std::optional<std::string> cwd;
  std::optional<std::string> env_file;    // VS Code and Cursor only
  bool disabled = false;                  // "disabled": true, or "enabled": false
};

// Reads `entry`; `jpath` ("$.mcpServers.github") prefixes errors. Numbers and booleans
// where strings belong are taken as written ("PORT": 8080). Errc::usage for other types.
Result<RawServer> read_server_fields(const nlohmann::json& entry, ConfigFormat format, const std::string& jpath);

// The transport, or why there is none: `problem` is empty for a runnable server, else
// a phrase that follows "server 'x' " ("has neither \"command\" nor \"url\" …"), or a
// "$.path: …" message for a bad "type". A URL without "type" is SSE when its path ends
// in /sse, else Streamable HTTP.
struct KindOrProblem {
  ServerKind kind = ServerKind::stdio;
  std::string problem;
};
KindOrProblem server_kind(const RawServer& raw, ConfigFormat format, const std::string& jpath);

}  // namespace mcpleak::detail
