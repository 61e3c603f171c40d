// MCP over JSON-RPC 2.0, one message at a time: a request in, a response out. Pure with
// respect to I/O: the stdio loop (stdio_server.h) owns the file descriptors. Each request
// is served in the era it belongs to (protocol_era.h): with the 2026-07-28 _meta
// envelope statelessly as 2026-07-28, otherwise as the initialize era (up to 2025-11-25).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "reference/protocol_era.h"
#include "reference/tools.h"

namespace mcpleak::axref {

class Protocol {
 public:
  explicit Protocol(ToolBox& tools) : tools_(tools) {}

  // The response to one parsed message; nullopt for notifications (no id) and responses.
  // Unknown method -> -32601, invalid request -> -32600, bad tools/call params -> -32602.
  // A request with the 2026-07-28 envelope: -32022 or -32602 when classify_request says
  // so; else server/discover, tools/list and tools/call with resultType and serverInfo
  // added, and -32601 for anything else (ping and initialize included). The handshake
  // era has initialize, ping, tools/list and tools/call, as before.
  std::optional<nlohmann::json> handle(const nlohmann::json& message);
  // One line of input, serialized response (no newline) or nullopt. Malformed JSON ->
  // -32700 with id null. Blank lines are ignored.
  std::optional<std::string> handle_line(std::string_view line);

 private:
  nlohmann::json handle_modern(const nlohmann::json& id, const std::string& method,
                               const nlohmann::json& params);
  // tools/call in either era: the CallToolResult, or a -32602 error response.
  nlohmann::json call_tool(const nlohmann::json& id, const nlohmann::json& params, bool modern);

  ToolBox& tools_;
};

}  // namespace mcpleak::axref
