// Leaks beyond memory, end to end: real servers that leak one fd, thread or process per
// call, leave a detached child behind, or end their child properly; the disconnect at
// the end of a run and the reconnect scenario; a Node server driving headless Chromium.
// Each server's helpers carry a tag unique to the test, so the checks that nothing is
// left running look only at processes this test started.
#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/e2e_support.h"
#include "tests/support/catch.h"

using e2e::run_mcpleak;

namespace {

const std::string kServer = MCPLEAK_SOURCE_DIR "/tests/servers/py_resource_server.py";
const std::string kBrowserServer = MCPLEAK_SOURCE_DIR "/tests/servers/node_browser_server.mjs";

std::vector<std::string> server(const std::string& tag, std::vector<std::string> flags = {}) {
  std::vector<std::string> cmd{"/usr/bin/python3", kServer, "--tag", tag};
  cmd.insert(cmd.end(), flags.begin(), flags.end());
  return cmd;
}

// Pids of live processes whose command line holds `needle` (zombies are not alive).
std::vector<pid_t> processes_with(const std::string& needle) {
  std::vector<pid_t> out;
  for (const auto& d : std::filesystem::directory_iterator("/proc")) {
    const std::string name = d.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = e2e::read_text(d.path() / "cmdline");
    for (char& c : cmdline) c = c == '\0' ? ' ' : c;
    const std::string stat = e2e::read_text(d.path() / "stat");
    const auto close = stat.rfind(')');
    const bool zombie = close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
    if (!zombie && cmdline.find(needle) != std::string::npos) out.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return out;
}

const nlohmann::json& resource(const e2e::Run& r, const std::string& name) {
  for (const auto& v : r.report["resources"]) {
    if (v["name"] == name) return v;
  }
  FAIL("no resource " << name << " in " << r.report["resources"].dump());
  throw std::logic_error("unreachable");
}

std::vector<std::string> loop(const std::string& tool, const std::string& duration = "40s") {
  return {"run", "--tool", tool, "--rate", "10", "--warmup", "3s", "--min-duration", "15s", "--duration", duration,
          "--quiet"};
}

TEST_CASE("one fd per call: leaking on fds at +1.00 per call, the footprint judged on its own", "[e2e][resources]") {
  auto r = run_mcpleak("res-fd", loop("fd"), server("res-fd"));
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 1);
  const auto& fds = resource(r, "fds");
  INFO(fds.dump(2));
  CHECK(fds["verdict"] == "leaking");
  CHECK(fds["per_call"].get<double>() == Approx(1.0).epsilon(0.05));
  CHECK(fds["driver"] == "calls");
  // The verdict line leads with the fds and gives the footprint's own verdict beside it.
  const std::string line = r.report["verdict_line"];
  CHECK(line.find("LEAKING: fds +1.0") == 0);
  CHECK(line.find("; footprint ") != std::string::npos);
  CHECK(r.report["footprint_verdict"].is_string());
  CHECK(resource(r, "threads")["verdict"] == "bounded");
  CHECK(resource(r, "processes")["verdict"] == "bounded");
  const std::string summary = e2e::read_text(r.out_dir + "/summary.md");
  CHECK(summary.find("### Resources") != std::string::npos);
  CHECK(summary.find("| fds | leaking |") != std::string::npos);
  const std::string html = e2e::read_text(r.out_dir + "/report.html");
  CHECK(html.find("<h2>Resources</h2>") != std::string::npos);
  CHECK(html.find("open fds") != std::string::npos);  // the chart's line
}

TEST_CASE("axref observer-fd keeps one fd per Snapshot and no memory: leaking on fds, footprint bounded",
          "[e2e][resources][axref]") {
  auto r = run_mcpleak("res-axref-fd",
                       {"run", "--scenario", "snapshot-loop", "--duration", "40s", "--min-duration", "15s", "--quiet"},
                       {e2e::axref_bin(), "--backend", "synthetic", "--inject", "observer-fd"});
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 1);
  const auto& fds = resource(r, "fds");
  INFO(fds.dump(2));
  CHECK(fds["verdict"] == "leaking");
  CHECK(fds["per_call"].get<double>() == Approx(1.0).epsilon(0.05));
  CHECK(r.report["footprint_verdict"] == "bounded");
  CHECK(r.report["verdict_line"].get<std::string>().find("; footprint bounded") != std::string::npos);
}

TEST_CASE("one thread per call: leaking on threads at +1.00 per call", "[e2e][resources]") {
  auto r = run_mcpleak("res-thread", loop("thread"), server("res-thread"));
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 1);
  const auto& threads = resource(r, "threads");
  INFO(threads.dump(2));
  CHECK(threads["verdict"] == "leaking");
  CHECK(threads["per_call"].get<double>() == Approx(1.0).epsilon(0.05));
  CHECK(resource(r, "fds")["verdict"] == "bounded");
}

TEST_CASE("one process per call: processes leak, and each is an orphan once the server is gone",
          "[e2e][resources]") {
  auto r = run_mcpleak("res-spawn", loop("spawn", "30s"), server("res-spawn"));
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 1);
  const auto& processes = resource(r, "processes");
  INFO(processes.dump(2));
  CHECK(processes["verdict"] == "leaking");
  CHECK(processes["per_call"].get<double>() == Approx(1.0).epsilon(0.05));
  const auto& orphans = r.report["orphans"];
  REQUIRE(orphans["status"] == "done");
  // Every call's child outlived the server: as many orphans as calls that succeeded.
  std::size_t survived = 0;
  for (const auto& p : orphans["processes"]) survived += p["fate"] == "survived" ? 1 : 0;
  CHECK(survived == r.report["calls"]["ok"].get<std::size_t>());
  CHECK(processes_with("res-spawn-spawned-helper").empty());
}

TEST_CASE("a detached child that outlives the server is an orphan, listed with its command, then cleaned up",
          "[e2e][resources]") {
  auto r = run_mcpleak("res-detached", loop("echo", "20s"), server("res-detached", {"--detached-child"}));
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 1);
  const auto& orphans = r.report["orphans"];
  INFO(orphans.dump(2));
  REQUIRE(orphans["processes"].size() == 1);
  const auto& p = orphans["processes"][0];
  CHECK(p["fate"] == "survived");
  CHECK(p["cleaned_up"] == true);
  CHECK(p["command"].get<std::string>().find("res-detached-detached-helper") != std::string::npos);
  CHECK(p["footprint_bytes"].get<std::uint64_t>() > 0);
  CHECK(resource(r, "orphans")["verdict"] == "leaking");
  CHECK(r.report["verdict_line"].get<std::string>().find("LEAKING: 1 orphaned process after disconnect") == 0);
  CHECK(r.stderr_text.find("outlived the disconnect") != std::string::npos);
  CHECK(processes_with("res-detached-detached-helper").empty());
}

TEST_CASE("keep-orphans lists the survivor and leaves it running", "[e2e][resources]") {
  auto r = run_mcpleak("res-keep", [] {
    auto a = loop("echo", "20s");
    a.push_back("--keep-orphans");
    return a;
  }(), server("res-keep", {"--detached-child"}));
  INFO(r.stderr_text);
  const auto alive = processes_with("res-keep-detached-helper");
  for (pid_t pid : alive) ::kill(pid, SIGKILL);  // the test's own cleanup, checked below
  REQUIRE(r.exit_code == 1);
  CHECK(r.report["orphans"]["kept"] == true);
  REQUIRE(alive.size() == 1);
  CHECK(r.report["orphans"]["processes"][0]["pid"].get<pid_t>() == alive[0]);
  CHECK(r.report["orphans"]["processes"][0]["cleaned_up"] == false);
}

TEST_CASE("a server that ends its child on stdin close is bounded with no orphans", "[e2e][resources]") {
  auto r = run_mcpleak("res-owned", loop("echo", "20s"), server("res-owned", {"--child"}));
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 0);
  for (const auto& v : r.report["resources"]) {
    INFO(v.dump());
    CHECK(v["verdict"] == "bounded");
  }
  CHECK(r.report["orphans"]["status"] == "done");
  for (const auto& p : r.report["orphans"]["processes"]) CHECK(p["fate"] == "exited in grace");
  CHECK(processes_with("res-owned-owned-helper").empty());
}

TEST_CASE("reconnect: a detached child per start leaks one orphan per reconnect, listed, none left after",
          "[e2e][resources]") {
  auto r = run_mcpleak("res-reconnect", {"run", "--scenario", "reconnect", "--var", "cycles=4", "--var", "tool=echo"},
                       server("res-reconnect", {"--detached-child"}));
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 1);
  const auto& cycles = r.report["reconnect_cycles"];
  REQUIRE(cycles.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(cycles[i]["calls_ok"] == 3);
    CHECK(cycles[i]["survivors"] == i + 1);  // they add up, as on a user's machine
  }
  const auto& orphans = resource(r, "orphans");
  CHECK(orphans["verdict"] == "leaking");
  CHECK(orphans["per_reconnect"].get<double>() == Approx(1.0));
  CHECK(r.report["verdict_line"] == "LEAKING: orphans 4 after 4 reconnects (1 per reconnect)");
  CHECK(r.report["reason"].get<std::string>().find("res-reconnect-detached-helper") != std::string::npos);
  CHECK(processes_with("res-reconnect-detached-helper").empty());
}

TEST_CASE("reconnect: a server that ends its child is bounded", "[e2e][resources]") {
  auto r = run_mcpleak("res-reconnect-ok", {"run", "--scenario", "reconnect", "--var", "cycles=3"},
                       server("res-reconnect-ok", {"--child"}));
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 0);
  CHECK(r.report["verdict"] == "bounded");
  for (const auto& c : r.report["reconnect_cycles"]) CHECK(c["survivors"] == 0);
  CHECK(processes_with("res-reconnect-ok-owned-helper").empty());
}

TEST_CASE("reconnect refuses what it cannot do: over HTTP, attached", "[e2e][resources]") {
  auto http = run_mcpleak("res-reconnect-http", {"run", "--scenario", "reconnect", "--http", "http://127.0.0.1:9/mcp"},
                          server("res-reconnect-http"));
  CHECK(http.exit_code == 2);
  CHECK(http.stderr_text.find("--scenario sessions --var close=abandon") != std::string::npos);
  auto attach = run_mcpleak("res-reconnect-attach", {"run", "--scenario", "reconnect", "--attach", "1"}, {});
  CHECK(attach.exit_code == 2);
  CHECK(attach.stderr_text.find("not --attach") != std::string::npos);
}

// Measured, not tuned: headless Chromium's tree is ~11 processes on Debian 12's chromium
// 120+ (browser, zygotes, GPU/utility/renderer, crashpad); the test asserts only that
// every reconnect leaves a browser tree behind, and that the fixed server leaves none.
TEST_CASE("a Node server driving headless Chromium leaves a browser tree per reconnect, closing it fixes that",
          "[e2e][resources][chromium]") {
  const std::string profiles = e2e::fresh_dir("res-browser-profiles");
  auto leaky = run_mcpleak("res-browser", {"run", "--scenario", "reconnect", "--var", "cycles=3", "--var", "tool=page"},
                           {"node", kBrowserServer, "--profile-root", profiles});
  INFO(leaky.stderr_text);
  REQUIRE(leaky.exit_code == 1);
  const auto& cycles = leaky.report["reconnect_cycles"];
  REQUIRE(cycles.size() == 3);
  // Cycles leave a browser and its helpers that add up. Not asserted per cycle: some
  // helpers of older trees end on their own, and on a loaded CI runner a browser has died
  // during start-up (1 cycle in 9 seen; server.log then says "browser pid N exited").
  INFO(e2e::read_text(leaky.out_dir + "/server.log"));
  CHECK(cycles[2]["survivors"].get<std::uint64_t>() > cycles[0]["survivors"].get<std::uint64_t>());
  CHECK(cycles[2]["survivors_footprint_bytes"].get<std::uint64_t>() >
        cycles[0]["survivors_footprint_bytes"].get<std::uint64_t>());
  std::set<int> leaving_cycles;
  for (const auto& p : leaky.report["orphans"]["processes"]) {
    if (p["fate"] == "survived") leaving_cycles.insert(p["cycle"].get<int>());
  }
  CHECK(leaving_cycles.size() >= 2);
  bool chromium_listed = false;
  for (const auto& p : leaky.report["orphans"]["processes"]) {
    chromium_listed |= p["command"].get<std::string>().find(profiles) != std::string::npos;
  }
  CHECK(chromium_listed);
  CHECK(processes_with(profiles).empty());

  auto fixed = run_mcpleak("res-browser-fixed", {"run", "--scenario", "reconnect", "--var", "cycles=3", "--var", "tool=page"},
                           {"node", kBrowserServer, "--profile-root", profiles, "--close-browser-on-exit"});
  INFO(fixed.stderr_text);
  CHECK(fixed.exit_code == 0);
  for (const auto& c : fixed.report["reconnect_cycles"]) CHECK(c["survivors"] == 0);
  CHECK(processes_with(profiles).empty());
}

}  // namespace
