// The Streamable HTTP transport end to end in one process: a real HttpServer on a free
// loopback port, driven by a real httplib::Client, against the synthetic backend.
#include "reference/http_server.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

#include "reference/backend_synthetic.h"
#include "tests/support/catch.h"

using namespace mcpleak::axref;
using nlohmann::json;

namespace {

constexpr const char* kSession = "Mcp-Session-Id";

BackendOptions small_tree() {
  BackendOptions o;
  o.tree_nodes = 20;
  return o;
}

InjectionConfig session_retain() {
  InjectionConfig cfg;
  cfg.mask = 1u << static_cast<unsigned>(LeakClass::session_retain);
  return cfg;
}

json request(int id, const std::string& method, json params = json::object()) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

json initialize_request() {
  return request(1, "initialize",
                 {{"protocolVersion", "2025-06-18"},
                  {"capabilities", json::object()},
                  {"clientInfo", {{"name", "http_server_test"}, {"version", "0"}}}});
}

// A server serving on its own thread for the lifetime of the object.
struct Running {
  explicit Running(HttpOptions options = {}, InjectionConfig injections = {})
      : injector(injections, counters),
        server(protocol, tools, counters, injections, options) {
    auto bound = server.bind();
    REQUIRE(bound);
    port = *bound;
    thread = std::thread([this] { served_ok = server.serve(); });
  }
  ~Running() {
    server.stop();
    thread.join();
    CHECK(served_ok);
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_connection_timeout(std::chrono::seconds(5));
    c.set_read_timeout(std::chrono::seconds(10));
    return c;
  }
  httplib::Result post(const std::string& body, const httplib::Headers& headers = {}) const {
    return client().Post("/mcp", headers, body, "application/json");
  }
  httplib::Result post(const json& message, const httplib::Headers& headers = {}) const {
    return post(message.dump(), headers);
  }
  // initialize, then the initialized notification; returns the session id.
  std::string open_session() const {
    auto res = post(initialize_request());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    const std::string id = res->get_header_value(kSession);
    REQUIRE(!id.empty());
    auto note = post(json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}},
                     {{kSession, id}});
    REQUIRE(note);
    CHECK(note->status == 202);
    return id;
  }
  json diagnostics(const std::string& session) const {
    auto res = post(request(7, "tools/call", {{"name", "Diagnostics"}, {"arguments", json::object()}}),
                    {{kSession, session}});
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return json::parse(json::parse(res->body)["result"]["content"][0]["text"].get<std::string>());
  }

  Counters counters;
  Injector injector;
  SyntheticBackend backend{small_tree(), counters, injector};
  ToolBox tools{backend, injector, counters};
  Protocol protocol{tools};
  HttpServer server;
  int port = 0;
  bool served_ok = false;
  std::thread thread;
};

int error_code(const httplib::Result& res) {
  return json::parse(res->body)["error"]["code"].get<int>();
}

}  // namespace

TEST_CASE("http: initialize opens a session, tools/list answers with JSON", "[reference][http]") {
  Running s;
  auto init = s.post(initialize_request());
  REQUIRE(init);
  CHECK(init->status == 200);
  CHECK(init->get_header_value("Content-Type") == "application/json");
  const std::string id = init->get_header_value(kSession);
  CHECK(id.size() == 32);
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  const json reply = json::parse(init->body);
  CHECK(reply["id"] == 1);
  CHECK(reply["result"]["serverInfo"]["name"] == "axref");
  CHECK(reply["result"]["protocolVersion"] == "2025-06-18");

  auto list = s.post(request(2, "tools/list"),
                     {{kSession, id}, {"MCP-Protocol-Version", "2025-06-18"}});
  REQUIRE(list);
  CHECK(list->status == 200);
  CHECK(list->get_header_value("Content-Type") == "application/json");
  const json tools = json::parse(list->body)["result"]["tools"];
  REQUIRE(tools.size() == 4);
  CHECK(tools[0]["name"] == "Snapshot");
  CHECK(list->get_header_value(kSession).empty());  // only initialize hands out an id

  auto snap = s.post(request(3, "tools/call", {{"name", "Snapshot"}, {"arguments", json::object()}}),
                     {{kSession, id}});
  REQUIRE(snap);
  CHECK(snap->status == 200);
  CHECK(json::parse(snap->body)["result"]["content"][0]["text"].get<std::string>().find("Finder") !=
        std::string::npos);
  CHECK(s.counters.snapshots == 1);
}

TEST_CASE("http: notifications and client responses get 202 without a body", "[reference][http]") {
  Running s;
  const std::string id = s.open_session();
  auto response = s.post(json{{"jsonrpc", "2.0"}, {"id", 99}, {"result", json::object()}},
                         {{kSession, id}});
  REQUIRE(response);
  CHECK(response->status == 202);
  CHECK(response->body.empty());
}

TEST_CASE("http: requests without a session are 400, unknown sessions 404", "[reference][http]") {
  Running s;
  const std::string id = s.open_session();
  auto missing = s.post(request(2, "tools/list"));
  REQUIRE(missing);
  CHECK(missing->status == 400);
  CHECK(error_code(missing) == -32600);

  auto unknown = s.post(request(2, "tools/list"), {{kSession, "0123456789abcdef0123456789abcdef"}});
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(error_code(unknown) == -32001);

  auto note = s.post(json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
  REQUIRE(note);
  CHECK(note->status == 400);

  auto old_version = s.post(request(3, "tools/list"),
                            {{kSession, id}, {"MCP-Protocol-Version", "1999-01-01"}});
  REQUIRE(old_version);
  CHECK(old_version->status == 400);
}

TEST_CASE("http: DELETE ends a session, then its id is 404", "[reference][http]") {
  Running s;
  const std::string id = s.open_session();
  CHECK(s.counters.live_sessions == 1);
  auto del = s.client().Delete("/mcp", {{kSession, id}});
  REQUIRE(del);
  CHECK(del->status == 200);
  CHECK(s.counters.live_sessions == 0);
  CHECK(s.counters.session_bytes == 0);

  auto after = s.post(request(2, "tools/list"), {{kSession, id}});
  REQUIRE(after);
  CHECK(after->status == 404);
  auto again = s.client().Delete("/mcp", {{kSession, id}});
  REQUIRE(again);
  CHECK(again->status == 404);
  auto no_id = s.client().Delete("/mcp");
  REQUIRE(no_id);
  CHECK(no_id->status == 400);
}

TEST_CASE("http: GET is 405, malformed JSON and batches are 400", "[reference][http]") {
  Running s;
  const std::string id = s.open_session();
  auto get = s.client().Get("/mcp", {{kSession, id}});
  REQUIRE(get);
  CHECK(get->status == 405);
  CHECK(get->get_header_value("Allow") == "POST, DELETE");

  auto garbage = s.post(std::string("{\"jsonrpc\": \"2.0\", \"id\": 1,"), {{kSession, id}});
  REQUIRE(garbage);
  CHECK(garbage->status == 400);
  CHECK(error_code(garbage) == -32700);

  auto batch = s.post(json::array({request(2, "ping"), request(3, "ping")}), {{kSession, id}});
  REQUIRE(batch);
  CHECK(batch->status == 400);
  CHECK(error_code(batch) == -32600);

  auto unknown_method = s.post(request(4, "resources/list"), {{kSession, id}});
  REQUIRE(unknown_method);
  CHECK(unknown_method->status == 200);  // a JSON-RPC error, not a transport error
  CHECK(error_code(unknown_method) == -32601);
}

TEST_CASE("http: a foreign Origin is 403, loopback origins pass", "[reference][http]") {
  Running s;
  for (const char* origin : {"http://evil.example", "http://localhost.evil.example",
                             "https://127.0.0.1", "http://127.0.0.1:80x"}) {
    auto res = s.post(initialize_request(), {{"Origin", origin}});
    REQUIRE(res);
    CHECK(res->status == 403);
    CHECK(res->get_header_value(kSession).empty());
  }
  CHECK(s.counters.live_sessions == 0);
  for (const char* origin : {"http://localhost:6274", "http://127.0.0.1"}) {
    auto res = s.post(initialize_request(), {{"Origin", origin}});
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  CHECK(s.counters.live_sessions == 2);
}

TEST_CASE("http: --http-response sse answers with one SSE event", "[reference][http]") {
  HttpOptions options;
  options.response = HttpResponseMode::sse;
  Running s(options);
  auto init = s.post(initialize_request());
  REQUIRE(init);
  CHECK(init->status == 200);
  CHECK(init->get_header_value("Content-Type") == "text/event-stream");
  const std::string id = init->get_header_value(kSession);
  REQUIRE(!id.empty());

  auto list = s.post(request(5, "tools/list"), {{kSession, id}});
  REQUIRE(list);
  CHECK(list->status == 200);
  CHECK(list->get_header_value("Content-Type") == "text/event-stream");
  const std::string& body = list->body;
  REQUIRE(body.rfind("event: message\ndata: ", 0) == 0);
  CHECK(body.size() > 2);
  CHECK(body.substr(body.size() - 2) == "\n\n");
  const std::string data = body.substr(body.find("data: ") + 6);
  const json reply = json::parse(data.substr(0, data.find('\n')));
  CHECK(reply["id"] == 5);
  CHECK(reply["result"]["tools"].size() == 4);
}

namespace {

// Opens `n` sessions and DELETEs each, checking every DELETE succeeds.
void open_and_delete_sessions(Running& s, int n) {
  for (int i = 0; i < n; ++i) {
    auto del = s.client().Delete("/mcp", {{kSession, s.open_session()}});
    REQUIRE(del);
    CHECK(del->status == 200);
  }
}

}  // namespace

TEST_CASE("http: Diagnostics counts live and retained sessions", "[reference][http]") {
  SECTION("fixed: DELETE frees") {
    Running s;
    const std::string keep = s.open_session();
    open_and_delete_sessions(s, 3);
    const json d = s.diagnostics(keep);
    CHECK(d["live_sessions"] == 1);
    CHECK(d["retained_sessions"] == 0);
    CHECK(d["leaked_bytes"] == 0);
  }
  SECTION("session-retain: DELETE keeps the session object") {
    Running s({}, session_retain());
    const std::string keep = s.open_session();
    open_and_delete_sessions(s, 3);
    const json d = s.diagnostics(keep);
    CHECK(d["live_sessions"] == 1);
    CHECK(d["retained_sessions"] == 3);
    CHECK(d["leaked_bytes"] == 3 * 64 * 1024);
    CHECK(d["injections"]["session-retain"]["active"] == true);
  }
}

namespace {

// A session clock the test moves by hand; read from the server's threads.
struct FakeSessionClock {
  std::atomic<std::int64_t> offset_ms{0};
  SessionRegistry::NowFn fn() {
    return [this] {
      return SessionRegistry::Clock::time_point{} + std::chrono::milliseconds(offset_ms.load());
    };
  }
};

// Waits (at most 5 s) for the server's 100 ms timer to bring `counter` to `want`.
bool wait_for_count(const std::atomic<std::int64_t>& counter, std::int64_t want) {
  for (int i = 0; i < 100 && counter.load() != want; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return counter.load() == want;
}

InjectionConfig session_abandon_retain() {
  InjectionConfig cfg;
  cfg.mask = 1u << static_cast<unsigned>(LeakClass::session_abandon_retain);
  return cfg;
}

}  // namespace

TEST_CASE("http: the server's timer expires abandoned sessions", "[reference][http]") {
  FakeSessionClock clock;
  HttpOptions options;
  options.session_idle_timeout = std::chrono::seconds(30);
  options.session_clock = clock.fn();
  SECTION("fixed: expired with no further request, then 404") {
    Running s(options);
    const std::string abandoned = s.open_session();
    (void)s.open_session();
    const std::string closed = s.open_session();
    REQUIRE(s.client().Delete("/mcp", {{kSession, closed}})->status == 200);
    CHECK(s.counters.live_sessions == 2);  // DELETE frees at once
    clock.offset_ms = 30'000;
    CHECK(wait_for_count(s.counters.live_sessions, 0));
    CHECK(s.counters.session_bytes == 0);
    CHECK(s.counters.leaked_bytes() == 0);
    auto after = s.post(request(2, "ping"), {{kSession, abandoned}});
    REQUIRE(after);
    CHECK(after->status == 404);
  }
  SECTION("session-abandon-retain: kept, counted, still answered") {
    Running s(options, session_abandon_retain());
    const std::string abandoned = s.open_session();
    (void)s.open_session();
    const std::string closed = s.open_session();
    REQUIRE(s.client().Delete("/mcp", {{kSession, closed}})->status == 200);
    CHECK(s.counters.live_sessions == 2);  // DELETE still frees at once
    clock.offset_ms = 30'000;
    CHECK(wait_for_count(s.counters.abandoned_sessions, 2));
    CHECK(s.counters.live_sessions == 2);
    CHECK(s.counters.injection(LeakClass::session_abandon_retain).bytes == 2 * 64 * 1024);
    const std::string fresh = s.open_session();
    const json d = s.diagnostics(fresh);
    CHECK(d["live_sessions"] == 3);
    CHECK(d["abandoned_sessions"] == 2);
    CHECK(d["leaked_bytes"] == 2 * 64 * 1024);
    CHECK(d["injections"]["session-abandon-retain"]["active"] == true);
    auto after = s.post(request(2, "ping"), {{kSession, abandoned}});
    REQUIRE(after);
    CHECK(after->status == 200);
  }
}

TEST_CASE("http: the live session cap holds over HTTP", "[reference][http]") {
  HttpOptions options;
  options.session_capacity = 2;
  Running s(options);
  const std::string first = s.open_session();
  (void)s.open_session();
  (void)s.open_session();
  CHECK(s.counters.live_sessions == 2);
  auto evicted = s.post(request(2, "ping"), {{kSession, first}});
  REQUIRE(evicted);
  CHECK(evicted->status == 404);
}

TEST_CASE("http: stop() ends serve() promptly, also right after start", "[reference][http]") {
  const auto start = std::chrono::steady_clock::now();
  {
    Running s;  // the destructor stops before serve() may even have begun listening
  }
  {
    Running s;
    (void)s.open_session();
  }
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("http: binding a port in use is an io error naming it", "[reference][http]") {
  Running s;
  Counters counters;
  Injector injector({}, counters);
  SyntheticBackend backend(small_tree(), counters, injector);
  ToolBox tools(backend, injector, counters);
  Protocol protocol(tools);
  HttpOptions options;
  options.port = s.port;
  HttpServer second(protocol, tools, counters, {}, options);
  auto bound = second.bind();
  REQUIRE_FALSE(bound);
  CHECK(bound.error().code == mcpleak::Errc::io);
  CHECK(bound.error().message.find("127.0.0.1:" + std::to_string(s.port)) != std::string::npos);
}

namespace {

// A 2026-07-28 request: the _meta envelope of the v2 SDK client, no session.
json modern_request(const json& id, const std::string& method, json params = json::object()) {
  params["_meta"] = {{kMetaProtocolVersion, "2026-07-28"},
                     {kMetaClientInfo, {{"name", "http_server_test"}, {"version", "0"}}},
                     {kMetaClientCapabilities, json::object()}};
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

json modern_call(const json& id, const std::string& tool) {
  return modern_request(id, "tools/call", {{"name", tool}, {"arguments", json::object()}});
}

// The headers a 2026-07-28 client sends with `method` (and Mcp-Name for a tool call).
httplib::Headers modern_headers(const std::string& method, const std::string& name = "") {
  httplib::Headers h{{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", method}};
  if (!name.empty()) h.emplace("Mcp-Name", name);
  return h;
}

json body_of(const httplib::Result& res) { return json::parse(res->body); }

}  // namespace

TEST_CASE("http 2026-07-28: discover and Snapshot need no session and answer JSON", "[reference][http]") {
  HttpOptions sse;
  sse.response = HttpResponseMode::sse;
  // SSE mode is for the handshake era; 2026-07-28 answers are one JSON body either way.
  for (const HttpOptions& options : {HttpOptions{}, sse}) {
    Running s(options);
    auto discover = s.post(modern_request("server-discover-probe-1", "server/discover"),
                           modern_headers("server/discover"));
    REQUIRE(discover);
    CHECK(discover->status == 200);
    CHECK(discover->get_header_value("Content-Type") == "application/json");
    CHECK_FALSE(discover->has_header(kSession));
    const json d = body_of(discover);
    CHECK(d["id"] == "server-discover-probe-1");
    CHECK(d["result"]["supportedVersions"] == json::array({"2026-07-28"}));
    CHECK(d["result"]["resultType"] == "complete");
    CHECK(d["result"]["_meta"][kMetaServerInfo]["name"] == "axref");

    auto snap = s.post(modern_call(0, "Snapshot"), modern_headers("tools/call", "Snapshot"));
    REQUIRE(snap);
    CHECK(snap->status == 200);
    CHECK(snap->get_header_value("Content-Type") == "application/json");
    CHECK_FALSE(snap->has_header(kSession));
    const json r = body_of(snap);
    CHECK(r["id"] == 0);
    CHECK(r["result"]["resultType"] == "complete");
    CHECK(r["result"]["content"][0]["text"].get<std::string>().find("Finder") != std::string::npos);

    // Mcp-Name in the Base64 sentinel form ("Diagnostics").
    auto diag = s.post(modern_call(1, "Diagnostics"),
                       modern_headers("tools/call", "=?base64?RGlhZ25vc3RpY3M=?="));
    REQUIRE(diag);
    CHECK(diag->status == 200);
    const json counters =
        json::parse(body_of(diag)["result"]["content"][0]["text"].get<std::string>());
    CHECK(counters["snapshots"] == 1);
    CHECK(counters["live_sessions"] == 0);
    CHECK(s.counters.live_sessions == 0);
  }
}

TEST_CASE("http 2026-07-28: a missing or disagreeing header is 400 with -32020", "[reference][http]") {
  Running s;
  struct Case {
    const char* label;
    httplib::Headers headers;
    const char* header;
  };
  const std::vector<Case> cases = {
      {"no MCP-Protocol-Version", {{"Mcp-Method", "tools/call"}, {"Mcp-Name", "Snapshot"}},
       "MCP-Protocol-Version"},
      {"MCP-Protocol-Version 2025-11-25",
       {{"MCP-Protocol-Version", "2025-11-25"},
        {"Mcp-Method", "tools/call"},
        {"Mcp-Name", "Snapshot"}},
       "MCP-Protocol-Version"},
      {"no Mcp-Method", {{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Name", "Snapshot"}},
       "Mcp-Method"},
      {"Mcp-Method tools/list", modern_headers("tools/list", "Snapshot"), "Mcp-Method"},
      {"no Mcp-Name", modern_headers("tools/call"), "Mcp-Name"},
      {"Mcp-Name Diagnostics", modern_headers("tools/call", "Diagnostics"), "Mcp-Name"},
  };
  for (const auto& c : cases) {
    INFO(c.label);
    auto res = s.post(modern_call(11, "Snapshot"), c.headers);
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(res->get_header_value("Content-Type") == "application/json");
    const json body = body_of(res);
    CHECK(body["id"] == 11);
    CHECK(body["error"]["code"] == -32020);
    CHECK(body["error"]["data"]["mismatch"]["header"] == c.header);
  }
  // Header names are case-insensitive.
  auto lower = s.post(modern_call(12, "Snapshot"), {{"mcp-protocol-version", "2026-07-28"},
                                                    {"mcp-method", "tools/call"},
                                                    {"mcp-name", "Snapshot"}});
  REQUIRE(lower);
  CHECK(lower->status == 200);
  CHECK(s.counters.snapshots == 1);  // only the well-formed call reached the tool
}

TEST_CASE("http 2026-07-28: unsupported version -32022 and bad envelope -32602 are 400", "[reference][http]") {
  Running s;
  json future = modern_request(20, "tools/list");
  future["params"]["_meta"][kMetaProtocolVersion] = "2099-01-01";
  auto unsupported =
      s.post(future, {{"MCP-Protocol-Version", "2099-01-01"}, {"Mcp-Method", "tools/list"}});
  REQUIRE(unsupported);
  CHECK(unsupported->status == 400);
  const json u = body_of(unsupported);
  CHECK(u["id"] == 20);
  CHECK(u["error"]["code"] == -32022);
  CHECK(u["error"]["data"] ==
        json{{"supported", json::array({"2026-07-28"})}, {"requested", "2099-01-01"}});

  json no_caps = modern_request(22, "tools/list");
  no_caps["params"]["_meta"].erase(kMetaClientCapabilities);
  auto broken = s.post(no_caps, modern_headers("tools/list"));
  REQUIRE(broken);
  CHECK(broken->status == 400);
  CHECK(body_of(broken)["error"]["code"] == -32602);
  CHECK(body_of(broken)["error"]["data"]["envelope"]["key"] == kMetaClientCapabilities);

  // The 2026-07-28 header on a body without the envelope: -32602, not a session error.
  auto bare = s.post(request(21, "tools/list"), modern_headers("tools/list"));
  REQUIRE(bare);
  CHECK(bare->status == 400);
  CHECK(body_of(bare)["id"] == 21);
  CHECK(body_of(bare)["error"]["code"] == -32602);
  CHECK(s.counters.live_sessions == 0);
}

TEST_CASE("http 2026-07-28: ping and unknown methods are 404, an unknown tool 200", "[reference][http]") {
  Running s;
  for (const char* method : {"ping", "initialize", "resources/list"}) {
    INFO(method);
    auto res = s.post(modern_request(23, method), modern_headers(method));
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(body_of(res)["error"]["code"] == -32601);
  }
  auto tool = s.post(modern_call(24, "Nope"), modern_headers("tools/call", "Nope"));
  REQUIRE(tool);
  CHECK(tool->status == 200);
  CHECK(body_of(tool)["error"]["code"] == -32602);
}

TEST_CASE("http 2026-07-28: notifications are 202, session ids are ignored and never minted", "[reference][http]") {
  Running s;
  json cancelled = modern_request(0, "notifications/cancelled", {{"requestId", 5}});
  cancelled.erase("id");
  auto note = s.post(cancelled);
  REQUIRE(note);
  CHECK(note->status == 202);
  CHECK(note->body.empty());

  httplib::Headers with_session = modern_headers("tools/call", "Diagnostics");
  with_session.emplace(kSession, "whatever");
  auto diag = s.post(modern_call(26, "Diagnostics"), with_session);
  REQUIRE(diag);
  CHECK(diag->status == 200);
  CHECK_FALSE(diag->has_header(kSession));
  CHECK(s.counters.live_sessions == 0);

  // GET and DELETE without a session keep the handshake era's answers.
  auto get = s.client().Get("/mcp");
  REQUIRE(get);
  CHECK(get->status == 405);
  auto del = s.client().Delete("/mcp");
  REQUIRE(del);
  CHECK(del->status == 400);
}

TEST_CASE("http: a 2025-11-25 initialize still opens a session beside 2026-07-28 traffic", "[reference][http]") {
  Running s;
  auto modern = s.post(modern_call(1, "Snapshot"), modern_headers("tools/call", "Snapshot"));
  REQUIRE(modern);
  CHECK(modern->status == 200);

  auto init = s.post(request(1, "initialize",
                             {{"protocolVersion", "2025-11-25"},
                              {"capabilities", json::object()},
                              {"clientInfo", {{"name", "old"}, {"version", "0"}}}}));
  REQUIRE(init);
  CHECK(init->status == 200);
  CHECK(body_of(init)["result"]["protocolVersion"] == "2025-11-25");
  const std::string id = init->get_header_value(kSession);
  REQUIRE(id.size() == 32);
  CHECK(s.counters.live_sessions == 1);

  const httplib::Headers old_headers{{kSession, id}, {"MCP-Protocol-Version", "2025-11-25"}};
  auto list = s.post(request(2, "tools/list"), old_headers);
  REQUIRE(list);
  CHECK(list->status == 200);
  CHECK(body_of(list)["result"]["tools"].size() == 4);
  CHECK_FALSE(body_of(list)["result"].contains("resultType"));
  auto ping = s.post(request(3, "ping"), old_headers);
  REQUIRE(ping);
  CHECK(body_of(ping)["result"] == json::object());
  // Without the envelope a session is still required.
  auto sessionless = s.post(request(4, "tools/list"));
  REQUIRE(sessionless);
  CHECK(sessionless->status == 400);
}
