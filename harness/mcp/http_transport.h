// MCP's Streamable HTTP transport (spec 2025-06-18 to 2026-07-28), client side, on cpp-httplib.
// With 2026-07-28 every POST also names its method (Mcp-Method) and tool, prompt or
// resource (Mcp-Name), and there are no sessions. Every
// message is a POST to one endpoint; a request's answer comes back as application/json
// or as a text/event-stream of messages (server requests and notifications may come
// first). The session id the server assigns at initialize (Mcp-Session-Id) goes on
// every later request; end_session() DELETEs it. The optional GET stream is not opened:
// mcpleak only needs the answers to its own requests.
//
// Each request's POST runs on its own thread so that McpClient's timeouts and Ctrl-C work
// exactly as over stdio (send() returns at once; answers arrive through on_line).
// Notifications and responses are POSTed before send() returns, which keeps their order
// relative to the requests that follow. HTTP failures
// that leave a request unanswered are turned into a JSON-RPC error for that request
// ("HTTP 404 ...") so the call fails at once instead of timing out.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/mcp/http_endpoint.h"
#include "harness/mcp/transport.h"

namespace httplib {
class Client;
}

namespace mcpleak {

struct HttpTransportOptions {
  std::size_t max_message_bytes = 256u << 20;           // longer responses/events are dropped
  std::chrono::milliseconds read_timeout{35000};         // per socket read; above the call timeout
  std::chrono::milliseconds connect_timeout{5000};
  // Sent on every request, e.g. {"Authorization", "Bearer ..."} for a server that wants it.
  std::vector<std::pair<std::string, std::string>> headers;
};

class HttpTransport final : public Transport {
 public:
  HttpTransport(HttpEndpoint endpoint, HttpTransportOptions options);
  ~HttpTransport() override;
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  void start(MessageHandler on_line, std::function<void(std::string)> on_closed) override;
  Result<void> send(std::string_view message) override;
  void stop() override;
  std::size_t oversized_lines() const override { return oversized_.load(); }
  void set_protocol_version(const std::string& version) override;
  bool supports_sessions() const override { return true; }
  Result<void> end_session() override;
  void abandon_session() override;

  // HTTP-level failures seen (status >= 400, broken connections).
  std::uint64_t http_errors() const { return http_errors_.load(); }
  std::string session_id() const;

 private:
  struct Exchange {
    std::thread thread;  // empty for a notification or response, POSTed on the caller's thread
    std::shared_ptr<httplib::Client> client;
    std::atomic<bool> done{false};
  };

  std::shared_ptr<httplib::Client> make_client() const;
  void post(httplib::Client& client, std::string body, nlohmann::json request_id, const std::string& method,
            const std::string& name);
  void fail_request(const nlohmann::json& request_id, const std::string& why);
  void close(std::string reason);
  void reap_finished();

  HttpEndpoint endpoint_;
  HttpTransportOptions options_;
  MessageHandler on_line_;
  std::function<void(std::string)> on_closed_;
  mutable std::mutex mutex_;
  std::list<std::unique_ptr<Exchange>> exchanges_;
  std::string session_id_;
  std::string protocol_version_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> closed_{false};
  std::atomic<std::size_t> oversized_{0};
  std::atomic<std::uint64_t> http_errors_{0};
};

}  // namespace mcpleak
