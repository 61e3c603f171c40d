// McpClient: the MCP lifecycle and tool calls over a Transport. Matches responses to
// requests by id, answers the server's own requests (ping; "method not found" for the
// rest), counts notifications and non-JSON lines. Thread-safe for one caller thread
// plus the transport's reader thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/mcp/transport.h"
#include "harness/result.h"

namespace mcpleak {

// Protocol versions mcpleak speaks, newest first; the first is what it asks for.
inline const std::vector<std::string> kSupportedProtocolVersions = {"2025-06-18", "2025-03-26",
                                                                   "2024-11-05"};

struct ServerHello {
  std::string protocol_version;
  std::string name;
  std::string version;
  nlohmann::json capabilities;
};

struct ToolInfo {
  std::string name;
  nlohmann::json input_schema;
};

// What one tools/call came to. A failed call is an outcome, not an Error.
struct CallOutcome {
  bool ok = false;
  std::string error;              // "timeout after 30 s", "isError: ...", "server exited"
  double latency_ms = 0;
  std::uint64_t response_bytes = 0;
  nlohmann::json result;          // the result object when a response arrived
  bool timed_out = false;
  bool cancelled = false;         // cut short by Ctrl-C/SIGTERM: no outcome at all
  bool server_gone = false;       // the transport closed: no further calls can succeed
};

struct ClientCounters {
  std::uint64_t non_json_lines = 0;
  std::uint64_t notifications = 0;
  std::uint64_t server_requests = 0;
  std::uint64_t unmatched_responses = 0;  // a response to no pending request (late, duplicate)
  std::vector<std::string> junk_examples;  // the first few non-JSON lines, truncated
};

class McpClient {
 public:
  // `cancelled` is polled while waiting so Ctrl-C cuts a wait short.
  McpClient(Transport& transport, std::function<bool()> cancelled);
  ~McpClient();
  McpClient(const McpClient&) = delete;
  McpClient& operator=(const McpClient&) = delete;

  // initialize + notifications/initialized. Errc::timeout when no answer in time;
  // Errc::protocol when the server answers with an error or a version we do not speak.
  Result<ServerHello> initialize(std::chrono::milliseconds timeout);
  Result<std::vector<ToolInfo>> list_tools(std::chrono::milliseconds timeout);
  Result<void> ping(std::chrono::milliseconds timeout);
  CallOutcome call_tool(const std::string& name, const nlohmann::json& arguments,
                        std::chrono::milliseconds timeout);

  bool closed() const { return closed_.load(); }
  std::string closed_reason() const;
  ClientCounters counters() const;

 private:
  struct Reply {
    bool is_error = false;
    nlohmann::json payload;
    std::uint64_t bytes = 0;
  };
  enum class WaitEnd { replied, timeout, closed, cancelled };

  // Sends a request and waits for its reply.
  WaitEnd roundtrip(std::string_view method, const nlohmann::json& params,
                    std::chrono::milliseconds timeout, Reply& reply, std::string& send_error);
  // True when the line answered a pending request.
  bool on_line(std::string_view line);
  void on_closed(std::string reason);

  Transport& transport_;
  std::function<bool()> cancelled_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::int64_t next_id_ = 1;
  std::map<std::int64_t, std::optional<Reply>> pending_;
  std::atomic<bool> closed_{false};
  std::string closed_reason_;
  ClientCounters counters_;
};

}  // namespace mcpleak
