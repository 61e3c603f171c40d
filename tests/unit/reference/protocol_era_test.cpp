// Era classification of single requests, the 2026-07-28 errors, and the HTTP header
// checks, as pure functions of JSON and header values. Requests are shaped like the v2
// TypeScript SDK's (see the captured transcripts in the protocol notes).
#include "reference/protocol_era.h"

#include "tests/support/catch.h"

using namespace mcpleak::axref;
using nlohmann::json;

namespace {

json envelope(const json& version = "2026-07-28") {
  return {{kMetaProtocolVersion, version},
          {kMetaClientInfo, {{"name", "probe"}, {"version", "0"}}},
          {kMetaClientCapabilities, json::object()}};
}

json request(const std::string& method, json params) {
  return {{"jsonrpc", "2.0"}, {"id", 3}, {"method", method}, {"params", std::move(params)}};
}

json snapshot_call(json meta = envelope()) {
  return request("tools/call",
                 {{"name", "Snapshot"}, {"arguments", json::object()}, {"_meta", std::move(meta)}});
}

ModernHeaders good_headers() {
  return {std::string("2026-07-28"), std::string("tools/call"), std::string("Snapshot")};
}

}  // namespace

TEST_CASE("era: a request with a valid 2026-07-28 envelope is modern", "[reference]") {
  const EraCheck check = classify_request(snapshot_call());
  CHECK(check.era == RequestEra::modern);
  CHECK(check.version == "2026-07-28");
  CHECK(check.error.is_null());
  // clientInfo is optional, and other _meta keys (progressToken, logLevel) are ignored.
  json meta = envelope();
  meta.erase(kMetaClientInfo);
  meta["progressToken"] = 7;
  CHECK(classify_request(snapshot_call(meta)).era == RequestEra::modern);
  // Notifications are classified too (the HTTP transport answers them 202).
  json note = {{"jsonrpc", "2.0"},
               {"method", "notifications/cancelled"},
               {"params", {{"requestId", 5}, {"_meta", envelope()}}}};
  CHECK(classify_request(note).era == RequestEra::modern);
}

TEST_CASE("era: no version claim in params._meta is the handshake era", "[reference]") {
  CHECK(classify_request(request("initialize", {{"protocolVersion", "2025-11-25"}})).era ==
        RequestEra::handshake);
  CHECK(classify_request({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "ping"}}).era ==
        RequestEra::handshake);
  CHECK(classify_request(request("server/discover", json::object())).era == RequestEra::handshake);
  CHECK(classify_request(request("tools/list", {{"_meta", {{"progressToken", 1}}}})).era ==
        RequestEra::handshake);
  CHECK(classify_request(request("tools/list", {{"_meta", "2026-07-28"}})).era ==
        RequestEra::handshake);
  CHECK(classify_request(request("tools/list", json::array({1}))).era == RequestEra::handshake);
  // A response carrying an envelope-shaped params is not a request.
  CHECK(classify_request({{"jsonrpc", "2.0"},
                          {"id", 1},
                          {"result", json::object()},
                          {"params", {{"_meta", envelope()}}}})
            .era == RequestEra::handshake);
  CHECK(classify_request(json::array()).era == RequestEra::handshake);
  CHECK(classify_request("text").era == RequestEra::handshake);
}

TEST_CASE("era: another version in the envelope is -32022 listing 2026-07-28", "[reference]") {
  for (const char* v : {"2099-01-01", "2025-11-25", "2025-06-18", ""}) {
    const EraCheck check = classify_request(snapshot_call(envelope(v)));
    CHECK(check.era == RequestEra::unsupported_version);
    CHECK(check.version == v);
    CHECK(check.error["code"] == -32022);
    CHECK(check.error["message"] == std::string("Unsupported protocol version: ") + v);
    CHECK(check.error["data"] ==
          json{{"supported", json::array({"2026-07-28"})}, {"requested", v}});
  }
  // The version is judged before the rest of the envelope.
  json meta = envelope("2099-01-01");
  meta.erase(kMetaClientCapabilities);
  CHECK(classify_request(snapshot_call(meta)).era == RequestEra::unsupported_version);
}

TEST_CASE("era: a broken envelope is -32602 naming the key and the problem", "[reference]") {
  struct Case {
    const char* label;
    json meta;
    const char* key;
    const char* problem;
  };
  json no_caps = envelope();
  no_caps.erase(kMetaClientCapabilities);
  json array_caps = envelope();
  array_caps[kMetaClientCapabilities] = json::array();
  json string_info = envelope();
  string_info[kMetaClientInfo] = "probe";
  json nameless_info = envelope();
  nameless_info[kMetaClientInfo] = {{"version", "0"}};
  const std::vector<Case> cases = {
      {"number version", envelope(20260728), kMetaProtocolVersion, "not a string"},
      {"no capabilities", no_caps, kMetaClientCapabilities, "missing"},
      {"array capabilities", array_caps, kMetaClientCapabilities, "not an object"},
      {"string clientInfo", string_info, kMetaClientInfo,
       "not an object with string name and version"},
      {"clientInfo without name", nameless_info, kMetaClientInfo,
       "not an object with string name and version"},
  };
  for (const auto& c : cases) {
    INFO(c.label);
    const EraCheck check = classify_request(snapshot_call(c.meta));
    CHECK(check.era == RequestEra::broken_envelope);
    CHECK(check.error["code"] == -32602);
    CHECK(check.error["data"]["envelope"] == json{{"key", c.key}, {"problem", c.problem}});
    CHECK(check.error["message"].get<std::string>().find(c.key) != std::string::npos);
  }
}

TEST_CASE("era: initialize offers the handshake versions, 2025-11-25 newest", "[reference]") {
  for (const char* v : {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"}) {
    CHECK(negotiate_protocol_version(v) == v);
  }
  CHECK(negotiate_protocol_version("2026-07-28") == "2025-11-25");
  CHECK(negotiate_protocol_version("2099-01-01") == "2025-11-25");
  CHECK(negotiate_protocol_version(json()) == "2025-11-25");
  CHECK(negotiate_protocol_version(20251125) == "2025-11-25");
}

TEST_CASE("era: modern results carry resultType and serverInfo", "[reference]") {
  const json r = modern_result({{"content", json::array()}, {"_meta", {{"x.example/k", 1}}}});
  CHECK(r["resultType"] == "complete");
  CHECK(r["_meta"][kMetaServerInfo] == json{{"name", "axref"}, {"version", kAxrefVersion}});
  CHECK(r["_meta"]["x.example/k"] == 1);
  CHECK(r["content"] == json::array());
  CHECK(modern_result(json::object())["_meta"][kMetaServerInfo]["name"] == "axref");
}

TEST_CASE("era: the missing-envelope error lists the required keys", "[reference]") {
  const json e = missing_envelope_error();
  CHECK(e["code"] == -32602);
  CHECK(e["data"]["envelope"]["missing"] ==
        json::array({kMetaProtocolVersion, kMetaClientCapabilities}));
}

TEST_CASE("headers: matching headers pass", "[reference]") {
  CHECK_FALSE(check_modern_headers(snapshot_call(), good_headers()));
  // Methods without a name need no Mcp-Name, and a stray one is not looked at.
  const json list = request("tools/list", {{"_meta", envelope()}});
  CHECK_FALSE(check_modern_headers(
      list, {std::string("2026-07-28"), std::string("tools/list"), std::nullopt}));
  CHECK_FALSE(check_modern_headers(
      list, {std::string("2026-07-28"), std::string("tools/list"), std::string("Snapshot")}));
  // resources/read names its uri.
  const json read = request("resources/read", {{"uri", "file:///a"}, {"_meta", envelope()}});
  CHECK_FALSE(check_modern_headers(
      read, {std::string("2026-07-28"), std::string("resources/read"), std::string("file:///a")}));
  // A tools/call without params.name leaves the -32602 to the protocol.
  const json nameless = request("tools/call", {{"_meta", envelope()}});
  CHECK_FALSE(check_modern_headers(
      nameless, {std::string("2026-07-28"), std::string("tools/call"), std::nullopt}));
}

TEST_CASE("headers: a missing or disagreeing header is -32020 naming it", "[reference]") {
  struct Case {
    const char* label;
    ModernHeaders headers;
    const char* header;
    json received;
    const char* body;
  };
  auto with = [](auto change) {
    ModernHeaders h = good_headers();
    change(h);
    return h;
  };
  const std::vector<Case> cases = {
      {"version missing", with([](ModernHeaders& h) { h.protocol_version.reset(); }),
       "MCP-Protocol-Version", nullptr, "2026-07-28"},
      {"version differs", with([](ModernHeaders& h) { h.protocol_version = "2025-11-25"; }),
       "MCP-Protocol-Version", "2025-11-25", "2026-07-28"},
      {"method missing", with([](ModernHeaders& h) { h.method.reset(); }), "Mcp-Method", nullptr,
       "tools/call"},
      {"method differs", with([](ModernHeaders& h) { h.method = "tools/list"; }), "Mcp-Method",
       "tools/list", "tools/call"},
      {"method case differs", with([](ModernHeaders& h) { h.method = "Tools/Call"; }), "Mcp-Method",
       "Tools/Call", "tools/call"},
      {"name missing", with([](ModernHeaders& h) { h.name.reset(); }), "Mcp-Name", nullptr,
       "Snapshot"},
      {"name differs", with([](ModernHeaders& h) { h.name = "Diagnostics"; }), "Mcp-Name",
       "Diagnostics", "Snapshot"},
      {"name is bad base64", with([](ModernHeaders& h) { h.name = "=?base64?U25h!?="; }),
       "Mcp-Name", "=?base64?U25h!?=", "Snapshot"},
  };
  for (const auto& c : cases) {
    INFO(c.label);
    const auto error = check_modern_headers(snapshot_call(), c.headers);
    REQUIRE(error);
    CHECK((*error)["code"] == -32020);
    CHECK((*error)["data"]["mismatch"] ==
          json{{"header", c.header}, {"received", c.received}, {"body", c.body}});
    CHECK((*error)["message"].get<std::string>().find(c.header) != std::string::npos);
  }
}

TEST_CASE("headers: Mcp-Name in the Base64 sentinel form is decoded first", "[reference]") {
  ModernHeaders h = good_headers();
  h.name = "=?base64?U25hcHNob3Q=?=";  // "Snapshot"
  CHECK_FALSE(check_modern_headers(snapshot_call(), h));
  h.name = "=?base64?U25hcHNob3Q?=";  // padding left out
  CHECK_FALSE(check_modern_headers(snapshot_call(), h));
  CHECK(decode_header_value("=?base64?SGVsbG8sIOS4lueVjA==?=") == std::string("Hello, 世界"));
  CHECK(decode_header_value("=?base64?IHBhZGRlZCA=?=") == std::string(" padded "));
  CHECK(decode_header_value("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=") ==
        std::string("=?base64?literal?="));
  CHECK(decode_header_value("us-west1") == std::string("us-west1"));
  CHECK(decode_header_value("=?BASE64?eA==?=") ==
        std::string("=?BASE64?eA==?="));  // case-sensitive
  const std::string empty_sentinel = std::string("=?base64?") + "?=";  // "?" "?=" is a trigraph
  CHECK(decode_header_value(empty_sentinel) == std::string());
  CHECK_FALSE(decode_header_value("=?base64?A?="));    // a stray sixth of a byte
  CHECK_FALSE(decode_header_value("=?base64?a b?="));  // not Base64
}
