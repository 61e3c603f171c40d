// JSON-RPC / MCP handling as a function of the request, against the synthetic backend.
#include "reference/protocol.h"

#include "reference/backend_synthetic.h"
#include "tests/support/catch.h"

using namespace mcpleak::axref;
using nlohmann::json;

namespace {
struct Fixture {
  Counters counters;
  Injector injector{{}, counters};
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
};
}  // namespace

TEST_CASE("initialize negotiates the protocol version", "[reference]") {
  Fixture f;
  for (const char* v : {"2024-11-05", "2025-03-26", "2025-06-18"}) {
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
  CHECK(future["result"]["protocolVersion"] == "2025-06-18");
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
