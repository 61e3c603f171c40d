// MCP servers as real clients configure them (Claude Desktop, Claude Code, VS Code, Cursor,
// Windsurf, Zed), read so that `mcpleak run --from-config FILE --server NAME` starts the
// same server the client would. Pure: text in, server entries out; config_io.h reads files.
//
//   auto config = parse_client_config(text, ".vscode/mcp.json");
//   auto names = list_servers(*config);                       // for `mcpleak servers FILE`
//   auto github = resolve_server(*config, "github", ctx);    // argv, env, url, secrets
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/client_config/config_vars.h"
#include "harness/result.h"

namespace mcpleak {

// Which client's file this is; it decides where the servers are and which ${...} forms
// are expanded (none in Claude Desktop and Zed, which pass values on as written).
enum class ConfigFormat { claude_desktop, claude_code, vscode, cursor, windsurf, zed };

// "claude-desktop", "claude-code", "vscode", "cursor", "windsurf", "zed".
const char* config_format_name(ConfigFormat format);
// The reverse of config_format_name; empty for any other text.
std::optional<ConfigFormat> parse_config_format(std::string_view name);

enum class ServerKind { stdio, http, sse };
const char* server_kind_name(ServerKind kind);   // "stdio", "http", "sse"

struct ClientConfig {
  nlohmann::json doc;
  std::string path;        // as given; names the file in errors, gives the default workspace folder
  ConfigFormat format = ConfigFormat::claude_desktop;
};

// One server as `mcpleak servers` lists it: variables not expanded. `args` are as written
// and may hold credentials: pass argv through redact_command before printing.
struct ServerSummary {
  std::string name;
  ServerKind kind = ServerKind::stdio;
  std::vector<std::string> argv;   // stdio: command, then args
  std::string url;                 // http, sse
  bool disabled = false;           // "disabled": true, or Zed's "enabled": false
  std::string problem;             // why resolve_server would refuse it; empty when it would not
};

// One server ready to start or connect to, every variable expanded.
struct ServerEntry {
  std::string name;
  ServerKind kind = ServerKind::stdio;
  std::vector<std::string> argv;                              // stdio: command, then args
  std::map<std::string, std::string> env;                     // stdio: added to mcpleak's environment
  std::string url;                                            // http, sse
  std::vector<std::pair<std::string, std::string>> headers;   // http, sse; sorted by name
  std::string cwd;                                            // empty: mcpleak's own
  // Every non-empty value that came from "env", "envFile" or "headers", the credential of
  // "Bearer X" / "Basic X" headers, the values of variables expanded inside those, and
  // the values of password inputs: what a report must redact. Sorted, no duplicates.
  std::vector<std::string> secrets;
  ConfigFormat format = ConfigFormat::claude_desktop;
};

// Which client wrote `doc`. The file name decides when it is a client's usual name
// (claude_desktop_config.json, .mcp.json, .claude.json, .vscode/mcp.json, .cursor/mcp.json,
// mcp_config.json, zed/settings.json) and the document has that client's key; otherwise
// the shape does: "context_servers" is Zed, "servers" VS Code, and "mcpServers" is
// Windsurf with a "serverUrl", Cursor with ${env:…}, ${userHome} or ${workspaceFolder…},
// Claude Code with "type" or ${VAR}, Cursor with a "url", else Claude Desktop (the four
// read such a plain file alike).
// Errc::usage when no key is there, or several are and the name does not settle it.
Result<ConfigFormat> detect_config_format(const nlohmann::json& doc, std::string_view path);

// Parses a config file's text (comments and trailing commas allowed, as Zed and VS Code
// allow them) and detects its format unless `format` is given. Errors name `path`.
Result<ClientConfig> parse_client_config(std::string_view text, std::string path,
                                         std::optional<ConfigFormat> format = {});

// Every server, sorted by name, runnable or not (see ServerSummary::problem). Errc::usage when
// the servers key is not an object.
Result<std::vector<ServerSummary>> list_servers(const ClientConfig& config);

// The server called `name` with its variables expanded from `ctx`. Errc::usage, with the
// config path as context, for: a name the file does not define (the message lists the
// names it does), a variable without a value (the message says which --var to pass), a
// server with neither "command" nor "url", a field of the wrong type (the message gives
// its JSON path), an envFile with no reader or a bad line; a reader's own error (Errc::io)
// for an unreadable envFile. A relative envFile as written is the workspace folder's.
// Messages never contain values.
Result<ServerEntry> resolve_server(const ClientConfig& config, std::string_view name, const VarContext& ctx);

}  // namespace mcpleak
