// harness/mcp/http_transport: McpClient over HttpTransport against a real loopback HTTP
// server (cpp-httplib) whose handler each test scripts: JSON and event-stream answers,
// the session header, DELETE, and the failures a Streamable HTTP server can produce.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/mcp/client.h"
#include "harness/mcp/http_transport.h"
#include "tests/support/catch.h"

using namespace std::chrono_literals;
using mcpleak::HttpEndpoint;
using mcpleak::HttpTransport;
using mcpleak::HttpTransportOptions;
using mcpleak::McpClient;
using nlohmann::json;

namespace {

const auto kNever = [] { return false; };

// These servers speak the initialize era only: the client is pinned to it, and the
// transport's sessions are what is tested. 2026-07-28 over HTTP has its own test below.
mcpleak::ClientOptions handshake_era() {
  mcpleak::ClientOptions options;
  options.protocol.pinned = "2025-06-18";
  return options;
}

// A loopback server on a free port; `handle` answers every POST.
class ScriptedServer {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
  explicit ScriptedServer(Handler post) {
    server_.Post("/mcp", [this, post](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard lock(mu_);
        requests_.push_back(req);
      }
      post(req, res);
    });
    server_.Delete("/mcp", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      deletes_.push_back(req.get_header_value("Mcp-Session-Id"));
      res.status = 200;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // bind_to_any_port already listens: connections queue until the accept loop runs.
  }
  ~ScriptedServer() {
    server_.stop();
    thread_.join();
  }
  HttpEndpoint endpoint() const { return HttpEndpoint{"127.0.0.1", port_, "/mcp"}; }
  std::vector<httplib::Request> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  std::vector<std::string> deletes() {
    std::lock_guard lock(mu_);
    return deletes_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<httplib::Request> requests_;
  std::vector<std::string> deletes_;
};

json body_of(const httplib::Request& req) { return json::parse(req.body, nullptr, false); }

// Answers initialize with a session id and every tools/call with a text result, as JSON.
void json_server(const httplib::Request& req, httplib::Response& res) {
  const json m = body_of(req);
  if (!m.contains("id")) {
    res.status = 202;
    return;
  }
  json result = {{"content", json::array({{{"type", "text"}, {"text", "ok"}}})}};
  if (m["method"] == "initialize") {
    result = {{"protocolVersion", "2025-06-18"}, {"capabilities", json::object()},
              {"serverInfo", {{"name", "scripted"}, {"version", "1"}}}};
    res.set_header("Mcp-Session-Id", "session-" + std::to_string(m["id"].get<int>()));
  }
  res.set_content(json{{"jsonrpc", "2.0"}, {"id", m["id"]}, {"result", result}}.dump(), "application/json");
}

}  // namespace

TEST_CASE("http: initialize sets the session, later requests carry it and the protocol version",
          "[mcp][http]") {
  ScriptedServer server(json_server);
  HttpTransport transport(server.endpoint(), {});
  McpClient client(transport, kNever, handshake_era());
  auto hello = client.initialize(5s);
  REQUIRE(hello);
  CHECK(hello->name == "scripted");
  CHECK(transport.session_id() == "session-1");
  auto call = client.call_tool("Snapshot", json::object(), 5s);
  REQUIRE(call.ok);
  const auto requests = server.requests();
  REQUIRE(requests.size() == 3);  // initialize, notifications/initialized, tools/call
  CHECK_FALSE(requests[0].has_header("Mcp-Session-Id"));
  CHECK(requests[0].get_header_value("Accept").find("text/event-stream") != std::string::npos);
  CHECK(requests[2].get_header_value("Mcp-Session-Id") == "session-1");
  CHECK(requests[2].get_header_value("MCP-Protocol-Version") == "2025-06-18");
}

TEST_CASE("http: end_session DELETEs the session and the next initialize opens a new one", "[mcp][http]") {
  ScriptedServer server(json_server);
  HttpTransport transport(server.endpoint(), {});
  McpClient client(transport, kNever, handshake_era());
  REQUIRE(client.initialize(5s));
  REQUIRE(transport.end_session());
  CHECK(server.deletes() == std::vector<std::string>{"session-1"});
  CHECK(transport.session_id().empty());
  REQUIRE(client.initialize(5s));
  std::vector<httplib::Request> initializes;
  for (const auto& r : server.requests()) {
    if (body_of(r).value("method", "") == "initialize") initializes.push_back(r);
  }
  REQUIRE(initializes.size() == 2);
  CHECK_FALSE(initializes[1].has_header("Mcp-Session-Id"));  // a new session, not the closed one
  CHECK(transport.session_id() != "session-1");
  CHECK_FALSE(transport.session_id().empty());
}

TEST_CASE("http: an event-stream answer with a notification before the response", "[mcp][http]") {
  ScriptedServer server([](const httplib::Request& req, httplib::Response& res) {
    const json m = body_of(req);
    if (!m.contains("id")) {
      res.status = 202;
      return;
    }
    json result = m["method"] == "initialize"
                      ? json{{"protocolVersion", "2025-06-18"}, {"capabilities", json::object()}}
                      : json{{"content", json::array()}};
    const json note = {{"jsonrpc", "2.0"}, {"method", "notifications/progress"}, {"params", json::object()}};
    const json answer = {{"jsonrpc", "2.0"}, {"id", m["id"]}, {"result", result}};
    res.set_content(": hello\r\n\r\nevent: message\r\ndata: " + note.dump() + "\r\n\r\nevent: message\r\ndata: " +
                        answer.dump() + "\r\n\r\n",
                    "text/event-stream");
  });
  HttpTransport transport(server.endpoint(), {});
  McpClient client(transport, kNever, handshake_era());
  REQUIRE(client.initialize(5s));
  auto call = client.call_tool("Snapshot", json::object(), 5s);
  REQUIRE(call.ok);
  CHECK(client.counters().notifications == 2);
}

TEST_CASE("http: failures answer the request at once instead of a timeout", "[mcp][http]") {
  struct Case {
    int status;
    std::string content_type;
    std::string body;
    std::string expect;  // in the call's error
  };
  const std::vector<Case> cases{
      {404, "application/json", "", "no longer knows session"},
      {500, "text/plain", "boom", "HTTP 500"},
      {202, "", "", "no response body"},
      {200, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":{}}", "not a response to the request"},
      {200, "text/event-stream", "data: {\"jsonrpc\":\"2.0\",\"method\":\"x\"}\n\n", "ended without a response"},
  };
  for (const auto& c : cases) {
    INFO(c.status << " " << c.body);
    ScriptedServer server([&](const httplib::Request& req, httplib::Response& res) {
      const json m = body_of(req);
      if (m.value("method", "") != "tools/call") return json_server(req, res);
      res.status = c.status;
      if (!c.content_type.empty()) res.set_content(c.body, c.content_type.c_str());
    });
    HttpTransport transport(server.endpoint(), {});
    McpClient client(transport, kNever, handshake_era());
    REQUIRE(client.initialize(5s));
    const auto started = std::chrono::steady_clock::now();
    auto call = client.call_tool("Snapshot", json::object(), 20s);
    CHECK_FALSE(call.ok);
    CHECK_FALSE(call.timed_out);
    CHECK(call.error.find(c.expect) != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - started < 15s);
  }
}

TEST_CASE("http: a server JSON-RPC error in a 4xx body reaches the caller", "[mcp][http]") {
  ScriptedServer server([](const httplib::Request& req, httplib::Response& res) {
    const json m = body_of(req);
    if (m.value("method", "") != "tools/call") return json_server(req, res);
    res.status = 400;
    res.set_content(json{{"jsonrpc", "2.0"}, {"id", m["id"]}, {"error", {{"code", -32602}, {"message", "bad args"}}}}.dump(),
                    "application/json");
  });
  HttpTransport transport(server.endpoint(), {});
  McpClient client(transport, kNever, handshake_era());
  REQUIRE(client.initialize(5s));
  auto call = client.call_tool("Snapshot", json::object(), 5s);
  CHECK(call.error.find("bad args") != std::string::npos);
  CHECK(transport.http_errors() == 1);
}

TEST_CASE("http: a response over the cap is dropped and counted", "[mcp][http]") {
  ScriptedServer server([](const httplib::Request& req, httplib::Response& res) {
    const json m = body_of(req);
    if (m.value("method", "") != "tools/call") return json_server(req, res);
    res.set_content(std::string(1 << 20, 'x'), "application/json");
  });
  HttpTransportOptions options;
  options.max_message_bytes = 64 << 10;
  HttpTransport transport(server.endpoint(), options);
  McpClient client(transport, kNever, handshake_era());
  REQUIRE(client.initialize(5s));
  auto call = client.call_tool("Snapshot", json::object(), 5s);
  CHECK_FALSE(call.ok);
  CHECK(call.error.find("cap") != std::string::npos);
  CHECK(transport.oversized_lines() == 1);
}

TEST_CASE("http: nothing listening closes the client", "[mcp][http]") {
  // A port the kernel just handed out and that nobody listens on: connecting is refused.
  int free_port = 0;
  {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    free_port = ntohs(addr.sin_port);
    ::close(fd);
  }
  HttpTransport transport(HttpEndpoint{"127.0.0.1", free_port, "/mcp"}, {});
  McpClient client(transport, kNever, handshake_era());
  auto hello = client.initialize(10s);
  REQUIRE_FALSE(hello);
  CHECK(client.closed());
  CHECK(client.closed_reason().find("cannot connect") != std::string::npos);
}

TEST_CASE("http: stop() aborts a request the server never answers", "[mcp][http]") {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::atomic<bool> hanging{false};
  ScriptedServer server([&](const httplib::Request& req, httplib::Response& res) {
    const json m = body_of(req);
    if (m.value("method", "") != "tools/call") return json_server(req, res);
    hanging = true;
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return release; });
    res.status = 500;
  });
  {
    HttpTransport transport(server.endpoint(), {});
    McpClient client(transport, kNever, handshake_era());
    REQUIRE(client.initialize(5s));
    auto call = client.call_tool("Snapshot", json::object(), 300ms);
    CHECK(call.timed_out);
    CHECK(hanging.load());
    const auto started = std::chrono::steady_clock::now();
    transport.stop();
    // Without the abort the request would wait for the 35 s read timeout.
    CHECK(std::chrono::steady_clock::now() - started < 5s);
  }
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
}

TEST_CASE("http: 2026-07-28 names method and tool in headers and keeps no session", "[mcp][http][protocol]") {
  ScriptedServer server([](const httplib::Request& req, httplib::Response& res) {
    const json m = body_of(req);
    json result = {{"content", json::array()}, {"resultType", "complete"}};
    if (m["method"] == "server/discover") {
      result = {{"supportedVersions", {"2026-07-28"}}, {"capabilities", json::object()}, {"resultType", "complete"}};
    }
    // The v2 SDK refuses a request whose headers disagree with its body (-32020).
    const bool agree = req.get_header_value("Mcp-Method") == m["method"] &&
                       req.get_header_value("MCP-Protocol-Version") ==
                           m["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"];
    if (!agree) {
      res.status = 400;
      res.set_content(json{{"jsonrpc", "2.0"}, {"id", m["id"]}, {"error", {{"code", -32020}, {"message", "mismatch"}}}}.dump(),
                      "application/json");
      return;
    }
    res.set_content(json{{"jsonrpc", "2.0"}, {"id", m["id"]}, {"result", result}}.dump(), "application/json");
  });
  HttpTransport transport(server.endpoint(), {});
  McpClient client(transport, kNever);
  auto hello = client.initialize(5s);
  REQUIRE(hello);
  CHECK(hello->era == "2026-07-28");
  auto call = client.call_tool("Snapshot", json::object(), 5s);
  REQUIRE(call.ok);
  const auto requests = server.requests();
  REQUIRE(requests.size() == 2);  // server/discover, tools/call: no handshake, no notification
  CHECK(requests[1].get_header_value("Mcp-Name") == "Snapshot");
  CHECK(requests[1].get_header_value("Mcp-Method") == "tools/call");
  CHECK_FALSE(requests[0].has_header("Mcp-Name"));
  CHECK(transport.session_id().empty());
}
