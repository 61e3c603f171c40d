// End to end: `mcpleak watch` between real clients and real servers. A scripted client
// (watch/transcript_client.py) records every byte it sends and reads, directly and through
// watch; server-everything's side is recorded with tee; mcpleak's own `run` drives watch
// for the watchdog and for record -> replay. Every wait is a poll with a deadline sized for
// a loaded 2-core machine.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/e2e/e2e_support.h"
#include "tests/support/catch.h"
#include "tests/support/cloexec_pipe.h"

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::string kWatchDir = MCPLEAK_SOURCE_DIR "/tests/e2e/watch";
const std::string kEverything = MCPLEAK_BINARY_DIR "/tools/node_modules/.bin/mcp-server-everything";

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + e2e::shell_quote(w);
  return out;
}

// Runs a shell command line to completion; its exit code.
int shell(const std::string& line) {
  const int status = std::system(line.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The scripted client against `server`, recording into DIR/PREFIX.sent and .received.
int transcript(const std::string& dir, const std::string& prefix, const std::string& script,
               const std::vector<std::string>& server) {
  return shell("timeout -k 5 240 python3 " + e2e::shell_quote(kWatchDir + "/transcript_client.py") + " " +
               e2e::shell_quote(kWatchDir + "/" + script) + " " + e2e::shell_quote(dir + "/" + prefix + ".sent") +
               " " + e2e::shell_quote(dir + "/" + prefix + ".received") + " -- " + joined(server) + " 2>" +
               e2e::shell_quote(dir + "/" + prefix + ".stderr"));
}

std::vector<std::string> watch_cmd(const std::vector<std::string>& flags, const std::vector<std::string>& server) {
  std::vector<std::string> cmd{e2e::mcpleak_bin(), "watch"};
  cmd.insert(cmd.end(), flags.begin(), flags.end());
  cmd.push_back("--");
  cmd.insert(cmd.end(), server.begin(), server.end());
  return cmd;
}

std::vector<json> jsonl(const std::filesystem::path& p) {
  std::vector<json> out;
  std::ifstream in(p);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

json read_json(const std::filesystem::path& p) { return json::parse(e2e::read_text(p)); }

bool any_warning(const json& run, const std::string& part) {
  for (const auto& w : run["warnings"]) {
    if (contains(w.get<std::string>(), part)) return true;
  }
  return false;
}

// The tools of the calls.jsonl records that are scenario calls (tools/call ...), in the
// order they were requested (t_s): a record is written when its call ends, and a call
// left unanswered is written last.
std::vector<std::string> tool_sequence(const std::filesystem::path& calls, int phase = -1) {
  std::vector<std::pair<double, std::string>> timed;
  for (const auto& c : jsonl(calls)) {
    if (c.value("kind", "scenario") != "scenario") continue;
    if (phase >= 0 && c.value("phase", 0) != phase) continue;
    timed.emplace_back(c.value("t_s", 0.0), c["tool"].get<std::string>());
  }
  std::stable_sort(timed.begin(), timed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> tools;
  for (auto& [t, tool] : timed) tools.push_back(std::move(tool));
  return tools;
}

// A child whose stdin we hold open; stdout and stderr go to files.
struct Spawned {
  pid_t pid = -1;
  int stdin_write = -1;
};

Spawned spawn_holding_stdin(const std::vector<std::string>& argv, const std::string& dir) {
  int in[2];
  REQUIRE(mcpleak::test::cloexec_pipe(in));
  std::vector<std::string> args = argv;
  std::vector<char*> cargv;
  for (auto& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_addopen(&actions, 1, (dir + "/stdout.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, (dir + "/stderr.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  Spawned s;
  const int rc = ::posix_spawn(&s.pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  REQUIRE(rc == 0);
  s.stdin_write = in[1];
  return s;
}

// Waits for pid to exit; its exit code, or -1 when it outlived the deadline (then killed).
int wait_exit(pid_t pid, std::chrono::seconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  int status = 0;
  while (std::chrono::steady_clock::now() < until) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(50ms);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -1;
}

template <typename Pred>
bool wait_until(Pred pred, std::chrono::seconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return pred();
}

}  // namespace

TEST_CASE("watch: a scripted session's bytes are the same through watch as without it", "[e2e][watch]") {
  const std::string dir = e2e::fresh_dir("watch-bytes");
  const std::vector<std::string> server{e2e::test_server_bin()};
  REQUIRE(transcript(dir, "direct", "test_server_script.jsonl", server) == 0);
  REQUIRE(transcript(dir, "watched", "test_server_script.jsonl", watch_cmd({"--out", dir + "/run"}, server)) == 0);

  const std::string sent = e2e::read_text(dir + "/direct.sent");
  const std::string received = e2e::read_text(dir + "/direct.received");
  REQUIRE(received.size() > 500);  // answers to initialize, tools/list, four calls and a ping
  CHECK(e2e::read_text(dir + "/watched.sent") == sent);
  CHECK(e2e::read_text(dir + "/watched.received") == received);

  // The client closing stdin ended the session: the server is gone and the reports written.
  const json run = read_json(dir + "/run/run.json");
  CHECK(any_warning(run, "session ended: the client closed stdin"));
  const e2e::Run watched = e2e::load_run(dir + "/run");
  REQUIRE(watched.report.is_object());
  CHECK(std::filesystem::exists(dir + "/run/summary.md"));
  CHECK(std::filesystem::exists(dir + "/run/report.html"));
  CHECK(e2e::no_server_left(watched));
  CHECK(contains(e2e::read_text(dir + "/watched.stderr"), "mcpleak watch: session over (the client closed stdin)"));

  // calls.jsonl: every request, tool calls as calls, the rest as protocol; no arguments.
  // The test server answers the batch (id 6) with a parse error whose id is null: that
  // echo is recorded last, as a request that was never answered.
  const auto calls = jsonl(dir + "/run/calls.jsonl");
  std::vector<std::string> methods;
  for (const auto& c : calls) methods.push_back(c["method"].get<std::string>());
  CHECK(methods == std::vector<std::string>{"initialize", "tools/list", "tools/call", "tools/call", "tools/call",
                                            "ping", "tools/call"});
  CHECK(tool_sequence(dir + "/run/calls.jsonl") == std::vector<std::string>{"echo", "Snapshot", "App", "echo"});
  REQUIRE(calls.size() == 7);
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const json& c = calls[i];
    INFO(c.dump());
    CHECK(c["request_bytes"].get<std::uint64_t>() > 0);
    if (i + 1 < calls.size()) {
      CHECK(c["ok"].get<bool>());
      CHECK(c["response_bytes"].get<std::uint64_t>() > 0);
    } else {
      CHECK_FALSE(c["ok"].get<bool>());
      CHECK(c["error"] == "no response before the session ended");
    }
  }
  const std::string calls_text = e2e::read_text(dir + "/run/calls.jsonl");
  CHECK_FALSE(contains(calls_text, "Finder"));
  CHECK_FALSE(contains(calls_text, "batched"));
  CHECK(run["server_name"] == "mcp-test-server 1.0");  // from its initialize answer
  CHECK(run["protocol_version"] == "2025-06-18");
}

TEST_CASE("watch: server-everything's requests to the client and its notifications pass both ways",
          "[e2e][watch][third-party]") {
  const std::string dir = e2e::fresh_dir("watch-everything");
  // tee on the server's side records what it read and wrote; the client records its side.
  const std::vector<std::string> teed{"sh", "-c", "tee \"$0/server.in\" | \"$@\" | tee \"$0/server.out\"", dir,
                                      kEverything};
  REQUIRE(transcript(dir, "client", "everything_script.jsonl", watch_cmd({"--out", dir + "/run"}, teed)) == 0);

  const std::string client_sent = e2e::read_text(dir + "/client.sent");
  const std::string client_received = e2e::read_text(dir + "/client.received");
  CHECK(e2e::read_text(dir + "/server.in") == client_sent);
  CHECK(e2e::read_text(dir + "/server.out") == client_received);
  // The server asked the client for a completion, and the client's answer reached it.
  CHECK(contains(client_received, "\"method\":\"sampling/createMessage\""));
  CHECK(contains(client_sent, "canned answer"));
  CHECK(contains(client_received, "canned answer"));  // the tool's result quotes it
  CHECK(contains(client_received, "\"method\":\"notifications/message\""));

  bool sampling_logged = false;
  for (const auto& c : jsonl(dir + "/run/calls.jsonl")) {
    if (c.value("method", "") != "sampling/createMessage") continue;
    sampling_logged = true;
    CHECK(c["from_server"].get<bool>());
    CHECK(c["kind"] == "protocol");
    CHECK(c["ok"].get<bool>());
  }
  CHECK(sampling_logged);
  const auto tools = tool_sequence(dir + "/run/calls.jsonl");
  CHECK(tools == std::vector<std::string>{"toggle-simulated-logging", "echo", "trigger-sampling-request",
                                          "no-such-tool"});
  CHECK(e2e::no_server_left(e2e::load_run(dir + "/run")));
}

TEST_CASE("watch: --max-footprint kills a leaking server at its first sample above the limit, with evidence",
          "[e2e][watch]") {
  const std::string dir = e2e::fresh_dir("watch-kill");
  // mcpleak's own run drives the session: 20 calls/s, each retaining 1 MiB, so 100 MB is
  // crossed about 5 s in; the watch samples every 250 ms.
  const std::vector<std::string> watched =
      watch_cmd({"--max-footprint", "100MB", "--action", "kill", "--sample-every", "250ms", "--out", dir + "/watch"},
                {e2e::test_server_bin(), "--leak-per-call", "1048576"});
  const int code = shell("timeout -k 5 240 " + e2e::shell_quote(e2e::mcpleak_bin()) +
                         " run --tool echo --args '{\"message\":\"x\"}' --rate 20 --duration 90s --quiet --out " +
                         e2e::shell_quote(dir + "/run") + " -- " + joined(watched) + " >" +
                         e2e::shell_quote(dir + "/stdout.txt") + " 2>" + e2e::shell_quote(dir + "/stderr.txt"));
  INFO(e2e::read_text(dir + "/stderr.txt"));
  CHECK(code != 0);  // the client's server went away mid-run

  const json run = read_json(dir + "/watch/run.json");
  REQUIRE(run["watchdog"].size() == 1);
  const json& event = run["watchdog"][0];
  CHECK(event["trigger"] == "max-footprint");
  CHECK(event["action"] == "kill");
  CHECK(event["footprint_bytes"].get<double>() >= 100e6);
  const double crossed_at = event["sample_t_s"].get<double>();
  // The sample before it was under the limit: the first crossing was acted on.
  double before = -1;
  for (const auto& s : jsonl(dir + "/watch/samples.jsonl")) {
    if (s["t_s"].get<double>() < crossed_at) before = s["footprint_bytes"].get<double>();
  }
  CHECK(before >= 0);
  CHECK(before < 100e6);
  // Acted on within a sampling interval of that sample (250 ms); the bound allows for a
  // loaded machine, an action at the next report (60 s) would fail it.
  CHECK(event["acted_at_s"].get<double>() - crossed_at < 2.0);
  const std::string evidence = dir + "/watch/" + event["evidence_dir"].get<std::string>();
  const auto files = event["evidence_files"].get<std::vector<std::string>>();
  CHECK(std::find(files.begin(), files.end(), "processes.tsv") != files.end());
  CHECK(std::any_of(files.begin(), files.end(), [](const std::string& f) { return f.rfind("smaps_rollup.", 0) == 0; }));
  for (const auto& f : files) {
    INFO(f);
    CHECK(std::filesystem::file_size(evidence + "/" + f) > 0);
  }
  CHECK(contains(e2e::read_text(evidence + "/processes.tsv"), "mcp_test_server"));
  const e2e::Run w = e2e::load_run(dir + "/watch");
  REQUIRE(w.report.is_object());
  CHECK(any_warning(run, "session ended: the watchdog killed the server"));
  CHECK(e2e::no_server_left(w));
}

TEST_CASE("watch: a recorded session replays the same tools in the same order, as the same client",
          "[e2e][watch]") {
  const std::string dir = e2e::fresh_dir("watch-record");
  {
    std::ofstream scenario(dir + "/session.json");
    scenario << R"({"name":"three-tools","phases":[{"name":"loop","calls":9,"rate":4,"steps":[
      {"tool":"echo","args":{"message":"${HOME} stays literal","token":"s3cret"}},
      {"tool":"Snapshot","args":{"use_vision":false}},
      {"tool":"App","args":{"mode":"switch","name":"Finder"}}]}]})";
  }
  const std::vector<std::string> watched =
      watch_cmd({"--record", dir + "/recorded.json", "--redact", "tok*", "--out", dir + "/watch", "--quiet"},
                {e2e::test_server_bin()});
  shell("timeout -k 5 240 " + e2e::shell_quote(e2e::mcpleak_bin()) + " run --scenario " +
        e2e::shell_quote(dir + "/session.json") + " --var HOME='${HOME}' --duration 60s --quiet --out " +
        e2e::shell_quote(dir + "/first") + " -- " + joined(watched) + " >/dev/null 2>" +
        e2e::shell_quote(dir + "/first.stderr"));
  const auto first = tool_sequence(dir + "/first/calls.jsonl");
  REQUIRE(first.size() == 9);
  CHECK(tool_sequence(dir + "/watch/calls.jsonl") == first);

  const json recorded = read_json(dir + "/recorded.json");
  INFO(recorded.dump(2));
  REQUIRE(recorded["phases"][0]["steps"].size() == 9);
  CHECK(recorded["phases"][0]["pace"] == "recorded");
  CHECK(recorded["client"]["clientInfo"]["name"] == "mcpleak");
  const json first_run = read_json(dir + "/first/run.json");
  CHECK(recorded["client"]["protocolVersion"] == first_run["protocol_version"]);
  const json& echo = recorded["phases"][0]["steps"][0]["args"];
  CHECK(echo["message"] == "$${HOME} stays literal");
  CHECK(echo["token"] == "${token}");

  // The replay: the same tools in the same order, looping, as the same client.
  auto replay = e2e::run_mcpleak("watch-replay",
                                 {"run", "--scenario", dir + "/recorded.json", "--duration", "20s", "--quiet"},
                                 {e2e::test_server_bin()});
  INFO(replay.stderr_text);
  const auto replayed = tool_sequence(replay.out_dir + "/calls.jsonl", 0);
  REQUIRE(replayed.size() >= first.size());
  CHECK(std::vector<std::string>(replayed.begin(), replayed.begin() + static_cast<long>(first.size())) == first);
  const json replay_run = read_json(replay.out_dir + "/run.json");
  CHECK(replay_run["protocol_version"] == first_run["protocol_version"]);
  CHECK(replay_run["phases"][0]["name"] == "recorded");
}

TEST_CASE("watch: SIGTERM ends the session, writes the reports and leaves no process", "[e2e][watch]") {
  const std::string dir = e2e::fresh_dir("watch-sigterm");
  const Spawned watch = spawn_holding_stdin(
      watch_cmd({"--out", dir + "/run", "--sample-every", "250ms"}, {e2e::test_server_bin(), "--children", "2"}), dir);
  // Running once a few samples of the whole tree are on disk.
  const bool sampling = wait_until(
      [&] {
        for (const auto& s : jsonl(dir + "/run/samples.jsonl")) {
          if (s.contains("pids") && s["pids"].size() >= 3) return true;
        }
        return false;
      },
      60s);
  CHECK(sampling);
  REQUIRE(::kill(watch.pid, SIGTERM) == 0);
  const int code = wait_exit(watch.pid, 60s);
  ::close(watch.stdin_write);
  // The test server's children outlive their leader: watch names them as orphans (a leak
  // of processes, exit 1) and cleans them up.
  CHECK(code == 1);
  const json run = read_json(dir + "/run/run.json");
  CHECK(any_warning(run, "session ended: signal 15"));
  CHECK(run["interrupted"].get<bool>());
  const e2e::Run r = e2e::load_run(dir + "/run");
  REQUIRE(r.report.is_object());
  CHECK(contains(r.report["reason"].get<std::string>(), "2 orphaned processes after disconnect"));
  CHECK(r.server_pids().size() >= 3);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("watch: usage errors and a server that cannot start", "[e2e][watch]") {
  const std::string dir = e2e::fresh_dir("watch-usage");
  auto run_watch = [&](const std::string& args) {
    return shell("timeout -k 5 120 " + e2e::shell_quote(e2e::mcpleak_bin()) + " watch " + args + " </dev/null >" +
                 e2e::shell_quote(dir + "/stdout.txt") + " 2>" + e2e::shell_quote(dir + "/stderr.txt"));
  };
  CHECK(run_watch("--out " + dir + "/a") == 2);
  CHECK(contains(e2e::read_text(dir + "/stderr.txt"), "no server command"));
  CHECK(run_watch("--action kill --out " + dir + "/b -- true") == 2);
  CHECK(contains(e2e::read_text(dir + "/stderr.txt"), "--action kill needs a limit"));
  CHECK(run_watch("--max-footprint lots --out " + dir + "/c -- true") == 2);
  CHECK(contains(e2e::read_text(dir + "/stderr.txt"), "'lots' is not a size"));
  CHECK(run_watch("--redact key --out " + dir + "/d -- true") == 2);
  CHECK(contains(e2e::read_text(dir + "/stderr.txt"), "add --record FILE"));
  CHECK(run_watch("--action restart-on-idle --max-footprint 1GB --out " + dir + "/e -- true") == 2);

  // A command that does not exist: server failed (3), said so, and reported.
  CHECK(run_watch("--out " + dir + "/f -- /nonexistent/mcp-server") == 3);
  CHECK(contains(e2e::read_text(dir + "/stderr.txt"), "the server would not start"));
  const json run = read_json(dir + "/f/run.json");
  CHECK(contains(run["server_failure"].get<std::string>(), "would not start"));
  CHECK(std::filesystem::exists(dir + "/f/report.json"));
  CHECK(e2e::read_text(dir + "/stdout.txt").empty());  // nothing but the server's bytes on stdout
}
