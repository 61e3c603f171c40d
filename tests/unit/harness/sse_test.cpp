// harness/mcp/sse: the event-stream framing of Streamable HTTP responses, fed inline text
// in every chunking, with the line endings and fields the WHATWG standard allows.
#include <string>
#include <string_view>
#include <vector>

#include "harness/mcp/sse.h"
#include "tests/support/catch.h"

using mcpleak::SseDecoder;

namespace {

std::vector<std::string> decode(SseDecoder& d, const std::vector<std::string>& chunks) {
  std::vector<std::string> events;
  for (const auto& c : chunks) d.feed(c, [&](std::string_view data) { events.emplace_back(data); });
  return events;
}

std::vector<std::string> decode_bytewise(std::string_view text, std::size_t cap = 1 << 20) {
  SseDecoder d(cap);
  std::vector<std::string> chunks;
  for (char c : text) chunks.emplace_back(1, c);
  return decode(d, chunks);
}

}  // namespace

TEST_CASE("sse: one event per blank line, data lines joined with newlines", "[mcp][sse]") {
  SseDecoder d(1 << 20);
  const auto events = decode(d, {"event: message\ndata: {\"a\":1}\n\ndata: x\ndata: y\n\n"});
  REQUIRE(events == std::vector<std::string>{"{\"a\":1}", "x\ny"});
  CHECK(d.events() == 2);
}

TEST_CASE("sse: CRLF, CR and LF line endings, split anywhere, give the same events", "[mcp][sse]") {
  const std::vector<std::string> want{"{\"id\":1}", "two"};
  CHECK(decode_bytewise("data: {\"id\":1}\r\n\r\ndata: two\r\n\r\n") == want);
  CHECK(decode_bytewise("data: {\"id\":1}\r\rdata: two\r\r") == want);
  CHECK(decode_bytewise("data: {\"id\":1}\n\ndata: two\n\n") == want);
  SseDecoder d(1 << 20);
  // "\r" at the end of one chunk and "\n" at the start of the next are one line break.
  CHECK(decode(d, {"data: {\"id\":1}\r", "\n\r", "\ndata: two\r\n\r\n"}) == want);
}

TEST_CASE("sse: comments, id, retry and unknown fields are not data", "[mcp][sse]") {
  SseDecoder d(1 << 20);
  const auto events = decode(d, {": keep-alive\n\nid: 7\nretry: 100\nfoo: bar\ndata:no-space\n\n"});
  // The comment-only event has no data and is not reported.
  REQUIRE(events == std::vector<std::string>{"no-space"});
}

TEST_CASE("sse: a field with no colon is a field name with an empty value", "[mcp][sse]") {
  SseDecoder d(1 << 20);
  REQUIRE(decode(d, {"data\ndata: b\n\n"}) == std::vector<std::string>{"\nb"});
}

TEST_CASE("sse: an event cut off by the end of the stream is not reported", "[mcp][sse]") {
  SseDecoder d(1 << 20);
  CHECK(decode(d, {"data: complete\n\ndata: cut off\n"}) == std::vector<std::string>{"complete"});
}

TEST_CASE("sse: an event over the cap is dropped and counted, the next one survives", "[mcp][sse]") {
  SseDecoder d(64);
  const std::string big = "data: " + std::string(200, 'x') + "\n\n";
  const auto events = decode(d, {big.substr(0, 50), big.substr(50), "data: small\n\n"});
  REQUIRE(events == std::vector<std::string>{"small"});
  CHECK(d.oversized_events() == 1);
}
