// The Streamable HTTP transport: JSON-RPC over POST to http://127.0.0.1:PORT/mcp, in two
// eras at once. Handshake era (MCP 2024-11-05 to 2025-11-25): sessions in the
// Mcp-Session-Id header, each response as JSON or as one SSE event, DELETE ends a
// session. 2026-07-28 (a request with the _meta envelope, protocol_era.h): no session,
// MCP-Protocol-Version / Mcp-Method / Mcp-Name headers checked against the body (-32020),
// JSON responses. The optional server-to-client stream is not offered (GET is 405).
// httplib stays out of this header.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

#include "harness/result.h"
#include "reference/protocol.h"
#include "reference/session_registry.h"

namespace mcpleak::axref {

enum class HttpResponseMode { json, sse };

struct HttpOptions {
  int port = 0;  // 0: any free port (tests); the command line asks for 1..65535
  HttpResponseMode response = HttpResponseMode::json;
  std::size_t session_capacity = SessionRegistry::kDefaultCapacity;
  // A session with no request for this long is expired (--session-idle-timeout).
  std::chrono::milliseconds session_idle_timeout = SessionRegistry::kDefaultIdleTimeout;
  // The clock session idleness is measured with; tests pass a fake one (thread-safe:
  // read from request threads and the timer thread).
  SessionRegistry::NowFn session_clock = SessionRegistry::Clock::now;
};

// One loopback HTTP server over a Protocol. Requests are handled one at a time under a
// single mutex (Protocol, ToolBox and the sessions are not thread-safe), and a timer
// thread calls tools.idle() and expires idle sessions every 100 ms under the same mutex.
class HttpServer {
 public:
  // Sessions are counted in `counters`; session-retain and session-abandon-retain are
  // taken from `injections`.
  HttpServer(Protocol& protocol, ToolBox& tools, Counters& counters,
             const InjectionConfig& injections, HttpOptions options);
  // Frees every session. serve() must have returned, or never been called.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens on 127.0.0.1 (never another interface); returns the port, the
  // chosen one when options.port is 0. Errc::io naming the address when the port is
  // taken or not permitted. Clients may connect as soon as this returns.
  Result<int> bind();
  // Serves until stop() or SIGTERM/SIGINT (see stop_requested() in stdio_server.h).
  // Call after a successful bind(), once. False when accepting connections failed.
  bool serve();
  // Asks serve() to return; from any thread, before or during serve(), idempotent.
  // Requests in progress finish first.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The transport as main() runs it: binds options.port, prints "axref: serving on
// http://127.0.0.1:PORT/mcp, backend NAME" to stderr once bound, serves until a stop
// signal (call install_stop_signals() first). Returns 0 after a clean stop, 3 when the
// port cannot be bound, 1 when accepting connections failed.
int serve_http(Protocol& protocol, ToolBox& tools, Counters& counters,
               const InjectionConfig& injections, const HttpOptions& options,
               std::string_view backend_name);

}  // namespace mcpleak::axref
