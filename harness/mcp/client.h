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

#include "harness/mcp/protocol.h"
#include "harness/mcp/transport.h"
#include "harness/result.h"

namespace mcpleak {

struct ServerHello {
  std::string protocol_version;
  std::string era;                // "2026-07-28" (server/discover, _meta) or "initialize"
  std::string name;
  std::string version;
  nlohmann::json capabilities;
  // How the version was reached when it was not the first thing tried, for the report:
  // "server/discover got no answer within 10 s; the initialize handshake answered".
  std::string negotiation_note;
};

struct ClientOptions {
  ProtocolChoice protocol;                        // --protocol; auto by default
  // auto: how long server/discover may take before the handshake is tried instead.
  std::chrono::milliseconds discover_timeout{10000};
  // auto: try the initialize handshake first (a scenario that opens and ends sessions
  // needs them, and only that era has them); a -32022 still leads to 2026-07-28.
  bool handshake_first = false;
  // The capabilities and clientInfo sent (a recorded scenario's client's; mcpleak's own by
  // default). Requests the server makes of the client are refused all the same.
  ClientIdentity identity;
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
  McpClient(Transport& transport, std::function<bool()> cancelled, ClientOptions options = {});
  ~McpClient();
  McpClient(const McpClient&) = delete;
  McpClient& operator=(const McpClient&) = delete;

  // Opens the conversation. auto: server/discover with the 2026-07-28 envelope, and on
  // any error or timeout the initialize handshake (offering 2025-11-25); a -32022 answer
  // to either is followed by a version it lists. A pinned version is used alone.
  // Over HTTP with the handshake, every call opens a new session. Errc::timeout when no
  // answer in time; Errc::protocol when the server answers with an error or a version
  // mcpleak does not speak.
  Result<ServerHello> initialize(std::chrono::milliseconds timeout);
  // True once 2026-07-28 was agreed: no sessions, no ping.
  bool modern() const { return modern_.load(); }
  Result<std::vector<ToolInfo>> list_tools(std::chrono::milliseconds timeout);
  // Liveness: ping, or server/discover in 2026-07-28 (which has no ping).
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

  Result<ServerHello> discover(std::chrono::milliseconds timeout);
  Result<ServerHello> handshake(const std::string& version, std::chrono::milliseconds timeout);
  // Sends a request and waits for its reply (with the 2026-07-28 _meta once agreed).
  WaitEnd roundtrip(std::string_view method, const nlohmann::json& params,
                    std::chrono::milliseconds timeout, Reply& reply, std::string& send_error);
  // True when the line answered a pending request.
  bool on_line(std::string_view line);
  void on_closed(std::string reason);

  Transport& transport_;
  std::function<bool()> cancelled_;
  ClientOptions options_;
  std::atomic<bool> modern_{false};
  nlohmann::json last_error_;  // discover's error object, for the versions a -32022 lists
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::int64_t next_id_ = 1;
  std::map<std::int64_t, std::optional<Reply>> pending_;
  std::atomic<bool> closed_{false};
  std::string closed_reason_;
  ClientCounters counters_;
};

}  // namespace mcpleak
