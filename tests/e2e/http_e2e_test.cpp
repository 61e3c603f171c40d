// End to end over Streamable HTTP (issue 8): the real mcpleak binary starts a real server
// that listens on a loopback port (axref --transport streamable-http, and the third-party
// server-everything), drives it with POSTs, and samples its process tree. The per-session
// leak's truth is axref's documented size: 64 KiB per closed session times --inject-scale
// (reference/README.md).
#include <spawn.h>

#include <cmath>

#include "tests/e2e/e2e_support.h"
#include "tests/support/catch.h"

using e2e::axref_bin;
using e2e::run_mcpleak;

namespace {

constexpr double kKiB = 1024.0;
constexpr double kScale = 4;


std::string summary(const e2e::Run& r) {
  if (!r.report.is_object()) return "exit " + std::to_string(r.exit_code) + ", no report.json; stderr: " + r.stderr_text;
  return "exit " + std::to_string(r.exit_code) + ", verdict " + r.report.value("verdict", std::string("?")) + ", " +
         r.report.value("reason", std::string()) + ", growth " + r.report["growth"].dump() + ", diagnostics " +
         r.report["diagnostics"].dump() + ", calls " + r.report["calls"].dump() + "; stderr: " + r.stderr_text;
}

const std::vector<std::string> kSessionsRun = {"--scenario", "sessions", "--duration", "90s", "--min-duration",
                                               "20s", "--warmup", "2s", "--quiet"};

std::vector<std::string> run_args(int port, const std::vector<std::string>& rest) {
  std::vector<std::string> a{"run", "--http", e2e::mcp_url(port)};
  a.insert(a.end(), rest.begin(), rest.end());
  return a;
}

}  // namespace

TEST_CASE("http: fixed axref is bounded on sessions and frees every closed session", "[e2e][http]") {
  const int port = e2e::free_loopback_port();
  auto r = run_mcpleak("http-axref-fixed-sessions", run_args(port, kSessionsRun), e2e::axref_http(port));
  INFO(summary(r));
  REQUIRE(r.exit_code == 0);
  CHECK(r.report["verdict"] == "bounded");
  CHECK(r.report["server"]["transport"] == "streamable-http");
  CHECK(r.report["server"]["url"] == e2e::mcp_url(port));
  CHECK(r.report["calls"]["failed"].get<int>() == 0);
  CHECK(r.report["calls"]["ok"].get<int>() >= 100);
  const auto& end = r.report["diagnostics"]["end"];
  CHECK(end["retained_sessions"].get<double>() == 0);
  CHECK(end["live_sessions"].get<double>() <= 1);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("http: session-retain is leaking, attributed to sessions at the injected size", "[e2e][http]") {
  const int port = e2e::free_loopback_port();
  auto r = run_mcpleak("http-axref-session-retain", run_args(port, kSessionsRun),
                       e2e::axref_http(port, {"--inject", "session-retain", "--inject-scale", "4"}));
  INFO(summary(r));
  REQUIRE(r.exit_code == 1);
  CHECK(r.report["verdict"] == "leaking");
  CHECK(r.report["growth"]["driver"] == "sessions");
  const double per_session = r.report["growth"]["bytes_per_session"].get<double>();
  CHECK(std::fabs(per_session - 64 * kKiB * kScale) < 0.2 * 64 * kKiB * kScale);
  CHECK(r.report["diagnostics"]["end"]["retained_sessions"].get<double>() >= 20);
  CHECK(r.report["verdict_at_s"].get<double>() <= 60);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("http: a server that never listens is server-failed, with the reason", "[e2e][http]") {
  const int port = e2e::free_loopback_port();
  // The stdio test server: alive, but no port.
  auto r = run_mcpleak("http-never-listens",
                       run_args(port, {"--tool", "Snapshot", "--duration", "30s", "--init-timeout", "3s", "--quiet"}),
                       {e2e::test_server_bin()}, 60);
  INFO(summary(r));
  REQUIRE(r.exit_code == 3);
  CHECK(r.report["verdict"] == "server-failed");
  CHECK(r.report["reason"].get<std::string>().find("nothing listened on " + e2e::mcp_url(port)) != std::string::npos);
  CHECK(r.report["samples"].get<int>() > 0);  // sampled while it waited
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("http: a server that exits before listening is server-failed with its exit status", "[e2e][http]") {
  const int port = e2e::free_loopback_port();
  auto r = run_mcpleak("http-exits-early", run_args(port, {"--tool", "Snapshot", "--duration", "30s", "--quiet"}),
                       {"sh", "-c", "echo 'cannot bind: permission denied' >&2; exit 7"}, 60);
  INFO(summary(r));
  REQUIRE(r.exit_code == 3);
  const std::string reason = r.report["reason"].get<std::string>();
  CHECK(reason.find("exited before listening") != std::string::npos);
  CHECK(reason.find("7") != std::string::npos);
  CHECK(reason.find("cannot bind") != std::string::npos);  // server.log's first line
}

TEST_CASE("http: a port already taken is a usage error before anything starts", "[e2e][http]") {
  const int port = e2e::free_loopback_port();
  const auto squatter = e2e::axref_http(port);
  std::vector<char*> argv;
  for (const auto& a : squatter) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) == 0);
  // Wait, bounded, until the squatter accepts connections.
  bool listening = false;
  for (int i = 0; i < 200 && !listening; ++i) {
    listening = e2e::port_accepts(port);
    if (!listening) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(listening);
  auto r = run_mcpleak("http-port-taken", run_args(port, {"--tool", "Snapshot", "--duration", "30s", "--quiet"}),
                       e2e::axref_http(port), 60);
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  INFO(r.stderr_text);
  CHECK(r.exit_code == 2);
  CHECK(r.stderr_text.find("already listens") != std::string::npos);
}

TEST_CASE("http: the sessions scenario over stdio is a usage error naming --http", "[e2e][http]") {
  auto r = run_mcpleak("http-sessions-over-stdio", {"run", "--scenario", "sessions", "--quiet"}, {axref_bin()}, 60);
  INFO(r.stderr_text);
  CHECK(r.exit_code == 2);
  CHECK(r.stderr_text.find("--http") != std::string::npos);
}

TEST_CASE("http: server-everything over Streamable HTTP, echo for 30 s", "[e2e][http][third-party]") {
  const std::string server = MCPLEAK_BINARY_DIR "/tools/node_modules/.bin/mcp-server-everything";
  INFO("install it with: ci/setup --test");
  REQUIRE(std::filesystem::exists(server));
  const int port = e2e::free_loopback_port();
  auto r = run_mcpleak("http-server-everything",
                       run_args(port, {"--tool", "echo", "--args", R"({"message":"hello"})", "--rate", "5",
                                       "--duration", "30s", "--no-early-stop", "--quiet"}),
                       {"env", "PORT=" + std::to_string(port), server, "streamableHttp"});
  INFO(summary(r));
  REQUIRE(r.report.is_object());
  CHECK(r.exit_code != 3);
  CHECK(r.report["calls"]["ok"].get<int>() >= 100);
  CHECK(r.report["calls"]["failed"].get<int>() == 0);
  CHECK(r.report["server"]["name"].get<std::string>().find("everything") != std::string::npos);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("http: ab over HTTP, one port each, fails the session-retaining candidate", "[e2e][http]") {
  const int base_port = e2e::free_loopback_port();
  int cand_port = e2e::free_loopback_port();
  while (cand_port == base_port) cand_port = e2e::free_loopback_port();
  auto join = [](const std::vector<std::string>& argv) {
    std::string s;
    for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
    return s;
  };
  const std::string root = e2e::fresh_dir("http-ab-run");
  auto r = run_mcpleak("http-ab",
                       {"ab", "--base", join(e2e::axref_http(base_port)), "--candidate",
                        join(e2e::axref_http(cand_port, {"--inject", "session-retain", "--inject-scale", "4"})),
                        "--http", e2e::mcp_url(base_port), "--candidate-http", e2e::mcp_url(cand_port), "--scenario", "sessions",
                        "--duration", "90s", "--min-duration", "20s", "--warmup", "2s", "--quiet", "--out", root},
                       {});
  INFO(r.stderr_text << r.stdout_text);
  CHECK(r.exit_code == 1);
  auto base = e2e::load_run(root + "/base");
  auto cand = e2e::load_run(root + "/candidate");
  CHECK(base.report["verdict"] == "bounded");
  CHECK(base.report["server"]["url"] == e2e::mcp_url(base_port));
  CHECK(cand.report["verdict"] == "leaking");
  CHECK(cand.report["server"]["url"] == e2e::mcp_url(cand_port));
  CHECK(e2e::no_server_left(base));
  CHECK(e2e::no_server_left(cand));
}

TEST_CASE("http: ab with --http but no --candidate-http is a usage error", "[e2e][http]") {
  auto r = run_mcpleak("http-ab-one-port",
                       {"ab", "--base", axref_bin(), "--candidate", axref_bin(), "--http", e2e::mcp_url(1), "--quiet"}, {}, 60);
  CHECK(r.exit_code == 2);
  CHECK(r.stderr_text.find("--candidate-http") != std::string::npos);
}
