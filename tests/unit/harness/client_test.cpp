// harness/mcp/client: McpClient against an in-memory Transport whose "server" is a script
// run on each message the client sends. Replies reach the client from a separate
// delivery thread, as they would from StdioTransport's reader thread.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/mcp/client.h"
#include "harness/mcp/jsonrpc.h"
#include "harness/mcp/transport.h"
#include "tests/support/catch.h"

using mcpleak::CallOutcome;
using mcpleak::Errc;
using mcpleak::McpClient;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

class FakeTransport final : public mcpleak::Transport {
 public:
  // Runs on the thread that called send(), once per message; queues replies with
  // deliver()/close()/run(). Empty means the server never answers.
  std::function<void(const json& msg, FakeTransport& t)> script;
  // Servers of the initialize era answer 2026-07-28's server/discover, which the client
  // sends first, with "method not found", before the script sees anything.
  bool legacy_discover = true;

  ~FakeTransport() override { stop(); }

  void start(mcpleak::MessageHandler on_line, std::function<void(std::string)> on_closed) override {
    on_line_ = std::move(on_line);
    on_closed_ = std::move(on_closed);
    thread_ = std::thread([this] { deliver_loop(); });
  }

  mcpleak::Result<void> send(std::string_view message) override {
    const json msg = json::parse(message);  // the client must only send valid JSON
    {
      std::lock_guard lock(mutex_);
      sent_.push_back(msg);
    }
    cv_.notify_all();
    if (legacy_discover && msg.contains("id") && msg.value("method", "") == "server/discover") {
      deliver(json{{"jsonrpc", "2.0"}, {"id", msg["id"]}, {"error", {{"code", -32601}, {"message", "Method not found"}}}});
      return {};
    }
    if (script) script(msg, *this);
    return {};
  }

  void stop() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  std::size_t oversized_lines() const override { return 0; }

  void deliver(const std::string& line) {
    run([this, line] { on_line_(line); });
  }
  void deliver(const json& msg) { deliver(msg.dump()); }
  // Hands a line to the client at once, on the calling thread. From inside `script`
  // this is a reader thread that wins every race: the line lands before the caller of
  // send() has begun to wait for its answer.
  void deliver_now(const json& msg) { on_line_(msg.dump()); }
  void close(const std::string& reason) {
    run([this, reason] { on_closed_(reason); });
  }
  // Runs `action` on the delivery thread, after everything queued before it.
  void run(std::function<void()> action) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(action));
    }
    cv_.notify_all();
  }

  std::vector<json> sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }

  // Waits (bounded) until a sent message satisfies `pred`; returns it, or null.
  json wait_sent(const std::function<bool(const json&)>& pred) {
    std::unique_lock lock(mutex_);
    json found;
    cv_.wait_for(lock, 10s, [&] {
      for (const auto& m : sent_) {
        if (pred(m)) {
          found = m;
          return true;
        }
      }
      return false;
    });
    return found;
  }

  // Waits (bounded) until the delivery thread has run everything queued so far.
  void drain() {
    auto done = std::make_shared<std::atomic<bool>>(false);
    run([done] { *done = true; });
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, 10s, [&] { return done->load(); });
    REQUIRE(done->load());
  }

 private:
  void deliver_loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      auto action = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      action();
      lock.lock();
      cv_.notify_all();
    }
  }

  mcpleak::MessageHandler on_line_;
  std::function<void(std::string)> on_closed_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::vector<json> sent_;
  bool stopping_ = false;
  std::thread thread_;
};

json response(const json& id, const json& result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", result}};
}

json init_result(const std::string& version) {
  return {{"protocolVersion", version},
          {"capabilities", {{"tools", json::object()}}},
          {"serverInfo", {{"name", "fake"}, {"version", "9.9"}}}};
}

json text_result(const std::string& text, bool is_error = false) {
  json r = {{"content", json::array({{{"type", "text"}, {"text", text}}})}};
  if (is_error) r["isError"] = true;
  return r;
}

bool is_request(const json& m, const std::string& method) {
  return m.contains("id") && m.value("method", "") == method;
}

// A server that answers initialize with `version` and echoes tools/call arguments.
void basic_server(const json& m, FakeTransport& t, const std::string& version = "2024-11-05") {
  if (is_request(m, "initialize")) t.deliver(response(m["id"], init_result(version)));
  if (is_request(m, "tools/call")) t.deliver(response(m["id"], text_result(m["params"].dump())));
}

const auto kNever = [] { return false; };

}  // namespace

TEST_CASE("client accepts a server that answers 2024-11-05", "[mcp][client]") {
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) { basic_server(m, tr, "2024-11-05"); };
  McpClient client(t, kNever);
  auto hello = client.initialize(5s);
  REQUIRE(hello);
  CHECK(hello->protocol_version == "2024-11-05");
  CHECK(hello->name == "fake");
  CHECK(hello->version == "9.9");
  CHECK(hello->capabilities.contains("tools"));
  const auto sent = t.sent();
  REQUIRE(sent.size() == 3);
  // server/discover first; then the handshake offering the newest version of that era,
  // confirmed with initialized.
  CHECK(sent[0]["method"] == "server/discover");
  CHECK(sent[1]["method"] == "initialize");
  CHECK(sent[1]["params"]["protocolVersion"] == mcpleak::kHandshakeVersions.front());
  CHECK(sent[2]["method"] == "notifications/initialized");
  CHECK_FALSE(sent[2].contains("id"));
  CHECK(hello->era == "initialize");
  CHECK_FALSE(client.modern());
}

TEST_CASE("client refuses a protocol version it does not speak", "[mcp][client]") {
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) { basic_server(m, tr, "1999-01-01"); };
  McpClient client(t, kNever);
  auto hello = client.initialize(5s);
  REQUIRE_FALSE(hello);
  CHECK(hello.error().code == Errc::protocol);
  CHECK(hello.error().message.find("1999-01-01") != std::string::npos);
  for (const auto& m : t.sent()) CHECK(m.value("method", "") != "notifications/initialized");
}

TEST_CASE("client reports an initialize error as a protocol error", "[mcp][client]") {
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) {
    tr.deliver(mcpleak::make_error(m["id"], -32602, "bad params"));
  };
  McpClient client(t, kNever);
  auto hello = client.initialize(5s);
  REQUIRE_FALSE(hello);
  CHECK(hello.error().code == Errc::protocol);
  CHECK(hello.error().message.find("bad params") != std::string::npos);
}

TEST_CASE("client counts notifications that arrive before the initialize answer",
          "[mcp][client]") {
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) {
    if (!is_request(m, "initialize")) return;
    tr.deliver(mcpleak::make_notification("notifications/message", {{"level", "info"}}));
    tr.deliver(mcpleak::make_notification("notifications/tools/list_changed", nullptr));
    tr.deliver(response(m["id"], init_result("2025-06-18")));
  };
  McpClient client(t, kNever);
  auto hello = client.initialize(5s);
  REQUIRE(hello);
  CHECK(client.counters().notifications == 2);
  CHECK(client.counters().unmatched_responses == 0);
}

TEST_CASE("client answers the server's ping with an empty result", "[mcp][client]") {
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) {
    if (!is_request(m, "initialize")) return;
    tr.deliver(json{{"jsonrpc", "2.0"}, {"id", "srv-1"}, {"method", "ping"}});
    tr.deliver(response(m["id"], init_result("2025-03-26")));
  };
  McpClient client(t, kNever);
  REQUIRE(client.initialize(5s));
  const json answer = t.wait_sent([](const json& m) { return m.value("id", json()) == "srv-1"; });
  REQUIRE_FALSE(answer.is_null());
  const auto in = mcpleak::classify_line(answer.dump());
  REQUIRE(in.size() == 1);
  CHECK(in[0].kind == mcpleak::MessageKind::response);
  CHECK(in[0].payload == json::object());
  CHECK(client.counters().server_requests == 1);
}

TEST_CASE("client answers an unknown server request with method-not-found", "[mcp][client]") {
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) {
    if (!is_request(m, "initialize")) return;
    tr.deliver(json{{"jsonrpc", "2.0"}, {"id", 77}, {"method", "sampling/createMessage"}});
    tr.deliver(response(m["id"], init_result("2025-03-26")));
  };
  McpClient client(t, kNever);
  REQUIRE(client.initialize(5s));
  const json answer = t.wait_sent([](const json& m) {
    return m.value("id", json()) == 77 && m.contains("error");
  });
  REQUIRE_FALSE(answer.is_null());
  CHECK(answer["error"]["code"] == mcpleak::kMethodNotFound);
  CHECK(answer["error"]["message"].get<std::string>().find("sampling/createMessage") !=
        std::string::npos);
}

TEST_CASE("client counts a response with an unknown id and still matches the real one",
          "[mcp][client]") {
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) {
    if (is_request(m, "tools/call")) tr.deliver(response(12345, text_result("stray")));
    basic_server(m, tr);
  };
  McpClient client(t, kNever);
  REQUIRE(client.initialize(5s));
  const CallOutcome out = client.call_tool("echo", {{"message", "hi"}}, 5s);
  CHECK(out.ok);
  t.drain();
  CHECK(client.counters().unmatched_responses == 1);
}

TEST_CASE("client counts a duplicate response once as unmatched", "[mcp][client]") {
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) {
    basic_server(m, tr);
    if (is_request(m, "tools/call")) tr.deliver(response(m["id"], text_result("again")));
  };
  McpClient client(t, kNever);
  REQUIRE(client.initialize(5s));
  const CallOutcome out = client.call_tool("echo", {{"message", "hi"}}, 5s);
  REQUIRE(out.ok);
  // The first answer wins; the second is counted whether it lands before or after
  // the caller took the first.
  CHECK(out.result["content"][0]["text"] != "again");
  t.drain();
  CHECK(client.counters().unmatched_responses == 1);
}

TEST_CASE("client keeps the first of two answers that both arrive before it looks",
          "[mcp][client]") {
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) {
    if (!is_request(m, "tools/call")) return basic_server(m, tr);
    tr.deliver_now(response(m["id"], text_result("first")));
    tr.deliver_now(response(m["id"], text_result("second")));
  };
  McpClient client(t, kNever);
  REQUIRE(client.initialize(5s));
  const CallOutcome out = client.call_tool("echo", json::object(), 5s);
  REQUIRE(out.ok);
  CHECK(out.result["content"][0]["text"] == "first");
  CHECK(client.counters().unmatched_responses == 1);
}

TEST_CASE("client turns isError into a failed outcome carrying the text", "[mcp][client]") {
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) {
    if (is_request(m, "tools/call")) {
      tr.deliver(response(m["id"], text_result("window not found", /*is_error=*/true)));
    } else {
      basic_server(m, tr);
    }
  };
  McpClient client(t, kNever);
  REQUIRE(client.initialize(5s));
  const CallOutcome out = client.call_tool("App", {{"name", "x"}}, 5s);
  CHECK_FALSE(out.ok);
  CHECK(out.error.find("window not found") != std::string::npos);
  CHECK_FALSE(out.timed_out);
  CHECK_FALSE(out.server_gone);
  CHECK(out.response_bytes > 0);
  CHECK(out.result.value("isError", false));
}

TEST_CASE("client turns a JSON-RPC error into a failed outcome", "[mcp][client]") {
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) {
    if (is_request(m, "tools/call")) tr.deliver(mcpleak::make_error(m["id"], -32602, "unknown tool"));
    else basic_server(m, tr);
  };
  McpClient client(t, kNever);
  REQUIRE(client.initialize(5s));
  const CallOutcome out = client.call_tool("Nope", json::object(), 5s);
  CHECK_FALSE(out.ok);
  CHECK(out.error.find("unknown tool") != std::string::npos);
  CHECK(out.error.find("-32602") != std::string::npos);
}

TEST_CASE("client reports a call with no answer as timed out", "[mcp][client]") {
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) {
    if (!is_request(m, "tools/call")) basic_server(m, tr);  // tools/call: silence
  };
  McpClient client(t, kNever);
  REQUIRE(client.initialize(5s));
  const CallOutcome out = client.call_tool("Snapshot", json::object(), 50ms);
  CHECK_FALSE(out.ok);
  CHECK(out.timed_out);
  CHECK_FALSE(out.server_gone);
  CHECK_FALSE(client.closed());
  // The answer arriving after the caller gave up is counted, not matched.
  const auto call = t.wait_sent([](const json& m) { return is_request(m, "tools/call"); });
  t.deliver(response(call["id"], text_result("late")));
  t.drain();
  CHECK(client.counters().unmatched_responses == 1);
}

TEST_CASE("client reports initialize with no answer as Errc::timeout", "[mcp][client]") {
  FakeTransport t;
  McpClient client(t, kNever);
  auto hello = client.initialize(50ms);
  REQUIRE_FALSE(hello);
  CHECK(hello.error().code == Errc::timeout);
}

TEST_CASE("client reports a transport closed mid-call as server gone", "[mcp][client]") {
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) {
    if (is_request(m, "tools/call")) tr.close("server closed stdout");
    else basic_server(m, tr);
  };
  McpClient client(t, kNever);
  REQUIRE(client.initialize(5s));
  // A long timeout: only the close can end this call early.
  const CallOutcome out = client.call_tool("Snapshot", json::object(), 60s);
  CHECK_FALSE(out.ok);
  CHECK(out.server_gone);
  CHECK_FALSE(out.timed_out);
  CHECK(client.closed());
  CHECK(client.closed_reason() == "server closed stdout");
  // Later calls fail the same way without waiting.
  const CallOutcome again = client.call_tool("Snapshot", json::object(), 60s);
  CHECK(again.server_gone);
}

TEST_CASE("client follows tools/list pagination via nextCursor", "[mcp][client]") {
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) {
    if (!is_request(m, "tools/list")) return basic_server(m, tr);
    const json params = m.value("params", json::object());
    const std::string cursor = params.value("cursor", "");
    if (cursor.empty()) {
      tr.deliver(response(m["id"], {{"tools", {{{"name", "a"}, {"inputSchema", {{"type", "object"}}}},
                                               {{"name", "b"}}}},
                                    {"nextCursor", "page-2"}}));
    } else if (cursor == "page-2") {
      tr.deliver(response(m["id"], {{"tools", {{{"name", "c"}}}}}));
    } else {
      tr.deliver(mcpleak::make_error(m["id"], -32602, "bad cursor"));
    }
  };
  McpClient client(t, kNever);
  REQUIRE(client.initialize(5s));
  auto tools = client.list_tools(5s);
  REQUIRE(tools);
  REQUIRE(tools->size() == 3);
  CHECK((*tools)[0].name == "a");
  CHECK((*tools)[0].input_schema == json{{"type", "object"}});
  CHECK((*tools)[1].name == "b");
  CHECK((*tools)[2].name == "c");
  int lists = 0;
  for (const auto& m : t.sent()) lists += is_request(m, "tools/list") ? 1 : 0;
  CHECK(lists == 2);
}

TEST_CASE("client's cancellation predicate cuts a wait short", "[mcp][client]") {
  FakeTransport t;
  std::atomic<bool> cancelled{false};
  t.script = [&cancelled](const json& m, FakeTransport& tr) {
    if (!is_request(m, "tools/call")) return basic_server(m, tr);
    // Set from the delivery thread while the caller is already waiting; no answer.
    tr.run([&cancelled] { cancelled = true; });
  };
  McpClient client(t, [&cancelled] { return cancelled.load(); });
  REQUIRE(client.initialize(5s));
  const CallOutcome out = client.call_tool("Snapshot", json::object(), 60s);
  CHECK_FALSE(out.ok);
  CHECK_FALSE(out.timed_out);
  CHECK_FALSE(out.server_gone);
  CHECK(out.error == "interrupted");
}

TEST_CASE("client counts non-JSON lines and keeps the first few", "[mcp][client]") {
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) {
    if (is_request(m, "initialize")) {
      for (int i = 0; i < 5; ++i) tr.deliver("log line " + std::to_string(i));
    }
    basic_server(m, tr);
  };
  McpClient client(t, kNever);
  REQUIRE(client.initialize(5s));
  const auto c = client.counters();
  CHECK(c.non_json_lines == 5);
  REQUIRE(c.junk_examples.size() == 3);
  CHECK(c.junk_examples[0] == "log line 0");
}

TEST_CASE("client survives members of the wrong type in a server's answers", "[mcp][client]") {
  // nlohmann's value() throws type_error when a member is there with another type; a
  // hostile or buggy server must give a failed call, never an exception.
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) {
    if (is_request(m, "initialize")) {
      json hello = init_result("2024-11-05");
      hello["serverInfo"] = {{"name", {{"not", "a string"}}}, {"version", 3}};
      tr.deliver(response(m["id"], hello));
    } else if (is_request(m, "tools/call") && m["params"]["name"] == "weird-result") {
      tr.deliver(response(m["id"], {{"isError", "yes"}, {"content", json::array({{{"type", 7}, {"text", 8}}})}}));
    } else if (is_request(m, "tools/call")) {
      tr.deliver({{"jsonrpc", "2.0"}, {"id", m["id"]}, {"error", {{"code", -32000}, {"message", {1, 2}}}}});
    }
  };
  McpClient client(t, kNever);
  auto hello = client.initialize(5s);
  REQUIRE(hello);
  CHECK(hello->name.empty());
  CHECK(hello->version.empty());
  const CallOutcome weird = client.call_tool("weird-result", json::object(), 5s);
  CHECK(weird.ok);  // isError is not `true`: the call did not report a failure
  const CallOutcome error = client.call_tool("error", json::object(), 5s);
  CHECK_FALSE(error.ok);
  CHECK(error.error.find("-32000") != std::string::npos);
}

namespace {

constexpr const char* kVersionKey = "io.modelcontextprotocol/protocolVersion";

json error_reply(const json& id, int code, const std::string& message, json data = nullptr) {
  json e = {{"code", code}, {"message", message}};
  if (!data.is_null()) e["data"] = std::move(data);
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", e}};
}

// server/discover's answer as the v2 TypeScript SDK gives it (tests/fixtures/protocol/).
json discover_result() {
  return {{"supportedVersions", {"2026-07-28"}},
          {"capabilities", {{"tools", {{"listChanged", true}}}}},
          {"resultType", "complete"},
          {"_meta", {{"io.modelcontextprotocol/serverInfo", {{"name", "v2"}, {"version", "2.4.0"}}}}}};
}

// A 2026-07-28-only server: discover and tools/call with the envelope; -32022 for the
// handshake and for requests without it.
void modern_server(const json& m, FakeTransport& t) {
  if (!m.contains("id")) return;
  const json meta = m.value("params", json::object()).value("_meta", json::object());
  if (meta.value(kVersionKey, "") != "2026-07-28") {
    t.deliver(error_reply(m["id"], -32022, "Unsupported protocol version", {{"supported", {"2026-07-28"}}}));
  } else if (is_request(m, "server/discover")) {
    t.deliver(response(m["id"], discover_result()));
  } else if (is_request(m, "tools/call")) {
    t.deliver(response(m["id"], {{"content", {{{"type", "text"}, {"text", "ok"}}}}, {"resultType", "complete"}}));
  } else {
    t.deliver(error_reply(m["id"], -32601, "Method not found"));
  }
}

}  // namespace

TEST_CASE("client speaks 2026-07-28 when server/discover answers: _meta on every request, no handshake",
          "[mcp][client][protocol]") {
  FakeTransport t;
  t.legacy_discover = false;
  t.script = modern_server;
  McpClient client(t, kNever);
  auto hello = client.initialize(5s);
  REQUIRE(hello);
  CHECK(hello->protocol_version == "2026-07-28");
  CHECK(hello->era == "2026-07-28");
  CHECK(hello->name == "v2");
  CHECK(hello->version == "2.4.0");
  CHECK(client.modern());
  const CallOutcome out = client.call_tool("Snapshot", json::object(), 5s);
  CHECK(out.ok);
  // 2026-07-28 has no ping: liveness is asked with server/discover.
  CHECK(client.ping(5s));
  const auto sent = t.sent();
  for (const auto& m : sent) {
    INFO(m.dump());
    CHECK(m.value("method", "") != "initialize");
    CHECK(m.value("method", "") != "notifications/initialized");
    CHECK(m.value("method", "") != "ping");
    CHECK(m["params"]["_meta"][kVersionKey] == "2026-07-28");
    CHECK(m["params"]["_meta"]["io.modelcontextprotocol/clientCapabilities"] == json::object());
  }
}

TEST_CASE("client falls back to the handshake when discover is unanswered, and back again on -32022",
          "[mcp][client][protocol]") {
  // A slow 2026-07-28-only server: discover's answer comes too late, the handshake gets
  // -32022 listing 2026-07-28, and the client speaks it without a handshake.
  FakeTransport t;
  t.legacy_discover = false;
  std::atomic<int> discovers{0};
  t.script = [&](const json& m, FakeTransport& tr) {
    if (is_request(m, "server/discover") && discovers++ == 0) return;  // the first one is lost
    modern_server(m, tr);
  };
  mcpleak::ClientOptions options;
  options.discover_timeout = 100ms;
  McpClient client(t, kNever, options);
  auto hello = client.initialize(5s);
  REQUIRE(hello);
  CHECK(hello->protocol_version == "2026-07-28");
  CHECK(client.modern());
  CHECK(discovers.load() == 2);
  CHECK(hello->negotiation_note.find("no answer") != std::string::npos);
}

TEST_CASE("client follows a -32022 that lists an older handshake version", "[mcp][client][protocol]") {
  FakeTransport t;
  t.script = [](const json& m, FakeTransport& tr) {
    if (!is_request(m, "initialize")) return basic_server(m, tr);
    const std::string asked = m["params"]["protocolVersion"];
    if (asked == "2025-06-18") return basic_server(m, tr, "2025-06-18");
    tr.deliver(error_reply(m["id"], -32022, "Unsupported protocol version: " + asked,
                           {{"supported", {"2025-06-18", "2024-11-05"}}, {"requested", asked}}));
  };
  McpClient client(t, kNever);
  auto hello = client.initialize(5s);
  REQUIRE(hello);
  CHECK(hello->protocol_version == "2025-06-18");
  CHECK_FALSE(client.modern());
}

TEST_CASE("client with a pinned version uses it alone", "[mcp][client][protocol]") {
  SECTION("a handshake version: no discover, and the server must agree") {
    FakeTransport t;
    t.script = [](const json& m, FakeTransport& tr) { basic_server(m, tr, "2025-11-25"); };
    mcpleak::ClientOptions options;
    options.protocol.pinned = "2025-11-25";
    McpClient client(t, kNever, options);
    auto hello = client.initialize(5s);
    REQUIRE(hello);
    CHECK(hello->protocol_version == "2025-11-25");
    CHECK(t.sent().front()["method"] == "initialize");
    CHECK(t.sent().front()["params"]["protocolVersion"] == "2025-11-25");

    FakeTransport other;
    other.script = [](const json& m, FakeTransport& tr) { basic_server(m, tr, "2025-06-18"); };
    McpClient refusing(other, kNever, options);
    auto wrong = refusing.initialize(5s);
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().message.find("--protocol asked for 2025-11-25") != std::string::npos);
  }
  SECTION("2026-07-28: a server of the handshake era is an error, not a fallback") {
    FakeTransport t;
    t.script = [](const json& m, FakeTransport& tr) { basic_server(m, tr); };
    mcpleak::ClientOptions options;
    options.protocol.pinned = "2026-07-28";
    McpClient client(t, kNever, options);
    auto hello = client.initialize(5s);
    REQUIRE_FALSE(hello);
    CHECK(hello.error().code == Errc::protocol);
    for (const auto& m : t.sent()) CHECK(m.value("method", "") != "initialize");
  }
}

TEST_CASE("client fails a call whose result asks for input, and refuses elicitation requests",
          "[mcp][client][protocol]") {
  FakeTransport t;
  t.legacy_discover = false;
  t.script = [](const json& m, FakeTransport& tr) {
    if (is_request(m, "tools/call")) {
      tr.deliver(response(m["id"], {{"resultType", "input_required"},
                                    {"inputRequests", {{"k", {{"method", "elicitation/create"}}}}},
                                    {"requestState", "s"}}));
      return;
    }
    modern_server(m, tr);
  };
  McpClient client(t, kNever);
  REQUIRE(client.initialize(5s));
  const CallOutcome out = client.call_tool("Ask", json::object(), 5s);
  CHECK_FALSE(out.ok);
  CHECK(out.error.find("input_required") != std::string::npos);

  // 2025-11-25: the server asks the client directly, with an id that may be 0.
  t.deliver(json{{"jsonrpc", "2.0"}, {"id", 0}, {"method", "elicitation/create"}, {"params", json::object()}});
  const json answer = t.wait_sent([](const json& m) { return m.contains("error") && m["id"] == 0; });
  REQUIRE_FALSE(answer.is_null());
  CHECK(answer["error"]["message"].get<std::string>().find("not supported") != std::string::npos);
}

TEST_CASE("client asked to try the handshake first still reaches a 2026-07-28-only server",
          "[mcp][client][protocol]") {
  FakeTransport t;
  t.legacy_discover = false;
  t.script = modern_server;
  mcpleak::ClientOptions options;
  options.handshake_first = true;
  McpClient client(t, kNever, options);
  auto hello = client.initialize(5s);
  REQUIRE(hello);
  CHECK(hello->protocol_version == "2026-07-28");
  const auto sent = t.sent();
  REQUIRE(sent.size() >= 2);
  CHECK(sent[0]["method"] == "initialize");
  CHECK(sent[1]["method"] == "server/discover");

  FakeTransport both;
  both.script = [](const json& m, FakeTransport& tr) { basic_server(m, tr, "2025-11-25"); };
  McpClient old(both, kNever, options);
  auto hello_old = old.initialize(5s);
  REQUIRE(hello_old);
  CHECK(hello_old->protocol_version == "2025-11-25");
  CHECK(both.sent().front()["method"] == "initialize");
}
