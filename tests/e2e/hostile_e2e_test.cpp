// End to end: mcpleak against servers that break the protocol on purpose (a line with no
// end, a wrong id, two answers, an answer to nothing). mcpleak must keep its memory
// bounded, exit with the right code, warn in the report and leave no server behind.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_support.h"
#include "tests/support/catch.h"

using e2e::run_mcpleak;
using e2e::test_server_bin;

namespace {

// Under ASan/TSan the sanitizer's shadow memory and ASan's quarantine of freed blocks
// (256 MB by default) add to mcpleak's RSS, so the bound is checked in plain builds only.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

const std::vector<std::string> kQuick = {"--tool", "echo", "--rate", "10", "--duration", "10s",
                                         "--warmup", "1s", "--min-duration", "5s", "--quiet"};

std::vector<std::string> run_args(const std::string& call_timeout) {
  std::vector<std::string> args = {"run", "--call-timeout", call_timeout};
  args.insert(args.end(), kQuick.begin(), kQuick.end());
  return args;
}

bool any_warning_has(const e2e::Run& r, const std::string& needle) {
  if (!r.report.is_object() || !r.report.contains("warnings")) return false;
  for (const auto& w : r.report["warnings"]) {
    if (w.get<std::string>().find(needle) != std::string::npos) return true;
  }
  return false;
}

// VmHWM (peak resident set) of a live pid in bytes; 0 when it cannot be read.
std::uint64_t peak_rss_bytes(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

struct Watched {
  e2e::Run run;
  std::uint64_t peak_rss_bytes = 0;  // mcpleak's own VmHWM, last reading before it exited
};

// Like e2e::run_mcpleak, but spawns mcpleak itself so its own peak RSS can be read from
// /proc while it runs (VmHWM only grows, so the last reading is the peak up to then).
Watched run_watched(const std::string& name, std::vector<std::string> args,
                    const std::vector<std::string>& server, int limit_s) {
  const std::string dir = e2e::fresh_dir(name);
  args.insert(args.end(), {"--out", dir + "/run", "--"});
  args.insert(args.end(), server.begin(), server.end());
  std::vector<std::string> argv_s = {e2e::mcpleak_bin()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, (dir + "/stdout.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, (dir + "/stderr.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  Watched w;
  REQUIRE(rc == 0);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limit_s);
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (const auto hwm = peak_rss_bytes(pid); hwm > w.peak_rss_bytes) w.peak_rss_bytes = hwm;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);  // only a hung mcpleak gets here; the test then fails on the exit code
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  w.run = e2e::load_run(dir + "/run");
  w.run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  w.run.stdout_text = e2e::read_text(dir + "/stdout.txt");
  w.run.stderr_text = e2e::read_text(dir + "/stderr.txt");
  return w;
}

}  // namespace

TEST_CASE("a server writing a line longer than the cap is hung, and mcpleak does not hold the line",
          "[e2e][hostile]") {
  // 300 MB: over StdioTransportOptions::max_line_bytes (256 MiB = 268 MB).
  constexpr std::uint64_t kLineBytes = 300'000'000;
  // 2 s per call: the 300 MB must be read (and dropped) before the third timeout ends the run.
  auto w = run_watched("hostile-huge-line", run_args("2s"),
                       {test_server_bin(), "--huge-line", std::to_string(kLineBytes)}, 60);
  const auto& r = w.run;
  INFO(r.stderr_text);
  INFO("mcpleak peak RSS " << w.peak_rss_bytes / 1e6 << " MB");
  REQUIRE(r.exit_code == 3);
  CHECK(r.report["verdict"] == "server-failed");
  CHECK(r.report["reason"].get<std::string>().find("hung") != std::string::npos);
  CHECK(any_warning_has(r, "longer than the line cap were dropped"));
  // Reading the line costs at most the cap plus working memory, never the whole line.
  CHECK(w.peak_rss_bytes > 0);
  if (!kSanitized) CHECK(w.peak_rss_bytes < 320'000'000);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("a server answering with the wrong id times out and is hung", "[e2e][hostile]") {
  auto r = run_mcpleak("hostile-wrong-id", run_args("1s"), {test_server_bin(), "--wrong-id"}, 60);
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 3);
  CHECK(r.report["reason"].get<std::string>().find("hung") != std::string::npos);
  CHECK(r.report["calls"]["ok"].get<int>() == 0);
  CHECK(r.report["calls"]["failed"].get<int>() >= 3);
  CHECK(any_warning_has(r, "matched no pending request"));
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("a server answering every call twice completes, warning about the duplicates",
          "[e2e][hostile]") {
  auto r = run_mcpleak("hostile-answer-twice", run_args("1s"), {test_server_bin(), "--answer-twice"}, 60);
  INFO(r.stderr_text);
  CHECK(r.exit_code != 3);
  CHECK(r.report["verdict"] != "server-failed");
  const int ok = r.report["calls"]["ok"].get<int>();
  CHECK(ok > 10);
  CHECK(r.report["calls"]["failed"].get<int>() == 0);
  CHECK(any_warning_has(r, "matched no pending request"));
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("a server sending answers to requests never made completes, warning about them",
          "[e2e][hostile]") {
  auto r = run_mcpleak("hostile-unsolicited", run_args("1s"), {test_server_bin(), "--unsolicited"}, 60);
  INFO(r.stderr_text);
  CHECK(r.exit_code != 3);
  CHECK(r.report["verdict"] != "server-failed");
  CHECK(r.report["calls"]["ok"].get<int>() > 10);
  CHECK(r.report["calls"]["failed"].get<int>() == 0);
  CHECK(any_warning_has(r, "matched no pending request"));
  CHECK(e2e::no_server_left(r));
}
