#include "harness/client_config/server_fields.h"

namespace mcpleak::detail {
namespace {

using nlohmann::json;

Error bad_field(const std::string& jpath, const std::string& what) { return Error(Errc::usage, jpath + ": " + what); }

// Strings as they are; numbers and booleans as JSON writes them ("PORT": 8080 is common).
Result<std::string> scalar(const json& v, const std::string& jpath) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  return bad_field(jpath, "expected a string");
}

Result<std::optional<std::string>> optional_scalar(const json& obj, const char* key, const std::string& jpath) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<std::string>{};
  auto s = scalar(*it, jpath + "." + key);
  if (!s) return s.error();
  return std::optional<std::string>{std::move(*s)};
}

Result<void> read_args(const json& obj, const std::string& jpath, std::vector<std::string>& out) {
  const auto it = obj.find("args");
  if (it == obj.end() || it->is_null()) return {};
  if (!it->is_array()) return bad_field(jpath + ".args", "expected an array of strings");
  for (std::size_t i = 0; i < it->size(); ++i) {
    auto s = scalar((*it)[i], jpath + ".args[" + std::to_string(i) + "]");
    if (!s) return s.error();
    out.push_back(std::move(*s));
  }
  return {};
}

Result<void> read_map(const json& obj, const char* key, const std::string& jpath, Pairs& out) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return {};
  if (!it->is_object()) return bad_field(jpath + "." + key, "expected an object of strings");
  for (const auto& [k, v] : it->items()) {
    if (v.is_null()) continue;  // VS Code: null removes a variable; nothing to add here
    auto s = scalar(v, jpath + "." + key + "." + k);
    if (!s) return s.error();
    out.emplace_back(k, std::move(*s));
  }
  return {};
}

bool looks_like_sse(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path.ends_with("/sse");
}

}  // namespace

const char* servers_key(ConfigFormat format) {
  switch (format) {
    case ConfigFormat::vscode: return "servers";
    case ConfigFormat::zed: return "context_servers";
    default: return "mcpServers";
  }
}

Result<RawServer> read_server_fields(const json& entry, ConfigFormat format, const std::string& jpath) {
  if (!entry.is_object()) return bad_field(jpath, "expected an object");
  RawServer raw;
  const json* command_obj = &entry;
  // Older Zed: "command": {"path", "args", "env"}; current Zed: "command", "args", "env".
  if (const auto c = entry.find("command"); format == ConfigFormat::zed && c != entry.end() && c->is_object()) {
    command_obj = &*c;
    auto path = optional_scalar(*c, "path", jpath + ".command");
    if (!path) return path.error();
    raw.command = *path;
  } else {
    auto command = optional_scalar(entry, "command", jpath);
    if (!command) return command.error();
    raw.command = *command;
  }
  const std::string args_path = command_obj == &entry ? jpath : jpath + ".command";
  if (auto r = read_args(*command_obj, args_path, raw.args); !r) return r.error();
  if (auto r = read_map(*command_obj, "env", args_path, raw.env); !r) return r.error();
  if (auto r = read_map(entry, "headers", jpath, raw.headers); !r) return r.error();
  auto url = optional_scalar(entry, "url", jpath);
  if (!url) return url.error();
  raw.url = *url;
  if (!raw.url && format == ConfigFormat::windsurf) {  // Windsurf takes "serverUrl" or "url"
    auto server_url = optional_scalar(entry, "serverUrl", jpath);
    if (!server_url) return server_url.error();
    raw.url = *server_url;
  }
  auto type = optional_scalar(entry, "type", jpath);
  if (!type) return type.error();
  raw.type = *type;
  auto cwd = optional_scalar(entry, "cwd", jpath);
  if (!cwd) return cwd.error();
  raw.cwd = *cwd;
  if (format == ConfigFormat::vscode || format == ConfigFormat::cursor) {
    auto env_file = optional_scalar(entry, "envFile", jpath);
    if (!env_file) return env_file.error();
    raw.env_file = *env_file;
  }
  const auto disabled = entry.find("disabled");
  const auto enabled = entry.find("enabled");
  raw.disabled = (disabled != entry.end() && disabled->is_boolean() && disabled->get<bool>()) ||
                 (enabled != entry.end() && enabled->is_boolean() && !enabled->get<bool>());
  return raw;
}

KindOrProblem server_kind(const RawServer& raw, ConfigFormat format, const std::string& jpath) {
  const bool has_command = raw.command && !raw.command->empty();
  const bool has_url = raw.url && !raw.url->empty();
  if (raw.type) {
    const std::string& t = *raw.type;
    if (t == "stdio") {
      if (!has_command) return {ServerKind::stdio, "has \"type\": \"stdio\" but no \"command\""};
      return {ServerKind::stdio, ""};
    }
    ServerKind kind = ServerKind::http;
    if (t == "sse") {
      kind = ServerKind::sse;
    } else if (t != "http" && t != "streamable-http" && t != "streamableHttp") {
      return {ServerKind::stdio, jpath + ".type: expected \"stdio\", \"http\" or \"sse\""};
    }
    if (!has_url) return {kind, "has \"type\": \"" + t + "\" but no \"url\""};
    return {kind, ""};
  }
  if (has_command && has_url) return {ServerKind::stdio, "has both \"command\" and \"url\": add \"type\""};
  if (has_command) return {ServerKind::stdio, ""};
  if (has_url) return {looks_like_sse(*raw.url) ? ServerKind::sse : ServerKind::http, ""};
  std::string problem = "has neither \"command\" nor \"url\", so mcpleak can neither start nor reach it";
  if (format == ConfigFormat::zed) problem += " (a Zed extension's server: copy its command into \"command\")";
  return {ServerKind::stdio, problem};
}

}  // namespace mcpleak::detail
