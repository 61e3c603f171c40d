// harness/process/child_group: real `sh` children in their own process group. Each test
// waits for an event (a line on the child's stdout, an exit) with a bounded loop; no
// sleep is tuned to make a test pass.
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness/process/child_group.h"
#include "tests/support/catch.h"
#include "tests/unit/harness/read_line.h"

using mcpleak::ChildGroup;
using mcpleak::ChildPipes;
using mcpleak::Errc;
using mcpleak::ExitStatus;
using mcpleak::test::read_line;
using namespace std::chrono_literals;

namespace {

ChildGroup spawn_sh(const std::string& script, ChildPipes& pipes) {
  const std::vector<std::string> argv = {"sh", "-c", script};
  auto g = ChildGroup::spawn(argv, pipes);
  if (!g) FAIL(g.error().describe());
  return std::move(*g);
}

// ESRCH from kill(): no process (not even a zombie) has this pid / is in this group.
bool gone(pid_t pid_or_negative_pgid) {
  return ::kill(pid_or_negative_pgid, 0) == -1 && errno == ESRCH;
}

// "pid state ppid" of each process still in group `pgid`, from /proc, for failure messages.
std::string group_members(pid_t pgid) {
  std::string out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "stat");
    std::string stat;
    std::getline(in, stat);
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 2));
    char state = '?';
    pid_t ppid = 0, group = 0;
    rest >> state >> ppid >> group;
    if (group == pgid) {
      out += name + " " + state + " ppid " + std::to_string(ppid) + "; ";
    }
  }
  return out;
}

// Polls for the leader's exit for at most 10 s.
std::optional<ExitStatus> wait_exit(ChildGroup& g) {
  for (int i = 0; i < 2000; ++i) {
    if (auto s = g.poll()) return s;
    std::this_thread::sleep_for(5ms);
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("terminate() leaves no process of the group, grandchildren included",
          "[process][linux]") {
  // As the runner does: orphaned grandchildren come to us and can be reaped.
  mcpleak::become_child_subreaper();
  ChildPipes pipes;
  // The grandchild (a subshell) prints its pid, then says on stderr when SIGTERM reaches
  // it: only a signal sent to the whole group does, before the SIGKILL fallback.
  ChildGroup g = spawn_sh(
      // NOTE: `sleep & wait`, not a foreground sleep: dash runs a trap at once only while
      // in the wait builtin; a TERM landing as it forks a foreground child can be lost.
      "sh -c 'trap \"echo got-term >&2; exit 0\" TERM; echo $$; while :; do sleep 1 & wait $!; done' & "
      "sleep 60",
      pipes);
  const pid_t pgid = g.leader();
  const auto line = read_line(pipes.stdout_read.get());
  REQUIRE(line);
  const pid_t grandchild = std::stoi(*line);
  REQUIRE(grandchild != pgid);
  REQUIRE(::getpgid(grandchild) == pgid);  // the background job is in the group
  REQUIRE_FALSE(gone(-pgid));

  // A long grace costs nothing when SIGTERM works: terminate() returns once all are gone.
  const ExitStatus status = g.terminate(10s);
  INFO("left in the group: " << group_members(pgid));
  CHECK(status.signaled);
  CHECK(status.code == SIGTERM);
  CHECK(gone(-pgid));
  CHECK(gone(grandchild));
  CHECK(read_line(pipes.stderr_read.get()) == std::optional<std::string>("got-term"));
  CHECK(g.leader() == -1);
  // Idempotent: the second call neither signals nor changes the answer.
  const ExitStatus again = g.terminate(2s);
  CHECK(again.signaled == status.signaled);
  CHECK(again.code == status.code);
}

TEST_CASE("the destructor terminates the whole group", "[process][linux]") {
  mcpleak::become_child_subreaper();
  pid_t pgid = -1;
  pid_t grandchild = -1;
  {
    ChildPipes pipes;
    ChildGroup g = spawn_sh("sleep 60 & echo $!; sleep 60", pipes);
    pgid = g.leader();
    const auto line = read_line(pipes.stdout_read.get());
    REQUIRE(line);
    grandchild = std::stoi(*line);
    REQUIRE_FALSE(gone(-pgid));
  }
  INFO("left in the group: " << group_members(pgid));
  CHECK(gone(-pgid));
  CHECK(gone(grandchild));
}

TEST_CASE("a group that ignores SIGTERM is killed after the grace period", "[process][linux]") {
  // sh's `sleep` child is orphaned by the SIGKILL; as in mcpleak's main(), it must come to
  // us to be reaped (a container's PID 1 may leave it a zombie, still in the group).
  mcpleak::become_child_subreaper();
  ChildPipes pipes;
  ChildGroup g = spawn_sh("trap '' TERM; echo ready; sleep 60", pipes);
  const pid_t pgid = g.leader();
  // Only once the trap is set does SIGTERM test anything.
  REQUIRE(read_line(pipes.stdout_read.get()) == std::optional<std::string>("ready"));
  const ExitStatus status = g.terminate(200ms);
  CHECK(status.signaled);
  CHECK(status.code == SIGKILL);
  CHECK(status.describe().rfind("killed by signal 9", 0) == 0);
  INFO("left in the group: " << group_members(pgid));
  CHECK(gone(-pgid));
}

TEST_CASE("spawning a program that does not exist is Errc::io naming it", "[process]") {
  for (const std::string program : {"mcpleak-no-such-program-4711", "/nonexistent/dir/server"}) {
    INFO(program);
    ChildPipes pipes;
    const std::vector<std::string> argv = {program, "--flag"};
    auto g = ChildGroup::spawn(argv, pipes);
    REQUIRE_FALSE(g);
    CHECK(g.error().code == Errc::io);
    CHECK(g.error().describe().find(program) != std::string::npos);
  }
}

TEST_CASE("spawning with no command is a usage error", "[process]") {
  ChildPipes pipes;
  auto g = ChildGroup::spawn(std::vector<std::string>{}, pipes);
  REQUIRE_FALSE(g);
  CHECK(g.error().code == Errc::usage);
}

TEST_CASE("poll() reports the leader's exit code", "[process]") {
  ChildPipes pipes;
  ChildGroup g = spawn_sh("exit 3", pipes);
  const auto status = wait_exit(g);
  REQUIRE(status);
  CHECK_FALSE(status->signaled);
  CHECK(status->code == 3);
  CHECK(status->describe() == "exit code 3");
  // The status is kept: later polls and terminate() give the same answer.
  REQUIRE(g.poll());
  CHECK(g.poll()->code == 3);
  CHECK(g.terminate(1s).code == 3);
}

TEST_CASE("poll() reports death by signal", "[process]") {
  ChildPipes pipes;
  ChildGroup g = spawn_sh("kill -9 $$", pipes);
  const auto status = wait_exit(g);
  REQUIRE(status);
  CHECK(status->signaled);
  CHECK(status->code == SIGKILL);
}

TEST_CASE("the child's stdin, stdout and stderr are the pipes", "[process]") {
  ChildPipes pipes;
  ChildGroup g = spawn_sh("read x; echo \"got $x\"; echo oops >&2", pipes);
  const std::string input = "hello\n";
  REQUIRE(::write(pipes.stdin_write.get(), input.data(), input.size()) ==
          static_cast<ssize_t>(input.size()));
  CHECK(read_line(pipes.stdout_read.get()) == std::optional<std::string>("got hello"));
  CHECK(read_line(pipes.stderr_read.get()) == std::optional<std::string>("oops"));
  const auto status = wait_exit(g);
  REQUIRE(status);
  CHECK(status->code == 0);
}
