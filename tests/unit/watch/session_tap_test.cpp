// harness/watch/session_tap: a watched session's traffic read into call records. Bytes
// are fed as the proxy sees them (split anywhere, batched, with junk); the records must
// say what happened, and nothing the client or server sent may be missed or made up.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/watch/session_tap.h"
#include "tests/support/catch.h"

using mcpleak::CallKind;
using mcpleak::CallRecord;
using mcpleak::SessionTap;

namespace {

const std::string kInitialize =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",)"
    R"("capabilities":{"sampling":{}},"clientInfo":{"name":"Claude Desktop","version":"1.2"}}})"
    "\n";
const std::string kInitialized = R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18",)"
                                 R"("capabilities":{},"serverInfo":{"name":"macos-mcp","version":"0.3"}}})"
                                 "\n";

std::string call(int id, const std::string& tool, const std::string& args = "{}") {
  return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":"tools/call","params":{"name":")" + tool +
         R"(","arguments":)" + args + "}}\n";
}
std::string ok(int id) { return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"result":{"content":[]}})" "\n"; }

}  // namespace

TEST_CASE("tap: a tools/call and its answer make one record with latency and sizes", "[watch][tap]") {
  SessionTap tap;
  tap.client_bytes(kInitialize, 0.0);
  tap.server_bytes(kInitialized, 0.01);
  const std::string request = call(2, "Snapshot", R"({"use_vision":false})");
  tap.client_bytes(request, 1.0);
  tap.server_bytes(ok(2), 1.25);
  const auto records = tap.take_records();
  REQUIRE(records.size() == 2);
  CHECK(records[0].method == "initialize");
  CHECK(records[0].kind == CallKind::protocol);
  const CallRecord& r = records[1];
  CHECK(r.tool == "Snapshot");
  CHECK(r.method == "tools/call");
  CHECK(r.kind == CallKind::scenario);
  CHECK(r.ok);
  CHECK(r.t_s == Approx(1.0));
  CHECK(r.latency_ms == Approx(250.0));
  CHECK(r.request_bytes == request.size() - 1);
  CHECK(r.response_bytes == ok(2).size() - 1);
  CHECK(tap.calls_done() == 1);
  CHECK(tap.server_name() == "macos-mcp 0.3");
  CHECK(tap.protocol_version() == "2025-06-18");
  REQUIRE(tap.client_identity());
  CHECK(tap.client_identity()->client_info["name"] == "Claude Desktop");
  CHECK(tap.client_identity()->capabilities.contains("sampling"));
  CHECK(tap.take_records().empty());
}

TEST_CASE("tap: bytes split anywhere give the same records as whole lines", "[watch][tap]") {
  const std::string client = kInitialize + call(2, "echo", R"({"text":"a\nb"})") + call(3, "echo");
  const std::string server = kInitialized + ok(3) + ok(2);
  for (std::size_t cut : {1ul, 7ul, 64ul, 1000ul}) {
    SessionTap tap;
    for (std::size_t i = 0; i < client.size(); i += cut) tap.client_bytes(client.substr(i, cut), 1.0);
    for (std::size_t i = 0; i < server.size(); i += cut) tap.server_bytes(server.substr(i, cut), 2.0);
    const auto records = tap.take_records();
    REQUIRE(records.size() == 3);
    CHECK(records[1].tool == "echo");  // id 3 answered first
    CHECK(records[1].request_bytes == call(3, "echo").size() - 1);
    CHECK(tap.calls_done() == 2);
  }
}

TEST_CASE("tap: a JSON-RPC error and an isError result are failed calls with their text", "[watch][tap]") {
  SessionTap tap;
  tap.client_bytes(call(1, "App") + call(2, "App"), 0);
  tap.server_bytes(R"({"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"bad name"}})" "\n", 0.1);
  tap.server_bytes(R"({"jsonrpc":"2.0","id":2,"result":{"isError":true,"content":[{"type":"text","text":"no app"}]}})"
                   "\n",
                   0.2);
  const auto records = tap.take_records();
  REQUIRE(records.size() == 2);
  CHECK_FALSE(records[0].ok);
  CHECK(records[0].error == "bad name (code -32602)");
  CHECK_FALSE(records[1].ok);
  CHECK(records[1].error == "isError: no app");
  CHECK(tap.calls_done() == 2);
}

TEST_CASE("tap: the server's requests to the client and their answers are protocol records", "[watch][tap]") {
  SessionTap tap;
  tap.client_bytes(call(5, "trigger-sampling-request"), 0);
  tap.server_bytes(R"({"jsonrpc":"2.0","id":0,"method":"sampling/createMessage","params":{}})" "\n", 0.1);
  tap.server_bytes(R"({"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info"}})" "\n", 0.15);
  tap.client_bytes(R"({"jsonrpc":"2.0","id":0,"result":{"role":"assistant"}})" "\n", 0.3);
  tap.server_bytes(ok(5), 0.4);
  const auto records = tap.take_records();
  REQUIRE(records.size() == 2);
  CHECK(records[0].method == "sampling/createMessage");
  CHECK(records[0].from_server);
  CHECK(records[0].kind == CallKind::protocol);
  CHECK(records[0].latency_ms == Approx(200.0));
  CHECK(records[1].tool == "trigger-sampling-request");
  CHECK_FALSE(records[1].from_server);
  const auto c = tap.counters();
  CHECK(c.server_requests == 1);
  CHECK(c.server_notifications == 1);
  CHECK(c.client_requests == 1);
  CHECK(tap.calls_done() == 1);  // the sampling request is not a call of the session
}

TEST_CASE("tap: batches, junk, answers to nothing and cancellations are counted, not invented", "[watch][tap]") {
  SessionTap tap;
  tap.client_bytes("[" + call(1, "echo").substr(0, call(1, "echo").size() - 1) + "," +
                       call(2, "echo").substr(0, call(2, "echo").size() - 1) + "]\n",
                   0);
  tap.server_bytes("Starting server on stdio...\n", 0.01);
  tap.server_bytes(ok(99), 0.02);
  tap.client_bytes(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2}})" "\n", 0.5);
  tap.server_bytes(R"([{"jsonrpc":"2.0","id":1,"result":{}}])" "\n", 0.6);
  const auto records = tap.take_records();
  REQUIRE(records.size() == 2);
  CHECK(records[0].tool == "echo");
  CHECK(records[0].interrupted);  // id 2, cancelled: no outcome
  CHECK(records[0].error == "cancelled by the client");
  CHECK(records[1].ok);  // id 1, from a batch
  const auto c = tap.counters();
  CHECK(c.server_non_json_lines == 1);
  CHECK(c.first_server_junk == "Starting server on stdio...");
  CHECK(c.unmatched_responses == 1);
  CHECK(c.cancelled == 1);
  CHECK(tap.calls_done() == 1);
}

TEST_CASE("tap: requests unanswered at the end become interrupted records", "[watch][tap]") {
  SessionTap tap;
  tap.client_bytes(call(1, "Snapshot"), 2.0);
  tap.server_bytes(R"({"jsonrpc":"2.0","id":"s1","method":"roots/list"})" "\n", 2.5);
  tap.end_session(10.0);
  const auto records = tap.take_records();
  REQUIRE(records.size() == 2);
  for (const auto& r : records) {
    CHECK(r.interrupted);
    CHECK_FALSE(r.ok);
    CHECK(r.error == "no response before the session ended");
  }
  CHECK(tap.calls_done() == 0);
}

TEST_CASE("tap: tool arguments are kept only when recording, in order", "[watch][tap]") {
  SessionTap quiet;
  quiet.client_bytes(call(1, "App", R"({"name":"Finder"})"), 0);
  CHECK(quiet.tool_calls().empty());

  SessionTap recording(64u << 20, true);
  recording.client_bytes(call(1, "App", R"({"name":"Finder"})") + call(2, "Snapshot"), 3.0);
  recording.client_bytes(R"({"jsonrpc":"2.0","id":3,"method":"resources/read","params":{"uri":"x"}})" "\n", 4.0);
  const auto calls = recording.tool_calls();
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].tool == "App");
  CHECK(calls[0].args == nlohmann::json{{"name", "Finder"}});
  CHECK(calls[1].tool == "Snapshot");
  CHECK(calls[1].args == nlohmann::json::object());
}

TEST_CASE("tap: a 2026-07-28 client says who it is in each request's _meta", "[watch][tap]") {
  SessionTap tap;
  tap.client_bytes(
      R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",)"
      R"("io.modelcontextprotocol/clientCapabilities":{"roots":{}},"io.modelcontextprotocol/clientInfo":{"name":"c2"}}}})"
      "\n",
      0);
  REQUIRE(tap.client_identity());
  CHECK(tap.client_identity()->protocol_version == "2026-07-28");
  CHECK(tap.client_identity()->client_info["name"] == "c2");
  CHECK(tap.protocol_version() == "2026-07-28");
}

TEST_CASE("tap: only calls that do work count", "[watch][tap]") {
  for (const char* m : {"tools/call", "resources/read", "prompts/get", "completion/complete"}) {
    CHECK(mcpleak::is_counted_call(m));
  }
  for (const char* m : {"initialize", "ping", "tools/list", "logging/setLevel", "resources/subscribe"}) {
    CHECK_FALSE(mcpleak::is_counted_call(m));
  }
}

// The proxy's two directions feed the tap from two threads. A client that answers a
// server's request at once can reach the tap before that request does (found in the
// e2e test with server-everything under load: the sampling request was recorded as
// never answered). Read times are taken before forwarding, so the answer's is later.
TEST_CASE("tap: an answer that reaches the tap before its request still pairs with it", "[watch][tap]") {
  SessionTap tap;
  tap.client_bytes(kInitialize, 0.0);
  tap.server_bytes(kInitialized, 0.01);
  tap.client_bytes(call(5, "trigger-sampling-request"), 1.0);
  // The client's answer to the server's request id 0, shown before the request itself.
  tap.client_bytes(R"({"jsonrpc":"2.0","id":0,"result":{"role":"assistant","content":{"type":"text","text":"hi"}}})"
                   "\n",
                   1.30);
  tap.server_bytes(R"({"jsonrpc":"2.0","id":0,"method":"sampling/createMessage","params":{}})" "\n", 1.10);
  // And the other way: the server's answer to id 6 before the client's request id 6.
  tap.server_bytes(ok(6), 2.5);
  tap.client_bytes(call(6, "echo"), 2.0);
  tap.server_bytes(ok(5), 1.40);
  tap.end_session(3.0);

  std::vector<CallRecord> records = tap.take_records();
  std::vector<CallRecord> calls;
  const CallRecord* sampling = nullptr;
  for (const auto& r : records) {
    if (r.method == "sampling/createMessage") sampling = &r;
  }
  REQUIRE(sampling != nullptr);
  CHECK(sampling->ok);
  CHECK(sampling->from_server);
  CHECK_FALSE(sampling->interrupted);
  CHECK(sampling->latency_ms == Approx(200).margin(1e-6));
  for (const auto& r : records) {
    if (r.method == "tools/call") calls.push_back(r);
  }
  REQUIRE(calls.size() == 2);
  for (const auto& c : calls) {
    INFO(c.tool);
    CHECK(c.ok);
    CHECK(c.latency_ms > 0);
  }
  CHECK(tap.counters().unmatched_responses == 0);
  CHECK(tap.calls_done() == 2);
}

TEST_CASE("tap: a held answer read before a request does not answer a later request with the same id",
          "[watch][tap]") {
  SessionTap tap;
  tap.server_bytes(ok(7), 1.0);  // answers nothing seen so far: held, its request may still come
  CHECK(tap.counters().unmatched_responses == 0);
  tap.client_bytes(call(7, "echo"), 2.0);  // sent after that answer was read: not its answer
  CHECK(tap.counters().unmatched_responses == 1);  // the client's bytes up to 2.0 are in: it answers nothing
  tap.end_session(3.0);
  const auto records = tap.take_records();
  REQUIRE(records.size() == 1);
  CHECK_FALSE(records[0].ok);
  CHECK(records[0].error == "no response before the session ended");
  CHECK(tap.counters().unmatched_responses == 1);
}

// The same race for initialize: the server's answer names it and the protocol version.
TEST_CASE("tap: an initialize answer that reaches the tap first still names the server", "[watch][tap]") {
  SessionTap tap;
  tap.server_bytes(kInitialized, 0.01);
  tap.client_bytes(kInitialize, 0.0);
  CHECK(tap.server_name() == "macos-mcp 0.3");
  CHECK(tap.protocol_version() == "2025-06-18");
  const auto records = tap.take_records();
  REQUIRE(records.size() == 1);
  CHECK(records[0].method == "initialize");
  CHECK(records[0].ok);
}

// Answers to cancelled requests (or to ids nobody sent) must not fill the held answers
// for good: once they can answer nothing they are dropped, and a real early answer
// hours later still pairs.
TEST_CASE("tap: stale held answers are dropped and do not crowd out later early answers", "[watch][tap]") {
  SessionTap tap;
  double t = 1.0;
  for (int id = 1000; id < 1600; ++id) {  // 600 answers to nothing, each then overtaken by client bytes
    tap.server_bytes(ok(id), t);
    tap.client_bytes(R"({"jsonrpc":"2.0","method":"notifications/progress","params":{}})" "\n", t + 0.001);
    t += 0.01;
  }
  CHECK(tap.counters().unmatched_responses == 600);
  tap.client_bytes(call(5, "trigger-sampling-request"), t);
  tap.client_bytes(R"({"jsonrpc":"2.0","id":0,"result":{}})" "\n", t + 0.3);
  tap.server_bytes(R"({"jsonrpc":"2.0","id":0,"method":"sampling/createMessage","params":{}})" "\n", t + 0.1);
  tap.server_bytes(ok(5), t + 0.4);
  const auto records = tap.take_records();
  REQUIRE(records.size() == 2);
  for (const auto& r : records) {
    INFO(r.method);
    CHECK(r.ok);
  }
  CHECK(tap.counters().unmatched_responses == 600);
}
