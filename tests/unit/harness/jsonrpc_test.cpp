// harness/mcp/jsonrpc: line framing of the stdio stream (split feeds, CRLF, the line cap)
// and classification of JSON-RPC 2.0 messages, fed inline text.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/mcp/jsonrpc.h"
#include "tests/support/catch.h"

using mcpleak::classify_line;
using mcpleak::Incoming;
using mcpleak::LineSplitter;
using mcpleak::MessageKind;
using nlohmann::json;

namespace {

// Feeds each chunk in turn and returns every line delivered, copied.
std::vector<std::string> feed_all(LineSplitter& splitter, const std::vector<std::string>& chunks) {
  std::vector<std::string> lines;
  for (const auto& c : chunks) {
    splitter.feed(c, [&](std::string_view line) { lines.emplace_back(line); });
  }
  return lines;
}

Incoming only(std::string_view line) {
  auto all = classify_line(line);
  REQUIRE(all.size() == 1);
  return all.front();
}

}  // namespace

TEST_CASE("line splitter joins a line split across feeds", "[mcp][jsonrpc]") {
  LineSplitter s(1024);
  const auto lines = feed_all(s, {"{\"a\":", "1}\n{\"b\"", ":2}\n"});
  REQUIRE(lines == std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"});
  CHECK(s.pending_bytes() == 0);
  CHECK(s.oversized_lines() == 0);
}

TEST_CASE("line splitter keeps an unterminated tail pending", "[mcp][jsonrpc]") {
  LineSplitter s(1024);
  const auto lines = feed_all(s, {"one\ntw"});
  REQUIRE(lines == std::vector<std::string>{"one"});
  CHECK(s.pending_bytes() == 2);
  const auto more = feed_all(s, {"o\n"});
  CHECK(more == std::vector<std::string>{"two"});
}

TEST_CASE("line splitter drops the CR of CRLF, also when CR and LF arrive apart", "[mcp][jsonrpc]") {
  LineSplitter s(1024);
  const auto lines = feed_all(s, {"a\r\nb\r", "\nc\n"});
  REQUIRE(lines == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("line splitter delivers empty lines as empty", "[mcp][jsonrpc]") {
  LineSplitter s(1024);
  const auto lines = feed_all(s, {"\n\r\nx\n\n"});
  REQUIRE(lines == std::vector<std::string>{"", "", "x", ""});
}

TEST_CASE("line splitter drops a line over the cap, counts it, and the next line works",
          "[mcp][jsonrpc]") {
  LineSplitter s(8);
  // GIVEN a 9-byte line between two short ones, all in one chunk.
  const auto lines = feed_all(s, {"short\n123456789\nafter\n"});
  REQUIRE(lines == std::vector<std::string>{"short", "after"});
  CHECK(s.oversized_lines() == 1);
  CHECK(s.pending_bytes() == 0);
}

TEST_CASE("line splitter accepts a line of exactly the cap", "[mcp][jsonrpc]") {
  LineSplitter s(8);
  const auto lines = feed_all(s, {"12345678\n"});
  REQUIRE(lines == std::vector<std::string>{"12345678"});
  CHECK(s.oversized_lines() == 0);
}

TEST_CASE("line splitter: cap hit mid-line, newline in a later chunk", "[mcp][jsonrpc]") {
  LineSplitter s(8);
  // The cap is passed inside the first chunk; the rest of the line (still no newline)
  // and then its end arrive later. None of it may be buffered or delivered.
  auto lines = feed_all(s, {"0123456789", "abcdefghijklmnop"});
  CHECK(lines.empty());
  CHECK(s.oversized_lines() == 1);
  CHECK(s.pending_bytes() == 0);
  lines = feed_all(s, {"tail-of-long\nok\n"});
  REQUIRE(lines == std::vector<std::string>{"ok"});
  CHECK(s.oversized_lines() == 1);
}

TEST_CASE("line splitter: cap passed by the joined parts of a line", "[mcp][jsonrpc]") {
  LineSplitter s(8);
  // Each part is under the cap; together they are not.
  const auto lines = feed_all(s, {"12345", "6789\nok\n"});
  REQUIRE(lines == std::vector<std::string>{"ok"});
  CHECK(s.oversized_lines() == 1);
}

TEST_CASE("line splitter counts each oversized line once", "[mcp][jsonrpc]") {
  LineSplitter s(4);
  const auto lines = feed_all(s, {"aaaaaa", "aaaa", "aa\nbbbbbbbbb\nc\n"});
  REQUIRE(lines == std::vector<std::string>{"c"});
  CHECK(s.oversized_lines() == 2);
}

TEST_CASE("classify: response, error, request, notification", "[mcp][jsonrpc]") {
  SECTION("response") {
    const auto in = only(R"({"jsonrpc":"2.0","id":4,"result":{"x":1}})");
    CHECK(in.kind == MessageKind::response);
    CHECK(in.id == 4);
    CHECK(in.payload == json{{"x", 1}});
  }
  SECTION("error") {
    const auto in = only(R"({"jsonrpc":"2.0","id":5,"error":{"code":-32000,"message":"no"}})");
    CHECK(in.kind == MessageKind::error);
    CHECK(in.id == 5);
    CHECK(in.payload["code"] == -32000);
  }
  SECTION("request from the server") {
    const auto in = only(R"({"jsonrpc":"2.0","id":"s1","method":"ping"})");
    CHECK(in.kind == MessageKind::request);
    CHECK(in.id == "s1");
    CHECK(in.method == "ping");
    CHECK(in.payload == json::object());  // absent params read as {}
  }
  SECTION("notification") {
    const auto in = only(R"({"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info"}})");
    CHECK(in.kind == MessageKind::notification);
    CHECK(in.id.is_null());
    CHECK(in.method == "notifications/message");
    CHECK(in.payload == json{{"level", "info"}});
  }
}

TEST_CASE("classify: invalid messages say what is wrong", "[mcp][jsonrpc]") {
  struct Case {
    const char* line;
    const char* problem;
  };
  const std::vector<Case> cases = {
      {"Starting server on stdio...", "not JSON"},
      {"42", "not a JSON object"},
      {R"("hello")", "not a JSON object"},
      {R"({"id":1,"result":{}})", "missing \"jsonrpc\": \"2.0\""},
      {R"({"jsonrpc":"1.0","id":1,"result":{}})", "missing \"jsonrpc\": \"2.0\""},
      {R"({"jsonrpc":"2.0","id":1,"method":7})", "\"method\" is not a string"},
      {R"({"jsonrpc":"2.0"})", "neither \"method\" nor \"id\""},
      {R"({"jsonrpc":"2.0","id":1})", "response without \"result\" or \"error\""},
      {"[]", "empty batch"},
  };
  for (const auto& c : cases) {
    INFO(c.line);
    const auto in = only(c.line);
    CHECK(in.kind == MessageKind::invalid);
    CHECK(in.problem == c.problem);
  }
}

TEST_CASE("classify: blank lines yield nothing", "[mcp][jsonrpc]") {
  CHECK(classify_line("").empty());
  CHECK(classify_line("   \t\r").empty());
}

TEST_CASE("classify: a batch yields one message per element, invalid ones included",
          "[mcp][jsonrpc]") {
  const auto all = classify_line(
      R"([{"jsonrpc":"2.0","id":1,"result":{}},{"jsonrpc":"2.0","method":"n"},3])");
  REQUIRE(all.size() == 3);
  CHECK(all[0].kind == MessageKind::response);
  CHECK(all[1].kind == MessageKind::notification);
  CHECK(all[2].kind == MessageKind::invalid);
}

TEST_CASE("builders round-trip through classify_line", "[mcp][jsonrpc]") {
  const json params = {{"name", "echo"}, {"arguments", {{"message", "two\nlines \"quoted\""}}}};
  SECTION("request") {
    const std::string msg = mcpleak::make_request(17, "tools/call", params);
    CHECK(msg.find('\n') == std::string::npos);  // one message is one line
    const auto in = only(msg);
    CHECK(in.kind == MessageKind::request);
    CHECK(in.id == 17);
    CHECK(in.method == "tools/call");
    CHECK(in.payload == params);
  }
  SECTION("request without params") {
    const std::string msg = mcpleak::make_request(1, "ping", nullptr);
    CHECK(json::parse(msg).contains("params") == false);
    CHECK(only(msg).kind == MessageKind::request);
  }
  SECTION("notification") {
    const std::string msg = mcpleak::make_notification("notifications/initialized", nullptr);
    const auto in = only(msg);
    CHECK(in.kind == MessageKind::notification);
    CHECK(in.method == "notifications/initialized");
    CHECK_FALSE(json::parse(msg).contains("id"));
  }
  SECTION("result with a string id") {
    const auto in = only(mcpleak::make_result("abc", params));
    CHECK(in.kind == MessageKind::response);
    CHECK(in.id == "abc");
    CHECK(in.payload == params);
  }
  SECTION("error") {
    const std::string msg = mcpleak::make_error(9, mcpleak::kMethodNotFound, "no\nsuch method");
    CHECK(msg.find('\n') == std::string::npos);
    const auto in = only(msg);
    CHECK(in.kind == MessageKind::error);
    CHECK(in.id == 9);
    CHECK(in.payload["code"] == -32601);
    CHECK(in.payload["message"] == "no\nsuch method");
  }
}
