// JSON-RPC / MCP handling as a function of the request, against the synthetic backend.
#include "reference/protocol.h"

#include "reference/backend_synthetic.h"
#include "tests/support/catch.h"

using namespace mcpleak::axref;
using nlohmann::json;

namespace {
struct Fixture {
  explicit Fixture(InjectionConfig injections = {}) : injector(injections, counters) {}

  Counters counters;
  Injector injector;
  SyntheticBackend backend{[] {
                             BackendOptions o;
                             o.tree_nodes = 30;
                             return o;
                           }(),
                           counters, injector};
  ToolBox tools{backend, injector, counters};
  Protocol protocol{tools};

  json request(const json& message) {
    auto line = protocol.handle_line(message.dump());
    REQUIRE(line);
    return json::parse(*line);
  }
  json call(const std::string& name, const json& args) {
    return request({{"jsonrpc", "2.0"}, {"id", 9}, {"method", "tools/call"},
                    {"params", {{"name", name}, {"arguments", args}}}});
  }
  // A 2026-07-28 request: params with the _meta envelope the v2 SDK client sends.
  json modern(const std::string& method, json params = json::object(), json id = 11) {
    params["_meta"] = {{kMetaProtocolVersion, "2026-07-28"},
                       {kMetaClientInfo, {{"name", "protocol_test"}, {"version", "0"}}},
                       {kMetaClientCapabilities, json::object()}};
    return request({{"jsonrpc", "2.0"}, {"id", std::move(id)}, {"method", method},
                    {"params", std::move(params)}});
  }
  json modern_call(const std::string& name, const json& args) {
    return modern("tools/call", {{"name", name}, {"arguments", args}});
  }
};

const json kServerInfo = {{"name", "axref"}, {"version", kAxrefVersion}};

}  // namespace

TEST_CASE("initialize negotiates the protocol version", "[reference]") {
  Fixture f;
  for (const char* v : {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"}) {
    auto r = f.request({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"},
                        {"params", {{"protocolVersion", v}, {"capabilities", json::object()}}}});
    CHECK(r["id"] == 1);
    CHECK(r["result"]["protocolVersion"] == v);
    CHECK(r["result"]["capabilities"]["tools"].is_object());
    CHECK(r["result"]["serverInfo"]["name"] == "axref");
  }
  auto future = f.request({{"jsonrpc", "2.0"}, {"id", "a"}, {"method", "initialize"},
                           {"params", {{"protocolVersion", "2099-01-01"}}}});
  CHECK(future["id"] == "a");
  CHECK(future["result"]["protocolVersion"] == "2025-11-25");
  // 2026-07-28 never goes through initialize: offered there, the newest handshake answers.
  auto modern = f.request({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "initialize"},
                           {"params", {{"protocolVersion", "2026-07-28"}}}});
  CHECK(modern["result"]["protocolVersion"] == "2025-11-25");
  // Handshake-era results stay as they were: no resultType, no _meta.
  CHECK_FALSE(modern["result"].contains("resultType"));
  CHECK_FALSE(modern["result"].contains("_meta"));
}

TEST_CASE("notifications get no answer, ping gets an empty result", "[reference]") {
  Fixture f;
  CHECK_FALSE(f.protocol.handle_line(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"));
  CHECK_FALSE(f.protocol.handle_line("   "));
  auto r = f.request({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "ping"}});
  CHECK(r["result"] == json::object());
}

TEST_CASE("tools/list names the four tools with object schemas", "[reference]") {
  Fixture f;
  auto r = f.request({{"jsonrpc", "2.0"}, {"id", 3}, {"method", "tools/list"}});
  std::vector<std::string> names;
  for (const auto& t : r["result"]["tools"]) {
    names.push_back(t["name"]);
    CHECK(t["inputSchema"]["type"] == "object");
  }
  CHECK(names == std::vector<std::string>{"Snapshot", "App", "Wait", "Diagnostics"});
  CHECK(r["result"]["tools"][0]["inputSchema"]["properties"]["use_vision"]["type"] == "boolean");
  CHECK(r["result"]["tools"][1]["inputSchema"]["properties"]["mode"]["enum"].size() == 4);
}

TEST_CASE("tools/call Snapshot returns the tree as text, and an image with use_vision", "[reference]") {
  Fixture f;
  auto r = f.call("Snapshot", {{"use_vision", false}});
  const auto& content = r["result"]["content"];
  REQUIRE(content.size() == 1);
  CHECK(content[0]["type"] == "text");
  CHECK(content[0]["text"].get<std::string>().find("Accessibility Tree (30 nodes)") != std::string::npos);
  CHECK_FALSE(r["result"].contains("isError"));
  auto v = f.call("Snapshot", {{"use_vision", true}});
  REQUIRE(v["result"]["content"].size() == 2);
  CHECK(v["result"]["content"][1]["type"] == "image");
  CHECK(v["result"]["content"][1]["mimeType"] == "image/png");
  CHECK(v["result"]["content"][1]["data"].get<std::string>().rfind("iVBORw0KGgo", 0) == 0);
}

TEST_CASE("tools/call errors are results with isError", "[reference]") {
  Fixture f;
  CHECK(f.call("Snapshot", {{"use_vision", "yes"}})["result"]["isError"] == true);
  CHECK(f.call("App", {{"mode", "switch"}, {"name", "Mail"}})["result"]["isError"] == true);
  CHECK(f.call("App", {{"mode", "move"}, {"window_loc", {1}}})["result"]["isError"] == true);
  CHECK(f.call("Wait", json::object())["result"]["isError"] == true);
  auto ok = f.call("App", {{"mode", "switch"}, {"name", "safari"}});
  CHECK_FALSE(ok["result"].contains("isError"));
  CHECK(ok["result"]["content"][0]["text"] == "Switched to Safari.");
}

TEST_CASE("Wait 0 answers at once", "[reference]") {
  Fixture f;
  auto r = f.call("Wait", {{"duration", 0}});
  CHECK(r["result"]["content"][0]["text"] == "Waited for 0 seconds.");
}

TEST_CASE("Diagnostics reports live counters as JSON text", "[reference]") {
  Fixture f;
  f.call("Snapshot", json::object());
  f.call("Snapshot", json::object());
  auto r = f.call("Diagnostics", json::object());
  auto d = json::parse(r["result"]["content"][0]["text"].get<std::string>());
  CHECK(d["snapshots"] == 2);
  CHECK(d["observers"] == 1);
  CHECK(d["elements"] == 0);
  CHECK(d["cache_bytes"] == SyntheticBackend::kObserverBytes);
  CHECK(d["backend"] == "synthetic");
  CHECK(d["injections"]["observer-retry"]["active"] == false);
}

TEST_CASE("unknown methods, unknown tools and malformed input are JSON-RPC errors", "[reference]") {
  Fixture f;
  auto unknown = f.request({{"jsonrpc", "2.0"}, {"id", 5}, {"method", "resources/list"}});
  CHECK(unknown["error"]["code"] == -32601);
  CHECK(unknown["id"] == 5);
  auto tool = f.call("Click", json::object());
  CHECK(tool["error"]["code"] == -32602);
  auto line = f.protocol.handle_line(R"({"jsonrpc":"2.0","id":6,"method":)");
  REQUIRE(line);
  auto parsed = json::parse(*line);
  CHECK(parsed["error"]["code"] == -32700);
  CHECK(parsed["id"].is_null());
  auto not_object = f.request(json::array({1, 2}));
  CHECK(not_object["error"]["code"] == -32600);
}

TEST_CASE("2026-07-28: server/discover lists the version, capabilities and serverInfo", "[reference]") {
  Fixture f;
  auto r = f.modern("server/discover", json::object(), "server-discover-probe-1");
  CHECK(r["id"] == "server-discover-probe-1");
  const json expected = {{"supportedVersions", json::array({"2026-07-28"})},
                         {"capabilities", {{"tools", json::object()}}},
                         {"resultType", "complete"},
                         {"ttlMs", 0},
                         {"cacheScope", "private"},
                         {"_meta", {{kMetaServerInfo, kServerInfo}}}};
  CHECK(r["result"] == expected);
}

TEST_CASE("2026-07-28: tools/call Snapshot and Diagnostics work with the envelope", "[reference]") {
  Fixture f;
  auto snap = f.modern_call("Snapshot", {{"use_vision", false}});
  CHECK(snap["id"] == 11);
  CHECK(snap["result"]["resultType"] == "complete");
  CHECK(snap["result"]["_meta"][kMetaServerInfo] == kServerInfo);
  REQUIRE(snap["result"]["content"].size() == 1);
  const std::string text = snap["result"]["content"][0]["text"];
  CHECK(text.find("Accessibility Tree (30 nodes)") != std::string::npos);
  CHECK(f.counters.snapshots == 1);

  auto diag = f.modern_call("Diagnostics", json::object());
  CHECK(diag["result"]["resultType"] == "complete");
  const json d = json::parse(diag["result"]["content"][0]["text"].get<std::string>());
  CHECK(d["snapshots"] == 1);

  auto list = f.modern("tools/list");
  CHECK(list["result"]["tools"].size() == 4);
  CHECK(list["result"]["resultType"] == "complete");
  CHECK(list["result"]["ttlMs"] == 0);

  // A failing tool is still a complete result with isError; an unknown tool is -32602.
  auto failed = f.modern_call("Wait", json::object());
  CHECK(failed["result"]["isError"] == true);
  CHECK(failed["result"]["resultType"] == "complete");
  CHECK(f.modern_call("Click", json::object())["error"]["code"] == -32602);
}

TEST_CASE("2026-07-28: ping, initialize and unknown methods are -32601 with the envelope", "[reference]") {
  Fixture f;
  for (const char* method : {"ping", "initialize", "logging/setLevel", "resources/list"}) {
    auto r = f.modern(method);
    CHECK(r["error"]["code"] == -32601);
    CHECK(r["id"] == 11);
  }
  // Without the envelope ping still answers (handshake-era clients), and discover is unknown.
  CHECK(f.request({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "ping"}})["result"] == json::object());
  CHECK(f.request({{"jsonrpc", "2.0"}, {"id", 3}, {"method", "server/discover"},
                   {"params", json::object()}})["error"]["code"] == -32601);
}

TEST_CASE("2026-07-28: an unsupported version is -32022, a broken envelope -32602", "[reference]") {
  Fixture f;
  const json future_meta = {{kMetaProtocolVersion, "2099-01-01"},
                            {kMetaClientCapabilities, json::object()}};
  auto unsupported = f.request({{"jsonrpc", "2.0"}, {"id", 20}, {"method", "tools/call"},
                                {"params", {{"name", "Snapshot"}, {"_meta", future_meta}}}});
  CHECK(unsupported["id"] == 20);
  CHECK(unsupported["error"]["code"] == -32022);
  CHECK(unsupported["error"]["message"] == "Unsupported protocol version: 2099-01-01");
  CHECK(unsupported["error"]["data"] ==
        json{{"supported", json::array({"2026-07-28"})}, {"requested", "2099-01-01"}});
  auto broken = f.request({{"jsonrpc", "2.0"}, {"id", 21}, {"method", "tools/list"},
                           {"params", {{"_meta", {{kMetaProtocolVersion, "2026-07-28"}}}}}});
  CHECK(broken["id"] == 21);
  CHECK(broken["error"]["code"] == -32602);
  CHECK(broken["error"]["data"]["envelope"]["key"] == kMetaClientCapabilities);
  CHECK(f.counters.snapshots == 0);  // neither reached a tool
  // A notification with a broken envelope is not answered either.
  const json note = {{"jsonrpc", "2.0"}, {"method", "notifications/cancelled"},
                     {"params", {{"_meta", {{kMetaProtocolVersion, "1"}}}}}};
  CHECK_FALSE(f.protocol.handle_line(note.dump()));
}

TEST_CASE("both eras on one connection: each request is judged by its own envelope", "[reference]") {
  Fixture f;
  // mcpleak's auto mode: discover first; a client may then still fall back to initialize.
  CHECK(f.modern("server/discover")["result"]["supportedVersions"][0] == "2026-07-28");
  auto init = f.request(
      {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"},
       {"params", {{"protocolVersion", "2025-11-25"}, {"capabilities", json::object()}}}});
  CHECK(init["result"]["protocolVersion"] == "2025-11-25");
  CHECK_FALSE(f.protocol.handle_line(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"));
  auto old_call = f.call("Snapshot", json::object());
  CHECK_FALSE(old_call["result"].contains("resultType"));
  auto new_call = f.modern_call("Snapshot", json::object());
  CHECK(new_call["result"]["resultType"] == "complete");
  CHECK(f.counters.snapshots == 2);
}

TEST_CASE("2026-07-28: leak injections act on modern calls as on handshake calls", "[reference]") {
  InjectionConfig cfg;
  cfg.mask = (1u << static_cast<unsigned>(LeakClass::observer_per_snapshot)) |
             (1u << static_cast<unsigned>(LeakClass::undrained_pool));
  Fixture handshake(cfg);
  Fixture modern(cfg);
  for (int i = 0; i < 3; ++i) {
    handshake.call("Snapshot", json::object());
    modern.modern_call("Snapshot", json::object());
  }
  for (LeakClass c : {LeakClass::observer_per_snapshot, LeakClass::undrained_pool}) {
    INFO(std::string(leak_class_name(c)));
    CHECK(modern.counters.injection(c).events > 0);
    CHECK(modern.counters.injection(c).events == handshake.counters.injection(c).events);
    CHECK(modern.counters.injection(c).bytes == handshake.counters.injection(c).bytes);
  }
  CHECK(modern.counters.observers == handshake.counters.observers);
  CHECK(modern.counters.leaked_bytes() == handshake.counters.leaked_bytes());
  const json diag = modern.modern_call("Diagnostics", json::object());
  const json d = json::parse(diag["result"]["content"][0]["text"].get<std::string>());
  CHECK(d["injections"]["observer-per-snapshot"]["active"] == true);
  CHECK(d["leaked_bytes"] == modern.counters.leaked_bytes());
}
