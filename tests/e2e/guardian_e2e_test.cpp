// End to end: mcpleak SIGKILLed mid-run (as by the OOM killer) leaves no server process
// behind, because its guardian kills the server's group. The test is a subreaper, so
// mcpleak's orphans (the server, its children, the guardian) become its children and are
// reaped here; a zombie counts as gone. Every wait is a poll with a deadline.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sys/prctl.h>
#endif

#include "tests/e2e/e2e_support.h"
#include "tests/support/catch.h"

using namespace std::chrono_literals;

namespace {

// Starts `mcpleak ARGS -- SERVER...` in the background with stdin from /dev/null and
// stdout/stderr into DIR/stdout.txt and DIR/stderr.txt.
pid_t spawn_mcpleak(const std::string& dir, const std::vector<std::string>& args,
                    const std::vector<std::string>& server) {
  std::vector<std::string> argv = {e2e::mcpleak_bin()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--");
  argv.insert(argv.end(), server.begin(), server.end());
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);

  const std::string out = dir + "/stdout.txt";
  const std::string err = dir + "/stderr.txt";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

// The pids of the last complete sample in samples.jsonl that lists at least `want`.
std::optional<std::vector<pid_t>> sampled_pids(const std::string& samples, std::size_t want) {
  std::ifstream in(samples);
  std::optional<std::vector<pid_t>> found;
  for (std::string line; std::getline(in, line);) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("pids")) continue;  // a line still being written
    std::vector<pid_t> pids;
    for (const auto& p : j["pids"]) pids.push_back(p["pid"].get<pid_t>());
    if (pids.size() >= want) found = pids;
  }
  return found;
}

// Reaps pid if it is our child (orphans are: the test is a subreaper), then says whether
// it still runs; a zombie someone else has yet to reap counts as gone.
bool running(pid_t pid) {
  ::waitpid(pid, nullptr, WNOHANG);
  if (::kill(pid, 0) != 0) return false;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);
  const auto close = stat.rfind(')');
  return close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] != 'Z';
}

// Reaps every exited child; true while any child of ours is left (the guardian included,
// once mcpleak is gone and it has been reparented to us).
bool children_left() {
  pid_t r = 0;
  while ((r = ::waitpid(-1, nullptr, WNOHANG)) > 0) {
  }
  return r == 0;
}

}  // namespace

TEST_CASE("mcpleak killed by SIGKILL mid-run leaves no server process behind", "[e2e][guardian]") {
#if defined(__linux__)
  REQUIRE(::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
#endif
  const std::string dir = e2e::fresh_dir("guardian-sigkill");
  const std::string out = dir + "/run";
  const pid_t mcpleak = spawn_mcpleak(
      dir,
      {"run", "--tool", "echo", "--args", "{}", "--rate", "5", "--duration", "60s", "--out", out},
      {e2e::test_server_bin(), "--children", "2"});
  REQUIRE(mcpleak > 0);
  // Should a REQUIRE below fail first, mcpleak is killed all the same (by then the guardian
  // is all that can end the server).
  struct KillAtEnd {
    pid_t pid;
    ~KillAtEnd() {
      if (::kill(pid, SIGKILL) == 0) ::waitpid(pid, nullptr, 0);
    }
  } kill_at_end{mcpleak};

  // The leader and its two children, once the sampler has seen all three.
  std::optional<std::vector<pid_t>> pids;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  bool exited = false;
  while (!pids && !exited && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
    pids = sampled_pids(out + "/samples.jsonl", 3);
    exited = ::waitpid(mcpleak, nullptr, WNOHANG) == mcpleak;
  }
  INFO("mcpleak's stderr: " << e2e::read_text(dir + "/stderr.txt"));
  REQUIRE_FALSE(exited);
  REQUIRE(pids);
  for (pid_t p : *pids) REQUIRE(running(p));
  const pid_t leader = pids->front();

  const auto killed_at = std::chrono::steady_clock::now();
  REQUIRE(::kill(mcpleak, SIGKILL) == 0);
  REQUIRE(::waitpid(mcpleak, nullptr, 0) == mcpleak);
  auto left = [&] {
    std::string names;
    for (pid_t p : *pids)
      if (running(p)) names += std::to_string(p) + " ";
    return names;
  };
  bool gone = false;
  while (!gone && std::chrono::steady_clock::now() < killed_at + 5s) {
    gone = left().empty() && e2e::group_gone(leader);
    if (!gone) std::this_thread::sleep_for(10ms);
  }
  const auto server_gone_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now() - killed_at)
                                  .count();
  // The guardian itself does not linger either (it is ours to reap now).
  bool guardian_gone = false;
  while (!guardian_gone && std::chrono::steady_clock::now() < killed_at + 5s) {
    guardian_gone = !children_left();
    if (!guardian_gone) std::this_thread::sleep_for(10ms);
  }
  INFO("server gone " << server_gone_ms << " ms after the SIGKILL; still running: " << left());
  // Whatever the outcome, leave nothing for the suite's no-orphans check.
  if (!gone) {
    ::kill(-leader, SIGKILL);
    for (pid_t p : *pids) ::kill(p, SIGKILL);
    for (int i = 0; i < 500 && !left().empty(); ++i) std::this_thread::sleep_for(10ms);  // reaps
  }
  CHECK(gone);
  CHECK(guardian_gone);
}
