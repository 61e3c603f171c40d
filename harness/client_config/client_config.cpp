#include "harness/client_config/client_config.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <functional>

#include "harness/client_config/config_locations.h"
#include "harness/client_config/dotenv.h"
#include "harness/client_config/jsonc.h"
#include "harness/client_config/server_fields.h"

namespace mcpleak {
namespace {

using nlohmann::json;
using detail::KindOrProblem;
using detail::servers_key;

constexpr std::array<std::pair<ConfigFormat, const char*>, 6> kFormatNames{{
    {ConfigFormat::claude_desktop, "claude-desktop"},
    {ConfigFormat::claude_code, "claude-code"},
    {ConfigFormat::vscode, "vscode"},
    {ConfigFormat::cursor, "cursor"},
    {ConfigFormat::windsurf, "windsurf"},
    {ConfigFormat::zed, "zed"},
}};

// What each client documents:
// Claude Code  https://code.claude.com/docs/en/mcp ("Environment variable expansion in .mcp.json")
// VS Code      https://code.visualstudio.com/docs/copilot/reference/mcp-configuration (inputs, predefined variables)
// Cursor       https://cursor.com/docs/mcp ("Config interpolation")
// Windsurf     https://docs.windsurf.com/windsurf/cascade/mcp ("Config Interpolation")
// Claude Desktop (https://modelcontextprotocol.io/quickstart/user) and Zed (https://zed.dev/docs/ai/mcp)
// document none.
VarSyntax syntax_for(ConfigFormat format) {
  VarSyntax s;
  s.shell = format == ConfigFormat::claude_code;
  s.env = format == ConfigFormat::vscode || format == ConfigFormat::cursor || format == ConfigFormat::windsurf;
  s.input = format == ConfigFormat::vscode;
  s.editor = format == ConfigFormat::vscode || format == ConfigFormat::cursor;
  return s;
}

bool any_string(const json& v, const std::function<bool(const std::string&)>& pred) {
  if (v.is_string()) return pred(v.get_ref<const std::string&>());
  if (v.is_structured()) {
    for (const auto& child : v) {
      if (any_string(child, pred)) return true;
    }
  }
  return false;
}

// "${NAME}" or "${NAME:-...": Claude Code's forms.
bool has_shell_var(const std::string& s) {
  for (auto open = s.find("${"); open != std::string::npos; open = s.find("${", open + 2)) {
    std::size_t i = open + 2;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
    if (i > open + 2 && i < s.size() && (s[i] == '}' || s.compare(i, 2, ":-") == 0)) return true;
  }
  return false;
}

// Claude Desktop, Claude Code, Cursor and Windsurf all use "mcpServers"; what sets them
// apart is what only one of them understands.
ConfigFormat guess_mcp_servers_client(const json& servers) {
  auto any_entry_has = [&](const char* key) {
    return servers.is_object() && std::any_of(servers.begin(), servers.end(),
                                              [&](const json& e) { return e.is_object() && e.contains(key); });
  };
  if (any_entry_has("serverUrl")) return ConfigFormat::windsurf;
  if (any_string(servers, [](const std::string& s) {
        return s.find("${env:") != std::string::npos || s.find("${userHome}") != std::string::npos ||
               s.find("${workspaceFolder") != std::string::npos;
      })) {
    return ConfigFormat::cursor;
  }
  if (any_entry_has("type") || any_string(servers, has_shell_var)) return ConfigFormat::claude_code;
  if (any_entry_has("url")) return ConfigFormat::cursor;
  return ConfigFormat::claude_desktop;
}

std::string json_path(ConfigFormat format, const std::string& name) {
  return std::string("$.") + servers_key(format) + "." + name;
}

Error bad_field(const std::string& jpath, const std::string& what) { return Error(Errc::usage, jpath + ": " + what); }

Result<std::vector<InputSpec>> read_inputs(const json& doc) {
  std::vector<InputSpec> inputs;
  const auto it = doc.find("inputs");
  if (it == doc.end() || it->is_null()) return inputs;
  if (!it->is_array()) return bad_field("$.inputs", "expected an array of {\"id\", \"description\", \"password\"}");
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& in = (*it)[i];
    const std::string p = "$.inputs[" + std::to_string(i) + "]";
    if (!in.is_object() || !in.contains("id") || !in["id"].is_string()) {
      return bad_field(p, "expected an object with a string \"id\"");
    }
    InputSpec spec;
    spec.id = in["id"].get<std::string>();
    if (in.contains("description") && in["description"].is_string()) spec.description = in["description"];
    spec.password = in.contains("password") && in["password"].is_boolean() && in["password"].get<bool>();
    inputs.push_back(std::move(spec));
  }
  return inputs;
}

// "Bearer abc" -> "abc": reports may show the token alone.
std::optional<std::string> header_credential(const std::string& value) {
  const auto space = value.find(' ');
  if (space == std::string::npos) return std::nullopt;
  std::string scheme = value.substr(0, space);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  if (scheme != "bearer" && scheme != "basic" && scheme != "token") return std::nullopt;
  const auto start = value.find_first_not_of(' ', space);
  if (start == std::string::npos) return std::nullopt;
  return value.substr(start);
}

}  // namespace

const char* config_format_name(ConfigFormat format) {
  for (const auto& [f, name] : kFormatNames) {
    if (f == format) return name;
  }
  return "unknown";
}

std::optional<ConfigFormat> parse_config_format(std::string_view name) {
  for (const auto& [f, n] : kFormatNames) {
    if (name == n) return f;
  }
  return std::nullopt;
}

const char* server_kind_name(ServerKind kind) {
  switch (kind) {
    case ServerKind::stdio: return "stdio";
    case ServerKind::http: return "http";
    case ServerKind::sse: return "sse";
  }
  return "stdio";
}

Result<ConfigFormat> detect_config_format(const json& doc, std::string_view path) {
  if (!doc.is_object()) return Error(Errc::usage, "expected a JSON object at the top level");
  if (const auto hint = format_from_path(path); hint && doc.contains(servers_key(*hint))) return *hint;
  std::vector<std::string> keys;
  for (const char* key : {"mcpServers", "servers", "context_servers"}) {
    if (doc.contains(key)) keys.push_back(std::string("\"") + key + "\"");
  }
  if (keys.empty()) {
    return Error(Errc::usage,
                 "no MCP servers here: expected \"mcpServers\" (Claude Desktop, Claude Code, Cursor, Windsurf), "
                 "\"servers\" (VS Code) or \"context_servers\" (Zed) at the top level");
  }
  if (keys.size() > 1) {
    std::string both = keys[0];
    for (std::size_t i = 1; i < keys.size(); ++i) both += " and " + keys[i];
    return Error(Errc::usage, "cannot tell which client this file is for: it has " + both +
                                  "; give it the client's own file name (claude_desktop_config.json, .mcp.json, "
                                  ".vscode/mcp.json, .cursor/mcp.json, mcp_config.json, zed/settings.json)");
  }
  if (doc.contains("context_servers")) return ConfigFormat::zed;
  if (doc.contains("servers")) return ConfigFormat::vscode;
  return guess_mcp_servers_client(doc["mcpServers"]);
}

Result<ClientConfig> parse_client_config(std::string_view text, std::string path, std::optional<ConfigFormat> format) {
  auto doc = parse_jsonc(text);
  if (!doc) return Error(doc.error()).with(path);
  if (!format) {
    auto detected = detect_config_format(*doc, path);
    if (!detected) return Error(detected.error()).with(path);
    format = *detected;
  }
  return ClientConfig{std::move(*doc), std::move(path), *format};
}

Result<std::vector<ServerSummary>> list_servers(const ClientConfig& config) {
  const char* key = servers_key(config.format);
  std::vector<ServerSummary> out;
  const auto servers = config.doc.find(key);
  if (servers == config.doc.end() || servers->is_null()) return out;
  if (!servers->is_object()) {
    Error e = bad_field(std::string("$.") + key, "expected an object of servers");
    return config.path.empty() ? e : std::move(e).with(config.path);
  }
  for (const auto& [name, entry] : servers->items()) {
    ServerSummary s;
    s.name = name;
    auto raw = detail::read_server_fields(entry, config.format, json_path(config.format, name));
    if (!raw) {
      s.problem = raw.error().message;
      out.push_back(std::move(s));
      continue;
    }
    if (raw->command) {
      s.argv.push_back(*raw->command);
      s.argv.insert(s.argv.end(), raw->args.begin(), raw->args.end());
    }
    s.url = raw->url.value_or("");
    s.disabled = raw->disabled;
    const KindOrProblem kp = detail::server_kind(*raw, config.format, json_path(config.format, name));
    s.kind = kp.kind;
    s.problem = kp.problem;
    out.push_back(std::move(s));
  }
  return out;
}

Result<ServerEntry> resolve_server(const ClientConfig& config, std::string_view name, const VarContext& ctx) {
  auto fail = [&](Error e) { return config.path.empty() ? e : std::move(e).with(config.path); };
  const std::string subject = "server '" + std::string(name) + "'";
  const char* key = servers_key(config.format);
  const auto servers = config.doc.find(key);
  if (servers != config.doc.end() && !servers->is_null() && !servers->is_object()) {
    return fail(bad_field(std::string("$.") + key, "expected an object of servers"));
  }
  const bool found = servers != config.doc.end() && servers->is_object() && servers->contains(std::string(name));
  if (!found) {
    std::string names;
    if (servers != config.doc.end() && servers->is_object()) {
      for (const auto& [n, e] : servers->items()) names += (names.empty() ? "" : ", ") + n;
    }
    return fail(Error(Errc::usage, names.empty() ? "no " + subject + ": this config defines no servers"
                                                 : "no " + subject + " in this config; it defines: " + names));
  }
  const std::string jpath = json_path(config.format, std::string(name));
  auto raw = detail::read_server_fields((*servers)[std::string(name)], config.format, jpath);
  if (!raw) return fail(raw.error());
  const KindOrProblem kp = detail::server_kind(*raw, config.format, jpath);
  if (!kp.problem.empty()) {
    const bool is_path = kp.problem.starts_with("$.");
    return fail(Error(Errc::usage, is_path ? kp.problem : subject + " " + kp.problem));
  }
  std::vector<InputSpec> inputs;
  if (config.format == ConfigFormat::vscode) {
    auto read = read_inputs(config.doc);
    if (!read) return fail(read.error());
    inputs = std::move(*read);
  }

  VarContext vars = ctx;
  if (!vars.workspace_folder && !config.path.empty()) vars.workspace_folder = default_workspace_folder(config.path);
  const VarSyntax syntax = syntax_for(config.format);
  std::vector<std::string> secrets;
  // Expands one field; `secret` fields (env, headers) add their value and what was
  // substituted into them; password inputs are secret wherever they are used.
  auto expand = [&](const std::string& text, bool secret) -> Result<std::string> {
    auto e = expand_vars(text, syntax, vars, subject, inputs);
    if (!e) return e.error();
    secrets.insert(secrets.end(), e->secrets.begin(), e->secrets.end());
    if (secret) {
      secrets.push_back(e->text);
      secrets.insert(secrets.end(), e->substituted.begin(), e->substituted.end());
    }
    return std::move(e->text);
  };

  ServerEntry out;
  out.name = std::string(name);
  out.kind = kp.kind;
  out.format = config.format;
  if (kp.kind == ServerKind::stdio) {
    std::vector<std::string> words{*raw->command};
    words.insert(words.end(), raw->args.begin(), raw->args.end());
    for (const std::string& word : words) {
      auto s = expand(word, false);
      if (!s) return fail(s.error());
      out.argv.push_back(std::move(*s));
    }
    if (raw->env_file) {
      auto file = expand(*raw->env_file, false);
      if (!file) return fail(file.error());
      // A relative name as written (".env") is the workspace's; one built from variables
      // ("${workspaceFolder}/.env") is already where it should be.
      std::filesystem::path p(*file);
      if (p.is_relative() && !raw->env_file->starts_with("${") && vars.workspace_folder) {
        p = std::filesystem::path(*vars.workspace_folder) / p;
      }
      if (!vars.read_env_file) {
        return fail(Error(Errc::usage, subject + " has an \"envFile\", which mcpleak cannot read here"));
      }
      auto text = vars.read_env_file(p.string());
      if (!text) return fail(Error(text.error()).with(subject + " envFile"));
      auto pairs = parse_dotenv(*text);
      if (!pairs) return fail(Error(pairs.error()).with(p.string()));
      for (auto& [k, v] : *pairs) {
        secrets.push_back(v);
        out.env[k] = std::move(v);
      }
    }
    for (const auto& [k, v] : raw->env) {  // "env" wins over "envFile"
      auto s = expand(v, true);
      if (!s) return fail(s.error());
      out.env[k] = std::move(*s);
    }
  } else {
    auto url = expand(*raw->url, false);
    if (!url) return fail(url.error());
    out.url = std::move(*url);
    for (const auto& [k, v] : raw->headers) {
      auto s = expand(v, true);
      if (!s) return fail(s.error());
      if (auto cred = header_credential(*s)) secrets.push_back(*cred);
      out.headers.emplace_back(k, std::move(*s));
    }
  }
  if (raw->cwd) {
    auto cwd = expand(*raw->cwd, false);
    if (!cwd) return fail(cwd.error());
    out.cwd = std::move(*cwd);
  }
  std::erase_if(secrets, [](const std::string& s) { return s.empty(); });
  std::sort(secrets.begin(), secrets.end());
  secrets.erase(std::unique(secrets.begin(), secrets.end()), secrets.end());
  out.secrets = std::move(secrets);
  return out;
}

}  // namespace mcpleak
