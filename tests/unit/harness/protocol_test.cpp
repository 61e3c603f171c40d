// harness/mcp/protocol: versions, the 2026-07-28 envelope, server/discover results and
// -32022 errors as the v2 TypeScript SDK sends them (captured: tests/fixtures/protocol/).
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/mcp/protocol.h"
#include "tests/support/catch.h"

using nlohmann::json;

namespace {

// The captured transcript's lines, by the method of the request they answer.
json captured(const std::string& file, int line_index) {
  std::ifstream in(MCPLEAK_FIXTURES_DIR "/protocol/" + file);
  REQUIRE(in);
  std::string line;
  for (int i = 0; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (i++ == line_index) return json::parse(line);
  }
  FAIL("no line " << line_index << " in " << file);
  return nullptr;
}

}  // namespace

TEST_CASE("protocol: --protocol takes auto or a version mcpleak speaks", "[mcp][protocol]") {
  CHECK(mcpleak::parse_protocol_choice("auto")->automatic());
  CHECK(*mcpleak::parse_protocol_choice("2026-07-28")->pinned == "2026-07-28");
  CHECK(*mcpleak::parse_protocol_choice("2024-11-05")->pinned == "2024-11-05");
  auto bad = mcpleak::parse_protocol_choice("2025-01-01");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == mcpleak::Errc::usage);
  CHECK(bad.error().message.find("2025-11-25") != std::string::npos);
}

TEST_CASE("protocol: the request envelope keeps what params already hold", "[mcp][protocol]") {
  const json p = mcpleak::with_request_meta({{"name", "T"}, {"_meta", {{"progressToken", 7}}}}, "2026-07-28");
  CHECK(p["name"] == "T");
  CHECK(p["_meta"]["progressToken"] == 7);
  CHECK(p["_meta"]["io.modelcontextprotocol/protocolVersion"] == "2026-07-28");
  CHECK(p["_meta"]["io.modelcontextprotocol/clientCapabilities"] == json::object());
  CHECK(p["_meta"]["io.modelcontextprotocol/clientInfo"]["name"] == "mcpleak");
  CHECK(mcpleak::with_request_meta(nullptr, "2026-07-28").contains("_meta"));
}

TEST_CASE("protocol: a captured server/discover result and -32022 error", "[mcp][protocol]") {
  const json discover = captured("v2-sdk-stdio-modern.jsonl", 1);
  auto d = mcpleak::parse_discover_result(discover["result"]);
  REQUIRE(d);
  CHECK(d->supported_versions == std::vector<std::string>{"2026-07-28"});
  CHECK(d->server_name == "mcpleak-v2-sdk-test-server");
  CHECK(d->capabilities.contains("tools"));
  CHECK_FALSE(mcpleak::parse_discover_result(json{{"tools", json::array()}}));

  const json refused = captured("v2-sdk-stdio-modern-only-initialize.jsonl", 1);
  CHECK(mcpleak::unsupported_version_offers(refused["error"]) == std::vector<std::string>{"2026-07-28"});
  CHECK(mcpleak::unsupported_version_offers(json{{"code", -32601}, {"message", "x"}}).empty());
  CHECK(mcpleak::unsupported_version_offers(json{{"code", -32022}, {"data", "odd"}}).empty());
}

TEST_CASE("protocol: choosing a version, headers and result types", "[mcp][protocol]") {
  const mcpleak::ProtocolChoice any;
  CHECK(*mcpleak::choose_version({"2024-11-05", "2026-07-28"}, any) == "2026-07-28");
  CHECK(*mcpleak::choose_version({"2025-06-18", "2099-01-01"}, any) == "2025-06-18");
  CHECK_FALSE(mcpleak::choose_version({"2099-01-01"}, any));
  mcpleak::ProtocolChoice pinned;
  pinned.pinned = "2024-11-05";
  CHECK_FALSE(mcpleak::choose_version({"2026-07-28", "2025-06-18"}, pinned));
  CHECK(*mcpleak::choose_version({"2024-11-05"}, pinned) == "2024-11-05");

  CHECK(mcpleak::mcp_name_header("tools/call", {{"name", "Snapshot"}}) == "Snapshot");
  CHECK(mcpleak::mcp_name_header("resources/read", {{"uri", "file:///x"}}) == "file:///x");
  CHECK(mcpleak::mcp_name_header("tools/list", json::object()).empty());
  CHECK(mcpleak::mcp_name_header("tools/call", {{"name", 3}}).empty());

  CHECK(mcpleak::result_type(json{{"content", json::array()}}) == "complete");
  CHECK(mcpleak::result_type(json{{"resultType", "input_required"}}) == "input_required");
}

TEST_CASE("protocol: a client's identity from initialize or from a 2026-07-28 envelope", "[mcp][protocol]") {
  const json init = {{"protocolVersion", "2025-06-18"},
                     {"capabilities", {{"sampling", json::object()}}},
                     {"clientInfo", {{"name", "claude-ai"}, {"version", "0.1.0"}}}};
  auto id = mcpleak::client_identity_of("initialize", init);
  REQUIRE(id);
  CHECK(id->protocol_version == "2025-06-18");
  CHECK(id->capabilities == json{{"sampling", json::object()}});
  CHECK(id->client_info["name"] == "claude-ai");

  // A modern request carries it in _meta; the envelope mcpleak writes reads back the same.
  mcpleak::ClientIdentity mine;
  mine.protocol_version = "2026-07-28";
  mine.capabilities = {{"roots", json::object()}};
  mine.client_info = {{"name", "someone"}, {"version", "9"}};
  const json params = mcpleak::with_request_meta({{"name", "echo"}}, "2026-07-28", mine);
  auto back = mcpleak::client_identity_of("tools/call", params);
  REQUIRE(back);
  CHECK(back->protocol_version == "2026-07-28");
  CHECK(back->capabilities == mine.capabilities);
  CHECK(back->client_info == mine.client_info);

  // Any other request says nothing of who sent it.
  CHECK_FALSE(mcpleak::client_identity_of("tools/call", {{"name", "echo"}}));
  CHECK_FALSE(mcpleak::client_identity_of("initialize", json::array()));
}

TEST_CASE("protocol: a recorded client block round-trips, and wrong members are named", "[mcp][protocol]") {
  mcpleak::ClientIdentity id;
  id.protocol_version = "2025-11-25";
  id.capabilities = {{"elicitation", json::object()}};
  id.client_info = {{"name", "c"}, {"version", "1"}};
  auto back = mcpleak::client_identity_from_json(mcpleak::client_identity_json(id));
  REQUIRE(back);
  CHECK(back->protocol_version == id.protocol_version);
  CHECK(back->capabilities == id.capabilities);
  CHECK(back->client_info == id.client_info);

  // Members left out keep mcpleak's own.
  auto bare = mcpleak::client_identity_from_json(json::object());
  REQUIRE(bare);
  CHECK(bare->protocol_version.empty());
  CHECK(bare->client_info["name"] == "mcpleak");

  for (const auto& [bad, member] : std::vector<std::pair<json, std::string>>{
           {json{{"protocolVersion", 5}}, "protocolVersion"},
           {json{{"capabilities", "all"}}, "capabilities"},
           {json{{"clientInfo", json::array()}}, "clientInfo"},
           {json::array(), "expected"}}) {
    auto r = mcpleak::client_identity_from_json(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == mcpleak::Errc::usage);
    CHECK(r.error().message.find(member) != std::string::npos);
  }
}
