#include "reference/protocol.h"

namespace mcpleak::axref {
namespace {

using nlohmann::json;

json error_response(const json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

json ok_response(const json& id, json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json error_response(const json& id, json error) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
}

// What axref offers, the same in initialize and server/discover: tools, nothing else
// (no list_changed: the tool set never changes).
json server_capabilities() { return {{"tools", json::object()}}; }

// 2026-07-28 cacheable results (server/discover, tools/list) must carry a cache hint;
// "immediately stale, this client only" promises nothing.
json with_cache_hint(json result) {
  result["ttlMs"] = 0;
  result["cacheScope"] = "private";
  return result;
}

}  // namespace

std::optional<json> Protocol::handle(const json& message) {
  if (!message.is_object()) return error_response(nullptr, -32600, "invalid request");
  const bool has_id = message.contains("id");
  const json id = has_id ? message["id"] : json(nullptr);
  if (has_id && !(id.is_string() || id.is_number_integer() || id.is_null())) {
    return error_response(nullptr, -32600, "invalid request: bad id");
  }
  if (!message.contains("method")) {
    // A response to a request we never send, or garbage: answer only if it has an id.
    if (message.contains("result") || message.contains("error")) return std::nullopt;
    return error_response(id, -32600, "invalid request: no method");
  }
  if (!message["method"].is_string()) return error_response(id, -32600, "invalid request: method");
  const std::string method = message["method"].get<std::string>();
  const json params = message.value("params", json::object());
  if (!has_id) return std::nullopt;  // notifications: initialized, cancelled, ...

  // Stateless: each request is judged by its own envelope, so a client may discover and
  // then fall back to initialize on the same connection, and old clients see no change.
  EraCheck era = classify_request(message);
  switch (era.era) {
    case RequestEra::unsupported_version:
    case RequestEra::broken_envelope: return error_response(id, std::move(era.error));
    case RequestEra::modern: return handle_modern(id, method, params);
    case RequestEra::handshake: break;
  }

  if (method == "initialize") {
    const json requested = params.is_object() ? params.value("protocolVersion", json()) : json();
    return ok_response(id, {{"protocolVersion", negotiate_protocol_version(requested)},
                            {"capabilities", server_capabilities()},
                            {"serverInfo", {{"name", kServerName}, {"version", kAxrefVersion}}}});
  }
  if (method == "ping") return ok_response(id, json::object());
  if (method == "tools/list") return ok_response(id, tools_.list());
  if (method == "tools/call") return call_tool(id, params, /*modern=*/false);
  return error_response(id, kMethodNotFound, "method not found: " + method);
}

json Protocol::handle_modern(const json& id, const std::string& method, const json& params) {
  if (method == "server/discover") {
    return ok_response(
        id, modern_result(with_cache_hint(
                {{"supportedVersions", json::array({std::string(kModernProtocolVersion)})},
                 {"capabilities", server_capabilities()}})));
  }
  if (method == "tools/list") return ok_response(id, modern_result(with_cache_hint(tools_.list())));
  if (method == "tools/call") return call_tool(id, params, /*modern=*/true);
  // ping, initialize and logging/setLevel do not exist in 2026-07-28.
  return error_response(id, kMethodNotFound, "method not found: " + method);
}

json Protocol::call_tool(const json& id, const json& params, bool modern) {
  if (!params.is_object() || !params.contains("name") || !params["name"].is_string()) {
    return error_response(id, kInvalidParams, "tools/call needs params.name");
  }
  const std::string name = params["name"].get<std::string>();
  if (!tools_.has_tool(name)) return error_response(id, kInvalidParams, "unknown tool: " + name);
  // The same ToolBox call in both eras, so leak injections act on modern calls alike.
  json result = tools_.call(name, params.value("arguments", json::object()));
  return ok_response(id, modern ? modern_result(std::move(result)) : std::move(result));
}

std::optional<std::string> Protocol::handle_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return std::nullopt;
  json message = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded()) return error_response(nullptr, -32700, "parse error").dump();
  auto response = handle(message);
  if (!response) return std::nullopt;
  // Replace invalid UTF-8 (an app's name) rather than throwing from dump().
  return response->dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace mcpleak::axref
