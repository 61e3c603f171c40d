#include "reference/protocol.h"

#include <array>

namespace mcpleak::axref {
namespace {

using nlohmann::json;

json error_response(const json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

json ok_response(const json& id, json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

}  // namespace

std::string negotiate_protocol_version(const json& requested) {
  static constexpr std::array<const char*, 3> kSupported = {"2024-11-05", "2025-03-26",
                                                            "2025-06-18"};
  if (requested.is_string()) {
    for (const char* v : kSupported) {
      if (requested.get<std::string>() == v) return v;
    }
  }
  return kDefaultProtocolVersion;
}

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

  if (method == "initialize") {
    const json requested = params.is_object() ? params.value("protocolVersion", json()) : json();
    return ok_response(id, {{"protocolVersion", negotiate_protocol_version(requested)},
                            {"capabilities", {{"tools", json::object()}}},
                            {"serverInfo", {{"name", "axref"}, {"version", kAxrefVersion}}}});
  }
  if (method == "ping") return ok_response(id, json::object());
  if (method == "tools/list") return ok_response(id, tools_.list());
  if (method == "tools/call") {
    if (!params.is_object() || !params.contains("name") || !params["name"].is_string()) {
      return error_response(id, -32602, "tools/call needs params.name");
    }
    const std::string name = params["name"].get<std::string>();
    if (!tools_.has_tool(name)) return error_response(id, -32602, "unknown tool: " + name);
    return ok_response(id, tools_.call(name, params.value("arguments", json::object())));
  }
  return error_response(id, -32601, "method not found: " + method);
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
