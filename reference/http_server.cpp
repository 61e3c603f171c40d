#include "reference/http_server.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <httplib.h>

#include "harness/check.h"
#include "reference/stdio_server.h"

namespace mcpleak::axref {
namespace {

using nlohmann::json;

constexpr const char* kHost = "127.0.0.1";
constexpr const char* kPath = "/mcp";
constexpr const char* kSessionHeader = "Mcp-Session-Id";
constexpr const char* kVersionHeader = "MCP-Protocol-Version";
constexpr const char* kMethodHeader = "Mcp-Method";
constexpr const char* kNameHeader = "Mcp-Name";
constexpr auto kIdleTick = std::chrono::milliseconds(100);
// Requests are a few hundred bytes; this only stops a client from filling memory.
constexpr std::size_t kMaxBodyBytes = 4 * 1024 * 1024;
// NOTE: httplib 0.11 lets an idle keep-alive connection hold a pool thread for the whole
// keep-alive timeout, and stop() waits for it (keep_alive() in httplib.h). 1 s keeps
// shutdown inside the harness's SIGTERM grace period; clients just reconnect.
constexpr time_t kKeepAliveTimeoutS = 1;
// The MCP TypeScript SDK answers an unknown session with this code; clients match it.
constexpr int kSessionNotFound = -32001;

std::string dump_message(const json& message) {
  // Replace invalid UTF-8 (an app's name) rather than throwing from dump().
  return message.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A transport-level failure: HTTP status plus a JSON-RPC error with a null id.
void send_error(httplib::Response& res, int status, int code, const std::string& message) {
  res.status = status;
  const json body = {{"jsonrpc", "2.0"}, {"id", nullptr},
                     {"error", {{"code", code}, {"message", message}}}};
  res.set_content(dump_message(body), "application/json");
}

// DNS-rebinding guard: a browser page from another host must not reach the loopback
// server. Only http://127.0.0.1 and http://localhost, on any port, are accepted.
bool allowed_origin(std::string_view origin) {
  for (std::string_view host : {"http://127.0.0.1", "http://localhost"}) {
    if (origin.substr(0, host.size()) != host) continue;
    std::string_view rest = origin.substr(host.size());
    if (rest.empty()) return true;
    if (rest.front() != ':' || rest.size() == 1) return false;
    return rest.substr(1).find_first_not_of("0123456789") == std::string_view::npos;
  }
  return false;
}

// True (and the 403 written) when the request carries a foreign Origin.
bool reject_origin(const httplib::Request& req, httplib::Response& res) {
  if (!req.has_header("Origin") || allowed_origin(req.get_header_value("Origin"))) return false;
  send_error(res, 403, -32600, "origin not allowed: " + req.get_header_value("Origin"));
  return true;
}

bool is_invalid_request(const json& response) {
  return response.contains("error") && response["error"].value("code", 0) == -32600;
}

// A JSON-RPC error answering the request `id`, with an HTTP status.
void send_rpc_error(httplib::Response& res, int status, const json& id, json error) {
  res.status = status;
  const json body = {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
  res.set_content(dump_message(body), "application/json");
}

std::optional<std::string> header(const httplib::Request& req, const char* name) {
  if (!req.has_header(name)) return std::nullopt;
  return req.get_header_value(name);
}

bool valid_id(const json& id) { return id.is_string() || id.is_number_integer() || id.is_null(); }

// 2026-07-28 maps errors to statuses: unknown method 404, malformed request 400; other
// JSON-RPC errors (an unknown tool) and results are 200.
int modern_status(const json& response) {
  const int code = response.contains("error") ? response["error"].value("code", 0) : 0;
  if (code == kMethodNotFound) return 404;
  if (code == -32600) return 400;
  return 200;
}

}  // namespace

struct HttpServer::Impl {
  Impl(Protocol& p, ToolBox& t, Counters& counters, const InjectionConfig& injections,
       HttpOptions o)
      : protocol(p),
        tools(t),
        options(o),
        sessions(counters, injections, o.session_capacity, o.session_idle_timeout,
                 o.session_clock) {}

  void post(const httplib::Request& req, httplib::Response& res);
  void post_modern(const httplib::Request& req, httplib::Response& res, const json& message,
                   const EraCheck& era);
  void remove(const httplib::Request& req, httplib::Response& res);
  void tick_loop();

  Protocol& protocol;
  ToolBox& tools;
  const HttpOptions options;
  std::mutex mu;              // serializes protocol, tools and sessions
  SessionRegistry sessions;   // guarded by mu
  httplib::Server server;
  int port = 0;
  std::atomic<bool> stop_wanted{false};
  std::mutex tick_mu;         // guards serve_done; never taken while holding mu
  std::condition_variable tick_cv;
  bool serve_done = false;
};

void HttpServer::Impl::post(const httplib::Request& req, httplib::Response& res) {
  if (reject_origin(req, res)) return;
  const json message = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded()) return send_error(res, 400, -32700, "parse error");
  if (message.is_array()) return send_error(res, 400, -32600, "batches are not supported");
  if (!message.is_object()) return send_error(res, 400, -32600, "invalid request");
  const EraCheck era = classify_request(message);
  if (era.era != RequestEra::handshake) return post_modern(req, res, message, era);
  if (header(req, kVersionHeader) == kModernProtocolVersion && message.contains("method")) {
    // A 2026-07-28 client that forgot the envelope, not an old client without a session.
    if (!message.contains("id")) {
      res.status = 202;
      return;
    }
    const json& id = message["id"];
    return send_rpc_error(res, 400, valid_id(id) ? id : json(nullptr), missing_envelope_error());
  }
  const bool has_session = req.has_header(kSessionHeader);
  const bool opens_session = !has_session && message.contains("id") &&
                             message.value("method", json()) == "initialize";

  std::lock_guard lock(mu);
  if (!opens_session) {
    if (!has_session) return send_error(res, 400, -32600, "missing Mcp-Session-Id header");
    if (!sessions.find(req.get_header_value(kSessionHeader))) {
      return send_error(res, 404, kSessionNotFound, "session not found");
    }
    if (req.has_header(kVersionHeader)) {
      const std::string version = req.get_header_value(kVersionHeader);
      if (negotiate_protocol_version(version) != version) {
        return send_error(res, 400, -32600, "unsupported MCP-Protocol-Version: " + version);
      }
    }
  }
  const auto response = protocol.handle(message);
  // Idle time counts from the end of the last request, so a long Wait is not idleness.
  if (!opens_session) (void)sessions.find(req.get_header_value(kSessionHeader));
  if (!response) {
    res.status = 202;  // a notification or a response: accepted, nothing to say
    return;
  }
  if (opens_session && response->contains("result")) {
    res.set_header(kSessionHeader, sessions.open());
  }
  res.status = is_invalid_request(*response) ? 400 : 200;
  if (options.response == HttpResponseMode::sse) {
    // One event, then the stream ends: the spec lets the server close it after the response.
    res.set_header("Cache-Control", "no-cache");
    res.set_content("event: message\ndata: " + dump_message(*response) + "\n\n",
                    "text/event-stream");
  } else {
    res.set_content(dump_message(*response), "application/json");
  }
}

// 2026-07-28: no session (an Mcp-Session-Id is ignored, none is handed out), the body's
// version, method and name mirrored in headers, and always one JSON body.
void HttpServer::Impl::post_modern(const httplib::Request& req, httplib::Response& res,
                                   const json& message, const EraCheck& era) {
  if (!message.contains("id")) {
    res.status = 202;  // a notification (cancelled): nothing to answer, whatever its envelope
    return;
  }
  const json& id = message["id"];
  if (!valid_id(id)) return send_error(res, 400, -32600, "invalid request: bad id");
  // The version is judged before the headers: a version axref does not speak has no
  // header rules to break.
  if (era.era != RequestEra::modern) return send_rpc_error(res, 400, id, era.error);
  const ModernHeaders headers{header(req, kVersionHeader), header(req, kMethodHeader),
                              header(req, kNameHeader)};
  if (auto mismatch = check_modern_headers(message, headers)) {
    return send_rpc_error(res, 400, id, std::move(*mismatch));
  }
  std::optional<json> response;
  {
    std::lock_guard lock(mu);
    response = protocol.handle(message);
  }
  if (!response) {
    res.status = 202;
    return;
  }
  res.status = modern_status(*response);
  res.set_content(dump_message(*response), "application/json");
}

void HttpServer::Impl::remove(const httplib::Request& req, httplib::Response& res) {
  if (reject_origin(req, res)) return;
  if (!req.has_header(kSessionHeader)) {
    return send_error(res, 400, -32600, "missing Mcp-Session-Id header");
  }
  std::lock_guard lock(mu);
  if (!sessions.close(req.get_header_value(kSessionHeader))) {
    return send_error(res, 404, kSessionNotFound, "session not found");
  }
  res.status = 200;
}

// The idle timer of the stdio loop, the session expiry, and the stop watcher: httplib's
// stop() cannot be called from a signal handler, and does nothing before listening has
// begun. Expiry runs here rather than lazily on the next request because an abandoned
// session must be freed even when no client ever comes back (the idle phase of a run).
// Its cost per tick is O(sessions expired): the registry keeps sessions in last-use order.
void HttpServer::Impl::tick_loop() {
  bool stop_sent = false;
  auto next = std::chrono::steady_clock::now() + kIdleTick;
  std::unique_lock lock(tick_mu);
  while (!tick_cv.wait_until(lock, next, [&] { return serve_done; })) {
    next = std::max(next + kIdleTick, std::chrono::steady_clock::now());
    if (!stop_sent && (stop_wanted || stop_requested()) && server.is_running()) {
      if (stop_requested()) std::cerr << "axref: stop signal, shutting down\n";
      server.stop();  // once: httplib asserts on a second stop of the same socket
      stop_sent = true;
      continue;
    }
    lock.unlock();
    {
      std::lock_guard work(mu);
      tools.idle();
      (void)sessions.expire_idle();
    }
    lock.lock();
  }
}

HttpServer::HttpServer(Protocol& protocol, ToolBox& tools, Counters& counters,
                       const InjectionConfig& injections, HttpOptions options)
    : impl_(std::make_unique<Impl>(protocol, tools, counters, injections, options)) {
  auto& s = impl_->server;
  // NOTE: httplib's default socket options may add SO_REUSEPORT, which lets a second
  // server bind a port already in use; keep only SO_REUSEADDR (restart after TIME_WAIT).
  s.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  s.set_payload_max_length(kMaxBodyBytes);
  s.set_keep_alive_timeout(kKeepAliveTimeoutS);
  Impl* impl = impl_.get();
  s.Post(kPath, [impl](const httplib::Request& req, httplib::Response& res) {
    impl->post(req, res);
  });
  s.Delete(kPath, [impl](const httplib::Request& req, httplib::Response& res) {
    impl->remove(req, res);
  });
  s.Get(kPath, [](const httplib::Request& req, httplib::Response& res) {
    if (reject_origin(req, res)) return;
    res.set_header("Allow", "POST, DELETE");
    send_error(res, 405, -32600, "no server-to-client stream: use POST");
  });
}

HttpServer::~HttpServer() = default;

Result<int> HttpServer::bind() {
  errno = 0;
  const int wanted = impl_->options.port;
  const int port = wanted == 0 ? impl_->server.bind_to_any_port(kHost)
                               : (impl_->server.bind_to_port(kHost, wanted) ? wanted : -1);
  if (port <= 0) {
    const int err = errno;
    std::string message = "cannot listen on " + std::string(kHost) + ":" + std::to_string(wanted);
    if (err != 0) message += ": " + std::string(std::strerror(err));
    return Error(Errc::io, message);
  }
  impl_->port = port;
  return port;
}

bool HttpServer::serve() {
  MCPLEAK_CHECK(impl_->port != 0) << "serve() before a successful bind()";
  std::thread ticker([this] { impl_->tick_loop(); });
  const bool ok = impl_->server.listen_after_bind();
  {
    std::lock_guard lock(impl_->tick_mu);
    impl_->serve_done = true;
  }
  impl_->tick_cv.notify_all();
  ticker.join();
  return ok;
}

void HttpServer::stop() { impl_->stop_wanted = true; }

int serve_http(Protocol& protocol, ToolBox& tools, Counters& counters,
               const InjectionConfig& injections, const HttpOptions& options,
               std::string_view backend_name) {
  HttpServer server(protocol, tools, counters, injections, options);
  auto port = server.bind();
  if (!port) {
    std::cerr << "axref: " << port.error().describe() << "\n";
    return 3;
  }
  std::cerr << "axref: serving on http://" << kHost << ":" << *port << kPath << ", backend "
            << backend_name << std::endl;
  if (!server.serve()) {
    std::cerr << "axref: accepting connections on port " << *port << " failed\n";
    return 1;
  }
  return 0;
}

}  // namespace mcpleak::axref
