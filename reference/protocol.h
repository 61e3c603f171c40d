// MCP over JSON-RPC 2.0, one message at a time: a request in, a response out. Pure with
// respect to I/O: the stdio loop (stdio_server.h) owns the file descriptors.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "reference/tools.h"

namespace mcpleak::axref {

inline constexpr const char* kAxrefVersion = "0.1.0";
inline constexpr const char* kDefaultProtocolVersion = "2025-06-18";

class Protocol {
 public:
  explicit Protocol(ToolBox& tools) : tools_(tools) {}

  // The response to one parsed message; nullopt for notifications (no id) and responses.
  // Unknown method -> -32601, invalid request -> -32600, bad tools/call params -> -32602.
  std::optional<nlohmann::json> handle(const nlohmann::json& message);
  // One line of input, serialized response (no newline) or nullopt. Malformed JSON ->
  // -32700 with id null. Blank lines are ignored.
  std::optional<std::string> handle_line(std::string_view line);

 private:
  ToolBox& tools_;
};

// The protocolVersion initialize answers with: the client's when we speak it, else ours.
std::string negotiate_protocol_version(const nlohmann::json& requested);

}  // namespace mcpleak::axref
