// End to end: the real mcpleak binary against the real mcp_test_server, one way of
// leaking or misbehaving per test. Each checks the exit code, the report and that no
// server process is left behind.
#include <cmath>

#include "tests/e2e/e2e_support.h"
#include "tests/support/catch.h"

using e2e::run_mcpleak;
using e2e::test_server_bin;

namespace {

constexpr double kMB = 1e6;

// Short runs for tests whose outcome does not depend on the statistics.
const std::vector<std::string> kQuick = {"--warmup", "1s", "--min-duration", "5s", "--quiet"};

std::vector<std::string> run_args(std::vector<std::string> extra) {
  std::vector<std::string> args = {"run"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

TEST_CASE("a server leaking a known amount per call is leaking, with the right slope", "[e2e]") {
  // 40 000 B per call at 5 calls/s = 12.0 MB/min of retained dirty heap.
  const double truth = 40000.0 * 5 * 60;
  auto r = run_mcpleak("leak-per-call",
                       run_args({"--tool", "Snapshot", "--args", R"({"use_vision":false})", "--rate", "5",
                                 "--duration", "2m", "--quiet"}),
                       {test_server_bin(), "--leak-per-call", "40000"});
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 1);
  CHECK(r.report["verdict"] == "leaking");
  const double slope = r.report["growth"]["bytes_per_min"].get<double>();
  CHECK(std::fabs(slope - truth) / truth < 0.20);
  CHECK(r.report["verdict_at_s"].get<double>() <= 60);
  CHECK(r.report["growth"]["driver"] == "calls");
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("a server with large transient allocations is bounded", "[e2e]") {
  // 4 MB allocated, touched and freed per call: RSS churns, nothing is retained.
  auto r = run_mcpleak("bounded-transient",
                       run_args({"--tool", "Snapshot", "--rate", "5", "--duration", "90s",
                                 "--min-duration", "20s", "--quiet"}),
                       {test_server_bin(), "--transient", "4000000"});
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 0);
  CHECK(r.report["verdict"] == "bounded");
  CHECK(std::fabs(r.report["growth"]["bytes_per_min"].get<double>()) < 1 * kMB);
  CHECK(r.report["calls"]["ok"].get<int>() > 50);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("time-driven growth in a child process is caught by sampling the whole tree", "[e2e]") {
  // The leader stays flat; each of two children leaks 100 KB/s = 6 MB/min, 12 MB/min in all.
  auto r = run_mcpleak("idle-child-leak", {"run", "--scenario", "idle", "--duration", "2m", "--quiet"},
                       {test_server_bin(), "--children", "2", "--child-leak-per-sec", "100000"});
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 1);
  CHECK(r.report["server"]["pids"].size() >= 3);
  const double slope = r.report["growth"]["bytes_per_min"].get<double>();
  CHECK(std::fabs(slope - 12 * kMB) / (12 * kMB) < 0.20);
  CHECK(r.report["growth"]["driver"] == "time");
  // Which process grows: each child about half of the tree's growth, the leader none of it.
  const auto& processes = r.report["processes"];
  REQUIRE(processes.size() == 3);
  const pid_t leader = r.server_pids().front();
  double children_share = 0;
  for (const auto& p : processes) {
    INFO(p.dump());
    REQUIRE(p["share_of_growth"].is_number());
    const double share = p["share_of_growth"].get<double>();
    if (p["pid"].get<pid_t>() == leader) {
      CHECK(p["role"] == "leader");
      CHECK(std::fabs(share) < 0.05);
    } else {
      CHECK(p["role"] == "child");
      CHECK(p["parent"].get<pid_t>() == leader);
      CHECK(std::fabs(p["bytes_per_min"].get<double>() - 6 * kMB) / (6 * kMB) < 0.20);
      children_share += share;
    }
  }
  CHECK(std::fabs(children_share - 1) < 0.15);
  CHECK(processes[0]["role"] == "child");  // largest growth first
  CHECK(r.report["verdict_line"].get<std::string>().find("of the tree's") != std::string::npos);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("a run records what mcpleak itself cost, and each sample carries each source at its cadence", "[e2e]") {
  auto r = run_mcpleak("own-cost",
                       run_args({"--tool", "Snapshot", "--rate", "5", "--duration", "12s", "--no-early-stop", "--quiet"}),
                       {test_server_bin()});
  INFO(r.stderr_text);
  const auto run = nlohmann::json::parse(e2e::read_text(r.out_dir + "/run.json"));
  REQUIRE(run["own_cost"].is_object());
  const auto& cost = run["own_cost"];
  INFO(cost.dump(2));
  CHECK(cost["cpu_s"].get<double>() > 0);
  CHECK(cost["cpu_share"].get<double>() > 0);
  CHECK(cost["wall_s"].get<double>() >= 12);
  CHECK(cost["peak_rss_bytes"].get<double>() > 1e6);
  CHECK(cost["sampler"]["ticks"].get<int>() >= 30);  // 12 s at 4 Hz, minus what a loaded machine misses
  CHECK(cost["sampler"]["fds_interval_s"].get<double>() >= 0.25);
  CHECK(r.report["own_cost"]["sampler"]["ticks"] == cost["sampler"]["ticks"]);
  CHECK(e2e::read_text(r.out_dir + "/summary.md").find("| mcpleak's own cost | ") != std::string::npos);

  // Status and fds at every tick (fds later when counting them was slow); smaps_rollup
  // at the first sample, every 10 s, and the last. Never a made-up value.
  std::ifstream in(r.out_dir + "/samples.jsonl");
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  REQUIRE(lines.size() >= 30);
  std::size_t with_fds = 0, with_pss = 0;
  for (const auto& s : lines) {
    REQUIRE(s["pids"].size() >= 1);
    const auto& leader = s["pids"][0];
    CHECK(leader.contains("threads"));
    CHECK(leader["footprint_bytes"].get<double>() > 0);
    CHECK(s.contains("fds") == leader.contains("fds"));  // the tree's sum only when every pid was counted
    with_fds += leader.contains("fds") ? 1 : 0;
    with_pss += leader.contains("pss_bytes") ? 1 : 0;
  }
  CHECK(lines.front()["pids"][0].contains("fds"));
  CHECK(lines.back()["pids"][0].contains("fds"));
  CHECK(with_fds >= lines.size() / 2);
#if defined(__linux__)  // smaps_rollup is Linux's
  CHECK(lines.front()["pids"][0].contains("pss_bytes"));
  CHECK(lines.back()["pids"][0].contains("pss_bytes"));
  CHECK(with_pss >= 2);
  CHECK(with_pss <= 4);
#else
  CHECK(with_pss == 0);
#endif
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("a server that crashes mid-run is server-failed with its samples kept", "[e2e]") {
  auto r = run_mcpleak("crash", run_args({"--tool", "echo", "--rate", "20", "--duration", "60s", "--quiet"}),
                       {test_server_bin(), "--crash-after", "40"});
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 3);
  CHECK(r.report["verdict"] == "server-failed");
  CHECK(r.report["reason"].get<std::string>().find("signal 6") != std::string::npos);
  CHECK(e2e::count_lines(r.out_dir + "/samples.jsonl") > 0);
  CHECK(e2e::count_lines(r.out_dir + "/calls.jsonl") >= 40);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("a server that stops answering is declared hung", "[e2e]") {
  auto args = run_args({"--tool", "echo", "--rate", "20", "--duration", "60s", "--call-timeout", "1s"});
  args.insert(args.end(), kQuick.begin(), kQuick.end());
  auto r = run_mcpleak("hang", args, {test_server_bin(), "--hang-after", "10"});
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 3);
  CHECK(r.report["reason"].get<std::string>().find("hung") != std::string::npos);
  CHECK(r.report["calls"]["failed"].get<int>() == 3);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("a server flooding stderr never blocks the run", "[e2e]") {
  auto args = run_args({"--tool", "echo", "--rate", "20", "--duration", "15s"});
  args.insert(args.end(), kQuick.begin(), kQuick.end());
  auto r = run_mcpleak("flood-stderr", args, {test_server_bin(), "--flood-stderr"});
  INFO(r.stderr_text);
  CHECK(r.report["verdict"] != "server-failed");
  CHECK(r.report["calls"]["ok"].get<int>() > 100);
  CHECK(r.report["calls"]["failed"].get<int>() == 0);
  // The log is capped, not unbounded: at most 256 MiB plus the cap note.
  CHECK(std::filesystem::file_size(r.out_dir + "/server.log") > 0);
  CHECK(std::filesystem::file_size(r.out_dir + "/server.log") <= (256u << 20) + 200);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("non-JSON lines between answers are skipped and counted", "[e2e]") {
  auto args = run_args({"--tool", "echo", "--rate", "20", "--duration", "10s"});
  args.insert(args.end(), kQuick.begin(), kQuick.end());
  auto r = run_mcpleak("junk-interleaved", args, {test_server_bin(), "--junk-stdout"});
  INFO(r.stderr_text);
  CHECK(r.report["verdict"] != "server-failed");
  CHECK(r.report["non_json_lines"].get<int>() > 100);
  CHECK(r.report["calls"]["failed"].get<int>() == 0);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("a server that prints only junk fails initialize with the junk quoted", "[e2e]") {
  auto r = run_mcpleak("junk-only", run_args({"--init-timeout", "3s", "--quiet", "--tool", "echo"}),
                       {test_server_bin(), "--junk-only"}, 60);
  REQUIRE(r.exit_code == 3);
  const std::string reason = r.report["reason"].get<std::string>();
  CHECK(reason.find("initialize") != std::string::npos);
  CHECK(reason.find("this is not JSON-RPC") != std::string::npos);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("a server that never answers initialize is server-failed", "[e2e]") {
  auto r = run_mcpleak("no-init", run_args({"--init-timeout", "2s", "--quiet", "--tool", "echo"}),
                       {test_server_bin(), "--no-init", "--ignore-sigterm", "--children", "2"}, 60);
  REQUIRE(r.exit_code == 3);
  CHECK(r.report["verdict"] == "server-failed");
  // SIGTERM was ignored by all three: only SIGKILL to the group ended them.
  CHECK(r.report["server"]["pids"].size() == 3);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("a server command that does not exist is server-failed with the name", "[e2e]") {
  auto r = run_mcpleak("no-such-server", run_args({"--quiet", "--tool", "echo"}),
                       {"/nonexistent/mcp-server-xyz"}, 60);
  REQUIRE(r.exit_code == 3);
  CHECK(r.report["reason"].get<std::string>().find("/nonexistent/mcp-server-xyz") != std::string::npos);
}

TEST_CASE("a server that exits after initialize is server-failed with its exit code", "[e2e]") {
  auto r = run_mcpleak("exit-after-init", run_args({"--quiet", "--tool", "echo"}),
                       {test_server_bin(), "--exit-after-init", "7"}, 60);
  REQUIRE(r.exit_code == 3);
  const std::string reason = r.report["reason"].get<std::string>();
  CHECK((reason.find("exit code 7") != std::string::npos || reason.find("closed") != std::string::npos));
}

TEST_CASE("a server that closes stdout but keeps running is stopped and reaped", "[e2e]") {
  auto r = run_mcpleak("close-stdout", run_args({"--quiet", "--tool", "echo", "--duration", "30s"}),
                       {test_server_bin(), "--close-stdout-after-init"}, 60);
  REQUIRE(r.exit_code == 3);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("notifications and a ping before the initialize answer are handled", "[e2e]") {
  auto args = run_args({"--tool", "echo", "--rate", "10", "--duration", "8s"});
  args.insert(args.end(), kQuick.begin(), kQuick.end());
  auto r = run_mcpleak("notify-before-init", args, {test_server_bin(), "--notify-before-init"});
  INFO(r.stderr_text);
  CHECK(r.report["verdict"] != "server-failed");
  CHECK(r.report["calls"]["ok"].get<int>() > 20);
}

TEST_CASE("multi-megabyte responses are read whole", "[e2e]") {
  auto args = run_args({"--tool", "Snapshot", "--rate", "5", "--duration", "8s"});
  args.insert(args.end(), kQuick.begin(), kQuick.end());
  auto r = run_mcpleak("huge-response", args, {test_server_bin(), "--huge-response", "8000000"});
  INFO(r.stderr_text);
  CHECK(r.report["calls"]["failed"].get<int>() == 0);
  CHECK(r.report["calls"]["ok"].get<int>() > 10);
  std::ifstream calls(r.out_dir + "/calls.jsonl");
  std::string first;
  std::getline(calls, first);
  CHECK(nlohmann::json::parse(first)["response_bytes"].get<double>() > 8e6);
}

TEST_CASE("a malformed scenario is a usage error naming the file and JSON path", "[e2e]") {
  const std::string dir = e2e::fresh_dir("bad-scenario-file");
  const std::string file = dir + "/bad.json";
  std::ofstream(file) << R"({"name": "bad", "phases": [{"name": "loop", "steps": [{"tool": 42}]}]})";
  auto r = run_mcpleak("bad-scenario", {"run", "--scenario", file, "--quiet"}, {test_server_bin()}, 60);
  CHECK(r.exit_code == 2);
  CHECK(r.stderr_text.find(file) != std::string::npos);
  CHECK(r.stderr_text.find("$.phases[0].steps[0].tool") != std::string::npos);
}

TEST_CASE("a scenario tool the server does not offer is a usage error listing its tools", "[e2e]") {
  auto r = run_mcpleak("missing-tool", run_args({"--tool", "NoSuchTool", "--quiet"}), {test_server_bin()}, 60);
  CHECK(r.exit_code == 2);
  CHECK(r.stderr_text.find("NoSuchTool") != std::string::npos);
  CHECK(r.stderr_text.find("Snapshot") != std::string::npos);
  // The reports written so far say why nothing was tested, not "too few samples".
  REQUIRE(r.report.is_object());
  CHECK(r.report["verdict"] == "inconclusive");
  const std::string reason = r.report["reason"].get<std::string>();
  INFO(reason);
  CHECK(reason.rfind("nothing was tested: scenario tool-loop: server offers no tool NoSuchTool", 0) == 0);
}

TEST_CASE("bad flags are usage errors", "[e2e]") {
  CHECK(run_mcpleak("bad-budget", run_args({"--budget", "lots"}), {test_server_bin()}, 30).exit_code == 2);
  CHECK(run_mcpleak("no-server", run_args({"--tool", "echo"}), {}, 30).exit_code == 2);
  CHECK(run_mcpleak("bad-duration", run_args({"--duration", "ten"}), {test_server_bin()}, 30).exit_code == 2);
}

TEST_CASE("mcpleak report re-derives the verdict from the saved files", "[e2e]") {
  auto args = run_args({"--tool", "Snapshot", "--rate", "10", "--duration", "40s", "--quiet",
                        "--min-duration", "10s", "--warmup", "2s"});
  auto r = run_mcpleak("report-again", args, {test_server_bin(), "--leak-per-call", "40000"});
  REQUIRE(r.exit_code == 1);
  const auto first = r.report;
  std::filesystem::remove(r.out_dir + "/report.json");
  auto again = run_mcpleak("report-again-2", {"report", r.out_dir}, {}, 60);
  CHECK(again.exit_code == 1);
  auto rewritten = e2e::load_run(r.out_dir).report;
  CHECK(rewritten["verdict"] == first["verdict"]);
  CHECK(rewritten["growth"]["bytes_per_min"] == first["growth"]["bytes_per_min"]);
}

TEST_CASE("SIGINT ends the run, terminates the server and still writes the reports", "[e2e]") {
  const std::string dir = e2e::fresh_dir("sigint");
  const std::string out = dir + "/run";
  std::vector<std::string> argv = {e2e::mcpleak_bin(), "run", "--tool", "echo", "--rate", "10", "--duration",
                                   "5m", "--quiet", "--out", out, "--", test_server_bin(), "--children", "1"};
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, cargv[0], nullptr, nullptr, cargv.data(), environ) == 0);
  // Wait for evidence that the run is under way (samples on disk), bounded in time.
  for (int i = 0; i < 600 && e2e::count_lines(out + "/samples.jsonl") < 8; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(e2e::count_lines(out + "/samples.jsonl") >= 8);
  ::kill(pid, SIGINT);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  auto r = e2e::load_run(out);
  REQUIRE(r.report.is_object());
  CHECK(r.report["interrupted"] == true);
  CHECK(std::filesystem::exists(out + "/summary.md"));
  CHECK(r.server_pids().size() == 2);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("ab runs base and candidate together and fails a leaking candidate", "[e2e]") {
  auto r = run_mcpleak("ab", {"ab", "--base", test_server_bin(), "--candidate",
                              test_server_bin() + " --leak-per-call 40000", "--tool", "Snapshot", "--rate", "5",
                              "--duration", "90s", "--min-duration", "20s", "--quiet", "--out",
                              e2e::fresh_dir("ab-run")},
                       {});
  INFO(r.stderr_text);
  CHECK(r.exit_code == 1);
  CHECK(r.stdout_text.find("worse") != std::string::npos);
  const std::string root = MCPLEAK_BINARY_DIR "/e2e-out/ab-run";
  auto base = e2e::load_run(root + "/base");
  auto cand = e2e::load_run(root + "/candidate");
  CHECK(base.report["verdict"] == "bounded");
  CHECK(cand.report["verdict"] == "leaking");
  CHECK(std::filesystem::exists(root + "/compare.html"));
  CHECK(std::filesystem::exists(root + "/compare.md"));
  CHECK(e2e::no_server_left(base));
  CHECK(e2e::no_server_left(cand));

  SECTION("compare: the fixed direction exits 0, the regression exits 1") {
    CHECK(run_mcpleak("compare-fixed", {"compare", root + "/candidate", root + "/base"}, {}, 60).exit_code == 0);
    CHECK(run_mcpleak("compare-worse", {"compare", root + "/base", root + "/candidate"}, {}, 60).exit_code == 1);
  }
}

TEST_CASE("a token on the server's command line appears in no report", "[e2e]") {
  auto args = run_args({"--tool", "echo", "--rate", "10", "--duration", "6s"});
  args.insert(args.end(), kQuick.begin(), kQuick.end());
  auto r = run_mcpleak("redact", args, {"env", "MCP_API_TOKEN=hunter2-secret", test_server_bin()});
  REQUIRE(r.report.is_object());
  for (const char* file : {"report.json", "summary.md", "junit.xml", "report.html", "run.json"}) {
    INFO(file);
    const std::string text = e2e::read_text(std::filesystem::path(r.out_dir) / file);
    CHECK(!text.empty());
    CHECK(text.find("hunter2") == std::string::npos);
  }
  CHECK(r.report["server"]["command"][1] == "MCP_API_TOKEN=***");
}
