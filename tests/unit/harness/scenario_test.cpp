// harness/runner/scenario: the shipped scenario files, ${var} substitution, and the
// file name plus exact JSON path in every malformed-scenario error.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/runner/scenario.h"
#include "tests/support/catch.h"

using mcpleak::Errc;
using mcpleak::parse_scenario;
using mcpleak::Scenario;
using nlohmann::json;

namespace {

const std::string kScenarioDir = MCPLEAK_SOURCE_DIR "/scenarios";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Scenario load_shipped(const std::string& name, const std::map<std::string, std::string>& vars = {}) {
  const std::string path = kScenarioDir + "/" + name + ".json";
  auto s = parse_scenario(read_text(path), path, vars);
  if (!s) FAIL(s.error().describe());
  return *s;
}

}  // namespace

TEST_CASE("shipped scenario idle.json", "[runner][scenario]") {
  const Scenario s = load_shipped("idle");
  CHECK(s.name == "idle");
  CHECK(s.source == kScenarioDir + "/idle.json");
  REQUIRE(s.phases.size() == 1);
  CHECK(s.phases[0].idle);
  CHECK(s.phases[0].steps.empty());
  REQUIRE(s.diagnostics);
  CHECK(s.diagnostics->tool == "Diagnostics");
  CHECK(s.diagnostics->every_s == 5);
  REQUIRE(s.duration_s);
  CHECK(*s.duration_s == 300);
}

TEST_CASE("shipped scenario snapshot-loop.json", "[runner][scenario]") {
  const Scenario s = load_shipped("snapshot-loop");
  REQUIRE(s.phases.size() == 2);
  const auto& loop = s.phases[0];
  CHECK(loop.name == "loop");
  CHECK_FALSE(loop.idle);
  REQUIRE(loop.steps.size() == 1);
  CHECK(loop.steps[0].tool == "Snapshot");
  CHECK(loop.steps[0].args == json{{"use_vision", false}});
  CHECK(s.phases[1].idle);
  REQUIRE(s.phases[1].share);
  CHECK(*s.phases[1].share == 0.15);
  REQUIRE(s.rate_per_s);
  CHECK(*s.rate_per_s == 5);
  REQUIRE(s.duration_s);
  CHECK(*s.duration_s == 600);
}

TEST_CASE("shipped scenario snapshot-finder-safari.json uses its variable defaults",
          "[runner][scenario]") {
  const Scenario s = load_shipped("snapshot-finder-safari");
  REQUIRE(s.phases.size() == 2);
  const auto& steps = s.phases[0].steps;
  REQUIRE(steps.size() == 4);
  CHECK(steps[0].tool == "App");
  CHECK(steps[0].args == json{{"mode", "switch"}, {"name", "Finder"}});
  CHECK(steps[1].tool == "Snapshot");
  CHECK(steps[2].args == json{{"mode", "switch"}, {"name", "Safari"}});
}

TEST_CASE("a --var overrides a scenario's variable default", "[runner][scenario]") {
  const Scenario s = load_shipped("snapshot-finder-safari", {{"app1", "gtk3-demo"}});
  const auto& steps = s.phases[0].steps;
  REQUIRE(steps.size() == 4);
  CHECK(steps[0].args["name"] == "gtk3-demo");
  CHECK(steps[2].args["name"] == "Safari");
}

TEST_CASE("substitution works inside strings, nested args and tool names", "[runner][scenario]") {
  const std::string text = R"({"name":"x","vars":{"who":"world","t":"Echo"},
    "phases":[{"name":"p","steps":[{"tool":"${t}",
      "args":{"msg":"hello ${who}!","list":["${who}",3],"deep":{"k":"${who}${who}"}}}]}]})";
  auto s = parse_scenario(text, "inline.json", {});
  REQUIRE(s);
  const auto& step = s->phases[0].steps[0];
  CHECK(step.tool == "Echo");
  CHECK(step.args == json{{"msg", "hello world!"}, {"list", {"world", 3}}, {"deep", {{"k", "worldworld"}}}});
}

TEST_CASE("an unknown variable names the JSON path where it is used", "[runner][scenario]") {
  const std::string text = R"({"name":"x","vars":{"a":"1"},
    "phases":[{"name":"p","steps":[{"tool":"T","args":{"name":"${app9}"}}]}]})";
  auto s = parse_scenario(text, "vars.json", {});
  REQUIRE_FALSE(s);
  CHECK(s.error().code == Errc::usage);
  const std::string d = s.error().describe();
  INFO(d);
  CHECK(d.find("vars.json: usage: $.phases[0].steps[0].args.name: ") != std::string::npos);
  CHECK(d.find("${app9}") != std::string::npos);
}

TEST_CASE("malformed scenarios name the file and the exact JSON path", "[runner][scenario]") {
  struct Case {
    const char* text;
    const char* path;
  };
  // Each text is a valid scenario with exactly one thing wrong.
  const std::vector<Case> cases = {
      {R"([1,2])", "$"},
      {R"({"phases":[{"name":"p","idle":true}]})", "$.name"},
      {R"({"name":"x"})", "$.phases"},
      {R"({"name":"x","phases":[]})", "$.phases"},
      {R"({"name":"x","phases":{}})", "$.phases"},
      {R"({"name":"x","phases":[7]})", "$.phases[0]"},
      {R"({"name":"x","phases":[{"idle":true}]})", "$.phases[0].name"},
      {R"({"name":"x","phases":[{"name":"a","idle":true},{"name":""}]})", "$.phases[1].name"},
      {R"({"name":"x","phases":[{"name":"p","idle":"yes"}]})", "$.phases[0].idle"},
      {R"({"name":"x","phases":[{"name":"p","steps":{}}]})", "$.phases[0].steps"},
      {R"({"name":"x","phases":[{"name":"p","steps":[]}]})", "$.phases[0].steps"},
      {R"({"name":"x","phases":[{"name":"p"}]})", "$.phases[0].steps"},
      {R"({"name":"x","phases":[{"name":"p","steps":["Snapshot"]}]})", "$.phases[0].steps[0]"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"args":{}}]}]})", "$.phases[0].steps[0].tool"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":""}]}]})", "$.phases[0].steps[0].tool"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":5}]}]})", "$.phases[0].steps[0].tool"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T"},{"tool":"T","args":[]}]}]})",
       "$.phases[0].steps[1].args"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T","args":{"a":"${x"}}]}]})",
       "$.phases[0].steps[0].args.a"},
      {R"({"name":"x","phases":[{"name":"p","idle":true,"steps":[{"tool":"T"}]}]})", "$.phases[0]"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T"}],"rate":"fast"}]})", "$.phases[0].rate"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T"}],"rate":-1}]})", "$.phases[0].rate"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T"}],"duration":"10 parsecs"}]})",
       "$.phases[0].duration"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T"}],"duration":-3}]})",
       "$.phases[0].duration"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T"}],"duration":true}]})",
       "$.phases[0].duration"},
      {R"({"name":"x","phases":[{"name":"p","idle":true,"share":1.5}]})", "$.phases[0].share"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T"}],"calls":0}]})", "$.phases[0].calls"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T"}],"calls":-2}]})", "$.phases[0].calls"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T"}],"calls":2.5}]})", "$.phases[0].calls"},
      {R"({"name":"x","phases":[{"name":"p","idle":true,"calls":3}]})", "$.phases[0].calls"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T"}],"calls_per_session":0}]})",
       "$.phases[0].calls_per_session"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T"}],"calls_per_session":[]}]})",
       "$.phases[0].calls_per_session"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T"}],"calls_per_session":[2,0]}]})",
       "$.phases[0].calls_per_session"},
      {R"({"name":"x","phases":[{"name":"p","idle":true,"calls_per_session":2}]})",
       "$.phases[0].calls_per_session"},
      {R"({"name":"x","phases":[{"name":"p","idle":true,"duration":"1m","share":0.5}]})", "$.phases[0]"},
      {R"({"name":"x","vars":[],"phases":[{"name":"p","idle":true}]})", "$.vars"},
      {R"({"name":"x","vars":{"n":3},"phases":[{"name":"p","idle":true}]})", "$.vars.n"},
      {R"({"name":"x","diagnostics":{"every":"5s"},"phases":[{"name":"p","idle":true}]})", "$.diagnostics"},
      {R"({"name":"x","diagnostics":{"tool":"D","every":"often"},"phases":[{"name":"p","idle":true}]})",
       "$.diagnostics.every"},
      {R"({"name":"x","defaults":[],"phases":[{"name":"p","idle":true}]})", "$.defaults"},
      {R"({"name":"x","defaults":{"duration":"forever"},"phases":[{"name":"p","idle":true}]})",
       "$.defaults.duration"},
      {R"({"name":"x","defaults":{"warmup":"-1s"},"phases":[{"name":"p","idle":true}]})",
       "$.defaults.warmup"},
      {R"({"name":"x","defaults":{"rate":1e9},"phases":[{"name":"p","idle":true}]})", "$.defaults.rate"},
      {R"({"name":"x","defaults":{"budget":"lots"},"phases":[{"name":"p","idle":true}]})",
       "$.defaults.budget"},
      {R"({"name":"x","defaults":{"budget":5},"phases":[{"name":"p","idle":true}]})", "$.defaults.budget"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto s = parse_scenario(c.text, "bad.json", {});
    REQUIRE_FALSE(s);
    CHECK(s.error().code == Errc::usage);
    const std::string d = s.error().describe();
    INFO(d);
    CHECK(d.rfind(std::string("bad.json: usage: ") + c.path + ": ", 0) == 0);
  }
}

TEST_CASE("text that is not JSON is a usage error naming the file", "[runner][scenario]") {
  auto s = parse_scenario("{\"name\": \"x\",", "broken.json", {});
  REQUIRE_FALSE(s);
  CHECK(s.error().code == Errc::usage);
  const std::string d = s.error().describe();
  CHECK(d.rfind("broken.json: usage: not valid JSON", 0) == 0);
}

TEST_CASE("plan_phase_lengths: fixed, share and open phases", "[runner][scenario]") {
  Scenario s;
  s.phases.resize(5);
  s.phases[0].duration_s = 60;  // fixed
  s.phases[1].share = 0.25;     // a quarter of the run
  // phases[2] and [4] are open: they split what is left equally
  s.phases[3].calls = 100;      // length set by calls, not time
  const double total = 600;
  const auto len = mcpleak::plan_phase_lengths(s, total);
  REQUIRE(len.size() == 5);
  const double open_each = (total - 60 - 0.25 * total) / 2;
  REQUIRE(len[0]);
  CHECK(*len[0] == Approx(60));
  REQUIRE(len[1]);
  CHECK(*len[1] == Approx(0.25 * total));
  REQUIRE(len[2]);
  CHECK(*len[2] == Approx(open_each));
  CHECK_FALSE(len[3]);
  REQUIRE(len[4]);
  CHECK(*len[4] == Approx(open_each));
}

TEST_CASE("plan_phase_lengths: open phases get zero when fixed ones fill the run",
          "[runner][scenario]") {
  Scenario s;
  s.phases.resize(2);
  s.phases[0].duration_s = 900;
  const auto len = mcpleak::plan_phase_lengths(s, 600);
  REQUIRE(len[1]);
  CHECK(*len[1] == 0);
}

TEST_CASE("plan_phase_lengths on a shipped scenario", "[runner][scenario]") {
  const Scenario s = load_shipped("snapshot-loop");
  const auto len = mcpleak::plan_phase_lengths(s, 600);
  REQUIRE(len.size() == 2);
  REQUIRE(len[0]);
  REQUIRE(len[1]);
  CHECK(*len[1] == Approx(0.15 * 600));
  CHECK(*len[0] + *len[1] == Approx(600));
}

TEST_CASE("find_scenario_file: names, paths and misses", "[runner][scenario]") {
  namespace fs = std::filesystem;
  const std::string missing_dir = (fs::temp_directory_path() / "mcpleak-no-such-dir").string();
  SECTION("a name is found as NAME.json in the first dir that has it") {
    auto f = mcpleak::find_scenario_file("idle", {missing_dir, kScenarioDir});
    REQUIRE(f);
    CHECK(fs::equivalent(*f, kScenarioDir + "/idle.json"));
  }
  SECTION("an existing path is used as is") {
    const std::string path = kScenarioDir + "/snapshot-loop.json";
    auto f = mcpleak::find_scenario_file(path, {});
    REQUIRE(f);
    CHECK(*f == path);
  }
  SECTION("an unknown name lists where it looked") {
    auto f = mcpleak::find_scenario_file("no-such-scenario", {missing_dir, kScenarioDir});
    REQUIRE_FALSE(f);
    CHECK(f.error().code == Errc::usage);
    CHECK(f.error().message.find("no-such-scenario") != std::string::npos);
    CHECK(f.error().message.find(missing_dir) != std::string::npos);
    CHECK(f.error().message.find(kScenarioDir) != std::string::npos);
  }
  SECTION("a missing path is not searched for and is named") {
    auto f = mcpleak::find_scenario_file("./nowhere/idle.json", {kScenarioDir});
    REQUIRE_FALSE(f);
    CHECK(f.error().code == Errc::usage);
    CHECK(f.error().describe().find("./nowhere/idle.json") != std::string::npos);
  }
}

TEST_CASE("tool_loop_scenario loops one call then idles", "[runner][scenario]") {
  const Scenario s = mcpleak::tool_loop_scenario("Snapshot", {{"use_vision", false}});
  REQUIRE(s.phases.size() == 2);
  REQUIRE(s.phases[0].steps.size() == 1);
  CHECK(s.phases[0].steps[0].tool == "Snapshot");
  CHECK(s.phases[0].steps[0].args == json{{"use_vision", false}});
  CHECK(s.phases[1].idle);
  CHECK(s.source == "--tool Snapshot");
}

TEST_CASE("calls_per_session: a number or a list, and only sessions scenarios use sessions", "[runner][scenario]") {
  auto one = parse_scenario(R"({"name":"s","phases":[{"name":"p","steps":[{"tool":"T"}],"calls_per_session":3}]})",
                            "s.json", {});
  REQUIRE(one);
  CHECK(one->phases[0].calls_per_session == std::vector<std::uint64_t>{3});
  CHECK(one->uses_sessions());
  auto list = parse_scenario(
      R"({"name":"s","phases":[{"name":"p","steps":[{"tool":"T"}],"calls_per_session":[1,1,8]},{"name":"i","idle":true}]})",
      "s.json", {});
  REQUIRE(list);
  CHECK(list->phases[0].calls_per_session == std::vector<std::uint64_t>{1, 1, 8});
  CHECK(list->phases[1].calls_per_session.empty());
  auto plain = parse_scenario(R"({"name":"s","phases":[{"name":"p","steps":[{"tool":"T"}]}]})", "s.json", {});
  REQUIRE(plain);
  CHECK_FALSE(plain->uses_sessions());
}

TEST_CASE("the shipped sessions scenario loads and alternates session lengths", "[runner][scenario]") {
  auto file = mcpleak::find_scenario_file("sessions", {MCPLEAK_SOURCE_DIR "/scenarios"});
  REQUIRE(file);
  std::ifstream in(*file);
  std::stringstream text;
  text << in.rdbuf();
  auto s = parse_scenario(text.str(), *file, {});
  REQUIRE(s);
  REQUIRE(s->uses_sessions());
  const auto& lengths = s->phases[0].calls_per_session;
  // Unequal lengths are what lets the analysis tell growth per session from per call.
  CHECK(*std::min_element(lengths.begin(), lengths.end()) < *std::max_element(lengths.begin(), lengths.end()));
  CHECK(s->phases.back().idle);
}

TEST_CASE("sessions close: delete by default, abandon, and mixed split into two halves", "[runner][scenario]") {
  const auto plain = load_shipped("sessions");
  CHECK(plain.phases[0].close == mcpleak::SessionClose::del);
  CHECK(plain.phases[0].clients == 1);
  CHECK(plain.max_clients() == 1);

  const auto abandon = load_shipped("sessions", {{"close", "abandon"}});
  CHECK(abandon.phases[0].close == mcpleak::SessionClose::abandon);
  CHECK(abandon.phases.size() == plain.phases.size());

  const auto mixed = load_shipped("sessions", {{"close", "mixed"}, {"clients", "4"}});
  REQUIRE(mixed.phases.size() == plain.phases.size() + 1);
  CHECK(mixed.phases[0].name == "sessions (delete)");
  CHECK(mixed.phases[0].close == mcpleak::SessionClose::del);
  CHECK(mixed.phases[1].name == "sessions (abandon)");
  CHECK(mixed.phases[1].close == mcpleak::SessionClose::abandon);
  CHECK(mixed.phases[1].calls_per_session == mixed.phases[0].calls_per_session);
  CHECK(mixed.max_clients() == 4);
  CHECK(mixed.phases[1].clients == 4);
  // Both halves together take what the one phase took.
  const auto whole = mcpleak::plan_phase_lengths(plain, 300);
  const auto halves = mcpleak::plan_phase_lengths(mixed, 300);
  REQUIRE(whole[0]);
  REQUIRE(halves[0]);
  REQUIRE(halves[1]);
  CHECK(*halves[0] + *halves[1] == Approx(*whole[0]));

  const auto fixed = parse_scenario(
      R"({"name":"s","phases":[{"name":"p","steps":[{"tool":"T"}],"calls_per_session":2,"close":"mixed","duration":"60s"}]})",
      "s.json", {});
  REQUIRE(fixed);
  REQUIRE(fixed->phases.size() == 2);
  CHECK(*fixed->phases[0].duration_s == Approx(30));
  CHECK(*fixed->phases[1].duration_s == Approx(30));
}

TEST_CASE("sessions close and clients: wrong values name the path and what is allowed", "[runner][scenario]") {
  struct Case {
    const char* text;
    const char* path;
    const char* says;
  };
  const Case cases[] = {
      {R"({"name":"s","phases":[{"name":"p","steps":[{"tool":"T"}],"calls_per_session":2,"close":"later"}]})",
       "$.phases[0].close", "\"mixed\", got \"later\""},
      {R"({"name":"s","phases":[{"name":"p","steps":[{"tool":"T"}],"close":"abandon"}]})", "$.phases[0].close",
       "only a phase with calls_per_session"},
      {R"({"name":"s","phases":[{"name":"p","steps":[{"tool":"T"}],"calls_per_session":2,"close":"mixed","calls":10}]})",
       "$.phases[0].close", "not calls"},
      {R"({"name":"s","phases":[{"name":"p","steps":[{"tool":"T"}],"clients":0}]})", "$.phases[0].clients",
       "from 1 to 64"},
      {R"({"name":"s","phases":[{"name":"p","steps":[{"tool":"T"}],"clients":"two"}]})", "$.phases[0].clients",
       "whole number"},
      {R"({"name":"s","phases":[{"name":"p","idle":true,"clients":2}]})", "$.phases[0].clients", "idle"},
  };
  for (const auto& c : cases) {
    auto s = parse_scenario(c.text, "bad.json", {});
    INFO(c.text);
    REQUIRE_FALSE(s);
    CHECK(s.error().code == Errc::usage);
    CHECK_THAT(s.error().describe(), Catch::Contains(c.path));
    CHECK_THAT(s.error().describe(), Catch::Contains(c.says));
  }
}

TEST_CASE("shipped scenario reconnect.json: cycles of start, calls, disconnect", "[runner][scenario]") {
  const Scenario s = load_shipped("reconnect");
  REQUIRE(s.reconnect.has_value());
  CHECK(s.phases.empty());
  CHECK(s.reconnect->cycles == 8);
  CHECK(s.reconnect->calls_per_cycle == 3);
  CHECK(s.reconnect->tool.empty());  // tools/list
  CHECK(s.reconnect->grace_s == 2);
  const Scenario t = load_shipped("reconnect", {{"cycles", "3"}, {"tool", "Snapshot"}, {"grace", "500ms"}});
  CHECK(t.reconnect->cycles == 3);
  CHECK(t.reconnect->tool == "Snapshot");
  CHECK(t.reconnect->grace_s == 0.5);
}

TEST_CASE("reconnect errors name the JSON path", "[runner][scenario]") {
  auto fails_at = [](const std::string& text, const std::string& path) {
    auto s = parse_scenario(text, "r.json", {});
    REQUIRE_FALSE(s);
    CHECK(s.error().code == Errc::usage);
    INFO(s.error().describe());
    CHECK(s.error().describe().find(path) != std::string::npos);
  };
  fails_at(R"({"name": "r", "reconnect": {"cycles": 0}})", "$.reconnect.cycles");
  fails_at(R"({"name": "r", "reconnect": {"cycles": "many"}})", "$.reconnect.cycles");
  fails_at(R"({"name": "r", "reconnect": {"tool": 3}})", "$.reconnect.tool");
  fails_at(R"({"name": "r", "reconnect": {"grace": "soon"}})", "$.reconnect.grace");
  fails_at(R"({"name": "r", "reconnect": 5})", "$.reconnect");
  fails_at(R"({"name": "r", "reconnect": {}, "phases": [{"name": "p", "idle": true}]})", "$.phases");
}

TEST_CASE("a scenario names the classes that must stay bounded", "[runner][scenario]") {
  auto s = parse_scenario(R"({"name": "b", "bounded_classes": ["AX*", "AXObserver"],
                              "phases": [{"name": "loop", "steps": [{"tool": "Snapshot"}]}]})",
                          "inline.json", {});
  REQUIRE(s);
  CHECK(s->bounded_classes == std::vector<std::string>{"AX*", "AXObserver"});
  for (const char* bad : {R"("AX*")", R"([""])", R"([3])"}) {
    auto e = parse_scenario(std::string(R"({"name": "b", "bounded_classes": )") + bad +
                                R"(, "phases": [{"name": "loop", "steps": [{"tool": "Snapshot"}]}]})",
                            "inline.json", {});
    INFO(bad);
    REQUIRE_FALSE(e);
    CHECK(e.error().message.find("$.bounded_classes") != std::string::npos);
  }
}

TEST_CASE("a recorded scenario: pace, each step's wait, the client and literal ${", "[runner][scenario]") {
  const std::string text = R"({"name":"recorded",
    "client":{"protocolVersion":"2025-06-18","capabilities":{"sampling":{}},
              "clientInfo":{"name":"claude-ai","version":"0.1.0"}},
    "vars":{"token":"REDACTED"},
    "phases":[{"name":"session","pace":"recorded","steps":[
      {"tool":"echo","args":{"text":"costs $${HOME} and $5","key":"${token}"},"after":0},
      {"tool":"Snapshot","after":"2.5s"}]}]})";
  auto s = parse_scenario(text, "rec.json", {});
  if (!s) FAIL(s.error().describe());
  REQUIRE(s->client);
  CHECK(s->client->protocol_version == "2025-06-18");
  CHECK(s->client->capabilities == json{{"sampling", json::object()}});
  CHECK(s->client->client_info["name"] == "claude-ai");
  const auto& phase = s->phases.at(0);
  CHECK(phase.recorded_pace);
  REQUIRE(phase.steps.size() == 2);
  CHECK(phase.steps[0].args["text"] == "costs ${HOME} and $5");
  CHECK(phase.steps[0].args["key"] == "REDACTED");
  CHECK(*phase.steps[0].after_s == 0);
  CHECK(*phase.steps[1].after_s == 2.5);

  // Without "pace" the steps' waits are kept but the phase runs at its rate.
  auto plain = parse_scenario(R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T","after":1}]}]})", "p.json", {});
  REQUIRE(plain);
  CHECK_FALSE(plain->phases[0].recorded_pace);
  CHECK_FALSE(parse_scenario(R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T"}]}]})", "p.json", {})
                  ->client);
}

TEST_CASE("recorded pace errors name the JSON path", "[runner][scenario]") {
  struct Case {
    const char* text;
    const char* path;
  };
  const std::vector<Case> cases = {
      {R"({"name":"x","phases":[{"name":"p","pace":"fast","steps":[{"tool":"T","after":1}]}]})", "$.phases[0].pace"},
      {R"({"name":"x","phases":[{"name":"p","pace":"recorded","steps":[{"tool":"T","after":1},{"tool":"T"}]}]})",
       "$.phases[0].steps[1].after"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T","after":"soon"}]}]})", "$.phases[0].steps[0].after"},
      {R"({"name":"x","phases":[{"name":"p","pace":"recorded","idle":true}]})", "$.phases[0].pace"},
      {R"({"name":"x","client":{"protocolVersion":7},"phases":[{"name":"p","idle":true}]})", "$.client"},
      {R"({"name":"x","client":[],"phases":[{"name":"p","idle":true}]})", "$.client"},
      {R"({"name":"x","phases":[{"name":"p","steps":[{"tool":"T","args":{"a":"$${x"}}]}]})", ""},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto s = parse_scenario(c.text, "bad.json", {});
    if (std::string(c.path).empty()) {  // an escaped "${" needs no closing brace
      CHECK(s);
      continue;
    }
    REQUIRE_FALSE(s);
    const std::string d = s.error().describe();
    INFO(d);
    CHECK(d.rfind(std::string("bad.json: usage: ") + c.path + ": ", 0) == 0);
  }
}
