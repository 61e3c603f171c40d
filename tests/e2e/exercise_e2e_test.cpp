// Honest verdicts, end to end: a run whose calls fail, or whose server stops answering,
// is never `bounded`. The real mcpleak binary against the real mcp_test_server, told to
// fail a known share of its calls or to freeze after a known number of them.
#include <chrono>
#include <string>
#include <vector>

#include "tests/e2e/e2e_support.h"
#include "tests/support/catch.h"

using e2e::run_mcpleak;
using e2e::test_server_bin;

namespace {

// Short statistics: without the exercise rule each of these runs would be decided
// bounded at its first look, about 6 s in.
const std::vector<std::string> kQuick = {"--warmup", "1s", "--min-duration", "5s", "--quiet"};

std::vector<std::string> echo_loop(const std::string& duration, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"run", "--tool", "echo", "--args", "{}", "--rate", "5", "--duration", duration};
  args.insert(args.end(), kQuick.begin(), kQuick.end());
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::string reason(const e2e::Run& r) { return r.report.value("reason", ""); }

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Calls of calls.jsonl that timed out, with the time each was sent.
std::vector<double> timed_out_calls(const std::string& out_dir) {
  std::vector<double> sent;
  std::ifstream in(out_dir + "/calls.jsonl");
  for (std::string line; std::getline(in, line);) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.value("timed_out", false)) sent.push_back(j.value("t_s", 0.0));
  }
  return sent;
}

pid_t spawn(std::vector<std::string> argv) {
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  pid_t pid = 0;
  return posix_spawn(&pid, cargv[0], nullptr, nullptr, cargv.data(), environ) == 0 ? pid : -1;
}

}  // namespace

TEST_CASE("every call failing with isError is inconclusive, not exercised, exit 4", "[e2e][exercise]") {
  auto r = run_mcpleak("exercise-all-fail", echo_loop("20s"), {test_server_bin(), "--error-every", "1"});
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 4);
  CHECK(r.report["verdict"] == "inconclusive");
  CHECK(has(reason(r), "not exercised: "));
  CHECK(has(reason(r), "calls failed (echo: test failure #"));
  const auto& e = r.report["exercise"];
  CHECK(e["exercised"] == false);
  CHECK(e["calls"]["ok"] == 0);
  CHECK(e["calls"]["failed"].get<int>() > 50);
  CHECK(e["per_tool"]["echo"]["ok"] == 0);
  CHECK(e["first_errors"][0]["tool"] == "echo");
  // The gate never stopped early on a bounded look.
  CHECK(r.report["stopped_early_at_s"].is_null());
  const std::string junit = e2e::read_text(r.out_dir + "/junit.xml");
  CHECK(has(junit, "<failure type=\"not-exercised\""));
  CHECK(has(e2e::read_text(r.out_dir + "/summary.md"), "NOT EXERCISED"));
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("a third of calls failing is not exercised, but --max-failed-calls 40% accepts it", "[e2e][exercise]") {
  auto strict = run_mcpleak("exercise-third-fail", echo_loop("20s"), {test_server_bin(), "--error-every", "3"});
  INFO(strict.stderr_text);
  CHECK(strict.exit_code == 4);
  CHECK(has(reason(strict), "calls failed (3"));
  CHECK(has(reason(strict), "%, at most 5% allowed)"));
  const auto& calls = strict.report["exercise"]["calls"];
  const double failed_share = calls["failed"].get<double>() / (calls["failed"].get<double>() + calls["ok"].get<double>());
  CHECK(failed_share > 0.3);
  CHECK(failed_share < 0.37);
  CHECK(e2e::no_server_left(strict));

  auto relaxed = run_mcpleak("exercise-third-fail-relaxed", echo_loop("20s", {"--max-failed-calls", "40%"}),
                             {test_server_bin(), "--error-every", "3"});
  INFO(relaxed.stderr_text);
  CHECK(relaxed.exit_code == 0);
  CHECK(relaxed.report["verdict"] == "bounded");
  CHECK(relaxed.report["exercise"]["exercised"] == true);
  CHECK(relaxed.report["exercise"]["max_failed_fraction"] == 0.4);
  CHECK(e2e::no_server_left(relaxed));
}

TEST_CASE("a server that freezes after 20 calls is server-failed within call-timeout + 10 s", "[e2e][exercise]") {
  auto r = run_mcpleak("exercise-freeze", echo_loop("3m", {"--call-timeout", "10s"}),
                       {test_server_bin(), "--freeze-after", "20"});
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 3);
  CHECK(r.report["verdict"] == "server-failed");
  CHECK(has(reason(r), "server hung: tools/call echo sent at "));
  CHECK(has(reason(r), "a ping got none"));
  const auto hung = timed_out_calls(r.out_dir);
  REQUIRE(hung.size() == 1);
  // On mcpleak's own clock: the call timeout (10 s) plus the ping's 5 s, within 10 s.
  CHECK(r.report["elapsed_s"].get<double>() - hung.front() <= 10 + 10);
  CHECK(r.report["stopped_early_at_s"].is_null());
  CHECK(r.report["exercise"]["calls"]["ok"].get<int>() <= 20);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("Ctrl-C during a hung call writes the reports at once, and the verdict is not bounded",
          "[e2e][exercise]") {
  const std::string out = e2e::fresh_dir("exercise-sigint-hang") + "/run";
  const pid_t pid = spawn({e2e::mcpleak_bin(), "run", "--tool", "echo", "--args", "{}", "--rate", "5",
                           "--duration", "5m", "--call-timeout", "120s", "--warmup", "1s", "--min-duration", "5s",
                           "--quiet", "--out", out, "--", test_server_bin(), "--freeze-after", "5"});
  REQUIRE(pid > 0);
  // The sixth call hangs from about 1 s on; wait for 15 s of samples (60 at 4 Hz), a
  // window that alone would be judged bounded.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (e2e::count_lines(out + "/samples.jsonl") < 60 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(e2e::count_lines(out + "/samples.jsonl") >= 60);
  REQUIRE(e2e::count_lines(out + "/calls.jsonl") == 5);  // the sixth is still pending
  const auto interrupted_at = std::chrono::steady_clock::now();
  ::kill(pid, SIGINT);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  const double took_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - interrupted_at).count();
  INFO("SIGINT to exit: " << took_s << " s");
  CHECK(took_s < 3);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 4);
  auto r = e2e::load_run(out);
  REQUIRE(r.report.is_object());
  CHECK(r.report["interrupted"] == true);
  CHECK(r.report["verdict"] == "inconclusive");
  CHECK(has(reason(r), "not exercised: no call succeeded for "));
  CHECK(std::filesystem::exists(out + "/summary.md"));
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("ab fails the gate when the candidate is not exercised", "[e2e][exercise]") {
  const std::string root = e2e::fresh_dir("exercise-ab");
  auto r = run_mcpleak("exercise-ab-run",
                       {"ab", "--base", test_server_bin(), "--candidate", test_server_bin() + " --error-every 1",
                        "--tool", "echo", "--rate", "5", "--duration", "20s", "--warmup", "1s", "--min-duration", "5s",
                        "--quiet", "--out", root},
                       {});
  INFO(r.stdout_text << r.stderr_text);
  CHECK(r.exit_code == 4);
  CHECK(has(r.stdout_text, "not-exercised (candidate: "));
  auto base = e2e::load_run(root + "/base");
  auto cand = e2e::load_run(root + "/candidate");
  CHECK(base.report["verdict"] == "bounded");
  CHECK(cand.report["verdict"] == "inconclusive");
  CHECK(cand.report["exercise"]["exercised"] == false);
  CHECK(e2e::no_server_left(base));
  CHECK(e2e::no_server_left(cand));
}
