// JSON-RPC 2.0 over newline-delimited text (MCP's stdio framing), as pure functions:
// split a byte stream into lines, classify each line, build outgoing messages.
// No I/O: the transports feed bytes in and write the strings out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace mcpleak {

// Splits bytes into lines at '\n' (a trailing '\r' is dropped). A line longer than
// max_line_bytes is discarded up to its newline and counted, so a server that writes
// an endless line cannot make mcpleak's memory grow without bound.
class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}
  // Calls on_line once per complete line, in order. Lines are views valid only during
  // the call.
  void feed(std::string_view bytes, const std::function<void(std::string_view)>& on_line);
  std::size_t oversized_lines() const { return oversized_lines_; }
  std::size_t pending_bytes() const { return partial_.size(); }
  std::size_t max_line_bytes() const { return max_line_bytes_; }

 private:
  std::size_t max_line_bytes_;
  std::string partial_;
  bool discarding_ = false;  // inside an oversized line, waiting for its newline
  std::size_t oversized_lines_ = 0;
};

enum class MessageKind {
  response,      // has id and result
  error,         // has id and error
  request,       // has id and method: the server asks us something
  notification,  // method, no id
  invalid        // not JSON, or JSON that is not a JSON-RPC 2.0 message
};

struct Incoming {
  MessageKind kind = MessageKind::invalid;
  nlohmann::json id;         // null when absent
  std::string method;        // requests and notifications
  nlohmann::json payload;    // result, error object, or params
  std::string problem;       // for invalid: what was wrong, one line
};

// Parses one line. A JSON array (a batch) yields one Incoming per element; blank
// lines yield nothing. Never throws.
std::vector<Incoming> classify_line(std::string_view line);

std::string make_request(std::int64_t id, std::string_view method, const nlohmann::json& params);
std::string make_notification(std::string_view method, const nlohmann::json& params);
std::string make_result(const nlohmann::json& id, const nlohmann::json& result);
std::string make_error(const nlohmann::json& id, int code, std::string_view message);

// A JSON-RPC error object as a person reads it: "message (code -32601)".
std::string error_text(const nlohmann::json& error);
// The text of a tools/call result with isError set: its first text content item (cut at
// 200 characters), or "tool reported isError".
std::string tool_error_text(const nlohmann::json& result);

// JSON-RPC error codes used here.
inline constexpr int kMethodNotFound = -32601;

}  // namespace mcpleak
