// harness/watch/session_recorder: a watched session written as a scenario. The document
// must load with the scenario parser `mcpleak run` uses, and give back the recorded calls,
// their pace, the client's identity, and redacted values as variables.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/runner/scenario.h"
#include "harness/watch/session_recorder.h"
#include "tests/support/catch.h"

using mcpleak::ObservedToolCall;
using mcpleak::RecordingInfo;
using nlohmann::json;

namespace {

RecordingInfo info(std::vector<std::string> redact = {}) {
  RecordingInfo i;
  i.name = "recorded-test";
  i.server = "macos-mcp 0.3";
  i.recorded_at = "2026-12-03T17:00:00+0000";
  mcpleak::ClientIdentity client;
  client.protocol_version = "2025-06-18";
  client.capabilities = {{"sampling", json::object()}};
  client.client_info = {{"name", "Claude Desktop"}, {"version", "1.2"}};
  i.client = client;
  i.redact = std::move(redact);
  return i;
}

mcpleak::Scenario load(const json& doc, const std::map<std::string, std::string>& vars = {}) {
  auto s = mcpleak::parse_scenario(doc.dump(), "recorded.json", vars);
  if (!s) FAIL(s.error().describe());
  return *s;
}

}  // namespace

TEST_CASE("recorder: the calls come back in order at their recorded pace", "[watch][recorder]") {
  const std::vector<ObservedToolCall> calls = {{10.0, "App", {{"mode", "switch"}, {"name", "Finder"}}},
                                               {10.5, "Snapshot", {{"use_vision", false}}},
                                               {12.0, "App", {{"mode", "switch"}, {"name", "Safari"}}},
                                               {12.25, "Snapshot", {{"use_vision", false}}}};
  const json doc = recorded_scenario(calls, info());
  const auto s = load(doc);
  REQUIRE(s.phases.size() == 2);
  const auto& phase = s.phases[0];
  CHECK(phase.recorded_pace);
  REQUIRE(phase.steps.size() == 4);
  CHECK(phase.steps[0].tool == "App");
  CHECK(phase.steps[0].args["name"] == "Finder");
  CHECK(phase.steps[2].args["name"] == "Safari");
  CHECK(phase.steps[3].tool == "Snapshot");
  CHECK(*phase.steps[1].after_s == Approx(0.5));
  CHECK(*phase.steps[2].after_s == Approx(1.5));
  CHECK(*phase.steps[3].after_s == Approx(0.25));
  CHECK(*phase.steps[0].after_s == Approx(0.5));  // the median gap, when the steps come round again
  CHECK(s.phases[1].idle);
  REQUIRE(s.client);
  CHECK(s.client->protocol_version == "2025-06-18");
  CHECK(s.client->client_info["name"] == "Claude Desktop");
  CHECK(doc["recorded"]["tool_calls"] == 4);
  CHECK(doc["recorded"]["span_s"].get<double>() == Approx(2.25));
}

TEST_CASE("recorder: redacted values become variables the replay can be given", "[watch][recorder]") {
  const std::vector<ObservedToolCall> calls = {
      {0, "open", {{"path", "/Users/ann/secret.txt"}, {"options", {{"API_Token", "abc123"}, {"depth", 2}}}}},
      {1, "open", {{"path", "/Users/ann/other.txt"}}}};
  const json doc = recorded_scenario(calls, info({"path", "*token*"}));
  const std::string text = doc.dump();
  CHECK(text.find("secret.txt") == std::string::npos);
  CHECK(text.find("abc123") == std::string::npos);
  CHECK(doc["vars"]["path"] == "REDACTED");
  CHECK(doc["vars"]["path_2"] == "REDACTED");
  CHECK(doc["vars"]["API_Token"] == "REDACTED");
  const auto s = load(doc, {{"path", "/tmp/a"}});
  CHECK(s.phases[0].steps[0].args["path"] == "/tmp/a");
  CHECK(s.phases[0].steps[0].args["options"]["API_Token"] == "REDACTED");
  CHECK(s.phases[0].steps[0].args["options"]["depth"] == 2);
  CHECK(s.phases[0].steps[1].args["path"] == "REDACTED");
}

TEST_CASE("recorder: a recorded ${...} stays literal in the replay", "[watch][recorder]") {
  const std::vector<ObservedToolCall> calls = {{0, "shell", {{"cmd", "echo ${HOME} $${X}"}, {"list", {"${a}"}}}}};
  const auto s = load(recorded_scenario(calls, info()));
  CHECK(s.phases[0].steps[0].args["cmd"] == "echo ${HOME} $${X}");
  CHECK(s.phases[0].steps[0].args["list"][0] == "${a}");
}

TEST_CASE("recorder: a session without tool calls replays as idle and says so", "[watch][recorder]") {
  const json doc = recorded_scenario({}, info());
  const auto s = load(doc);
  REQUIRE(s.phases.size() == 1);
  CHECK(s.phases[0].idle);
  CHECK(doc["description"].get<std::string>().find("no tool call") != std::string::npos);
}
