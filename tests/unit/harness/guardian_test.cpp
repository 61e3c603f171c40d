// harness/process/guardian: a forked "owner" (standing in for mcpleak) starts a guardian
// and a server-like process group, then the test SIGKILLs the owner as the OOM killer
// would. The test process is a subreaper, so the owner's orphans (the guardian, the group)
// become its children and are reaped here: "gone" means gone, not a zombie that PID 1
// never reaps. Every wait is a poll with a deadline; no sleep is tuned to make a test pass.
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "harness/process/child_group.h"
#include "harness/process/guardian.h"
#include "harness/sampler/sampler.h"
#include "probes/probe.h"
#include "tests/support/catch.h"
#include "tests/unit/harness/read_line.h"

extern char** environ;

using mcpleak::ChildGroup;
using mcpleak::ChildPipes;
using mcpleak::Guardian;
using mcpleak::test::read_line;
using namespace std::chrono_literals;

namespace {

// What the owner tells the test once everything is in place.
struct OwnerReport {
  pid_t guardian = -1;
  pid_t leader = -1;   // the server's leader, and so its process group
  pid_t member = -1;   // a second process in the group
  pid_t escaped = -1;  // the leader's child in a session of its own (setsid)
};

// The server stand-in: the sh leader, a background sleep in its group, and a process
// that left the group as a daemonizing server would. Prints the member's pid, then the
// escaped one's (`exec` keeps the pid the escaped sh printed).
const std::string kServerScript =
    "sleep 300 & echo $!; setsid sh -c 'echo $$; exec sleep 300' & wait";

// The owner's report, within 10 s; false when the owner failed first (its pipe closed).
bool read_report(int fd, OwnerReport& out) {
  auto* bytes = reinterpret_cast<char*>(&out);
  std::size_t have = 0;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (have < sizeof out && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = ::read(fd, bytes + have, sizeof out - have);
    if (n <= 0) return false;
    have += static_cast<std::size_t>(n);
  }
  return have == sizeof out;
}

void write_report(int fd, const OwnerReport& r) {
  if (::write(fd, &r, sizeof r) != static_cast<ssize_t>(sizeof r)) ::_exit(20);
}

// Reaps pid if it is our child (orphans are: the test is a subreaper), then says whether
// it still runs. A zombie that someone else has yet to reap counts as gone.
bool running(pid_t pid) {
  if (pid <= 0) return false;
  ::waitpid(pid, nullptr, WNOHANG);
  if (::kill(pid, 0) != 0) return false;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(in, text);
  const auto stat = mcpleak::detail::parse_stat_start(text.data(), text.size());
  return !stat || stat->state != 'Z';
}

// True while any process of group pgid exists, after reaping those that are our children.
bool group_running(pid_t pgid) {
  while (::waitpid(-pgid, nullptr, WNOHANG) > 0) {
  }
  return ::kill(-pgid, 0) == 0;
}

// Polls done() every 10 ms for at most `limit`.
template <class Done>
bool eventually(Done done, std::chrono::milliseconds limit = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// Whatever a test started, killed and reaped at the end even when it fails half-way.
struct Cleanup {
  std::vector<pid_t> pids;
  std::vector<pid_t> groups;
  ~Cleanup() {
    for (pid_t g : groups)
      if (g > 0 && group_running(g)) ::kill(-g, SIGKILL);
    for (pid_t p : pids)
      if (running(p)) ::kill(p, SIGKILL);
    eventually([&] {
      bool left = false;
      for (pid_t g : groups) left |= g > 0 && group_running(g);
      for (pid_t p : pids) left |= running(p);
      return !left;
    });
  }
};

struct Owner {
  pid_t pid = -1;
  mcpleak::UniqueFd report;   // owner → test
  mcpleak::UniqueFd command;  // test → owner
};

// Forks an owner that runs body(report_fd, command_fd) and then _exits. The owner never
// returns into Catch2; a failure there is an exit code the test sees as a missing report.
template <class Body>
Owner fork_owner(Body body) {
  int report[2];
  int command[2];
  REQUIRE(::pipe(report) == 0);
  REQUIRE(::pipe(command) == 0);
  std::fflush(nullptr);  // under TSan the owner's _exit would print Catch2's buffer again
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(report[0]);
    ::close(command[1]);
    // As mcpleak's main() does: SIGPIPE ignored, orphans of the server reaped by the owner.
    ::signal(SIGPIPE, SIG_IGN);
    mcpleak::become_child_subreaper();
    try {
      body(report[1], command[0]);
    } catch (...) {
      ::_exit(99);
    }
    ::_exit(0);
  }
  ::close(report[1]);
  ::close(command[0]);
  return {pid, mcpleak::UniqueFd(report[0]), mcpleak::UniqueFd(command[1])};
}

// In the owner: spawns the server stand-in (watched by the process guardian, if one runs,
// through ChildGroup::spawn) and reads the pids it prints. _exits on failure.
void spawn_server(std::optional<ChildGroup>& group, ChildPipes& pipes, OwnerReport& r) {
  const std::vector<std::string> argv = {"sh", "-c", kServerScript};
  auto spawned = ChildGroup::spawn(argv, pipes);
  if (!spawned) ::_exit(11);
  r.leader = spawned->leader();
  group.emplace(std::move(*spawned));
  const auto member = read_line(pipes.stdout_read.get());
  const auto escaped = read_line(pipes.stdout_read.get());
  if (!member || !escaped) ::_exit(12);
  r.member = std::stoi(*member);
  r.escaped = std::stoi(*escaped);
}

void kill_owner(const Owner& owner) {
  ::kill(owner.pid, SIGKILL);
  ::waitpid(owner.pid, nullptr, 0);
}

// A `sleep 300` child of the test itself.
pid_t spawn_sleep() {
  char sleep_arg[] = "sleep";
  char seconds[] = "300";
  char* argv[] = {sleep_arg, seconds, nullptr};
  pid_t pid = -1;
  REQUIRE(::posix_spawnp(&pid, "sleep", nullptr, nullptr, argv, environ) == 0);
  return pid;
}

}  // namespace

TEST_CASE("guardian: SIGKILL of the owner kills its group and the escaped process",
          "[process][linux]") {
  mcpleak::become_child_subreaper();
  const auto samples = std::filesystem::temp_directory_path() /
                       ("mcpleak-guardian-test-" + std::to_string(::getpid()) + ".jsonl");
  Owner owner = fork_owner([&](int report_fd, int) {
    if (!Guardian::start_process_guardian()) ::_exit(10);
    OwnerReport r;
    ChildPipes pipes;
    std::optional<ChildGroup> group;
    spawn_server(group, pipes, r);
    r.guardian = Guardian::process_guardian_pid().value_or(-1);
    // The sampler, not this test, reports the escaped process to the guardian, as in a
    // run. It existed before the first tick, so one sample is enough.
    mcpleak::Sampler sampler({r.leader}, mcpleak::Sampler::Clock::now(),
                             mcpleak::SamplerOptions{20ms, samples.string()}, {});
    if (!sampler.start()) ::_exit(13);
    if (!eventually([&] { return sampler.count() >= 1; }, 10s)) ::_exit(14);
    write_report(report_fd, r);
    for (;;) ::pause();
  });
  OwnerReport r;
  const bool reported = read_report(owner.report.get(), r);
  Cleanup cleanup{{owner.pid, r.guardian, r.member, r.escaped}, {r.leader}};
  REQUIRE(reported);
  REQUIRE(running(r.guardian));
  REQUIRE(running(r.member));
  REQUIRE(running(r.escaped));
  REQUIRE(::getpgid(r.member) == r.leader);
  // Out of reach of the group kill: only its registration by pid can end it.
  REQUIRE(::getpgid(r.escaped) != r.leader);

  const auto killed_at = std::chrono::steady_clock::now();
  kill_owner(owner);
  // Each poll reaps all of them (no short circuit): a zombie left unreaped in the group
  // would keep the guardian waiting out its grace period.
  const bool all_gone = eventually([&] {
    const bool guardian = running(r.guardian);
    const bool group = group_running(r.leader);
    const bool member = running(r.member);
    const bool escaped = running(r.escaped);
    return !guardian && !group && !member && !escaped;
  });
  const auto took_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - killed_at)
                           .count();
  INFO("after " << took_ms << " ms: guardian " << running(r.guardian) << ", group "
                << group_running(r.leader) << ", member " << running(r.member) << ", escaped "
                << running(r.escaped));
  CHECK(all_gone);
  std::filesystem::remove(samples);
}

TEST_CASE("guardian: quit kills nothing, the group lives until ChildGroup terminates it",
          "[process][linux]") {
  mcpleak::become_child_subreaper();
  Owner owner = fork_owner([&](int report_fd, int command_fd) {
    if (!Guardian::start_process_guardian()) ::_exit(10);
    OwnerReport r;
    ChildPipes pipes;
    std::optional<ChildGroup> group;
    spawn_server(group, pipes, r);
    r.guardian = Guardian::process_guardian_pid().value_or(-1);
    mcpleak::guardian_watch_escaped(r.escaped);
    Guardian::stop_process_guardian();  // quit, and wait for the guardian to exit
    write_report(report_fd, r);
    char go = 0;
    if (::read(command_fd, &go, 1) != 1) ::_exit(15);
    group->terminate(2s);
    ::_exit(0);
  });
  OwnerReport r;
  const bool reported = read_report(owner.report.get(), r);
  Cleanup cleanup{{owner.pid, r.member, r.escaped}, {r.leader}};
  REQUIRE(reported);
  // stop_process_guardian() returned, so the guardian has exited (and been reaped by the
  // owner): whatever it was going to kill, it has killed.
  CHECK_FALSE(running(r.guardian));
  CHECK(running(r.leader));
  CHECK(running(r.member));
  CHECK(running(r.escaped));

  const char go = 'g';
  REQUIRE(::write(owner.command.get(), &go, 1) == 1);
  int status = 0;
  REQUIRE(::waitpid(owner.pid, &status, 0) == owner.pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(eventually([&] {
    const bool group = group_running(r.leader);
    return !running(r.member) && !group;
  }));
}

TEST_CASE("guardian: a watched pid whose start time no longer matches is not killed",
          "[process][linux]") {
  mcpleak::become_child_subreaper();
  const pid_t control = spawn_sleep();  // watched with its real start time
  const pid_t victim = spawn_sleep();   // watched as if its pid had been reused since
  Cleanup cleanup{{control, victim}, {}};
  const auto control_ticks = mcpleak::process_start_ticks(control);
  const auto victim_ticks = mcpleak::process_start_ticks(victim);
  REQUIRE(control_ticks);
  REQUIRE(victim_ticks);
  Owner owner = fork_owner([&](int report_fd, int) {
    auto guardian = Guardian::start();
    if (!guardian) ::_exit(10);
    guardian->watch_pid(control, *control_ticks);
    guardian->watch_pid(victim, *victim_ticks + 1);
    OwnerReport r;
    r.guardian = guardian->pid();
    write_report(report_fd, r);
    for (;;) ::pause();
  });
  OwnerReport r;
  const bool reported = read_report(owner.report.get(), r);
  cleanup.pids.push_back(owner.pid);
  cleanup.pids.push_back(r.guardian);
  REQUIRE(reported);
  kill_owner(owner);
  // Once the guardian has exited it will kill nothing more.
  CHECK(eventually([&] {
    const bool guardian = running(r.guardian);
    return !running(control) && !guardian;
  }));
  CHECK(running(victim));
}

TEST_CASE("guardian: the start time is field 22 of /proc/PID/stat, after the last ')'",
          "[process]") {
  using mcpleak::detail::parse_stat_start;
  // comm holds ") " and spaces: only the last ')' ends it.
  const std::string stat =
      "4312 (my) (odd comm) S 1 4312 4312 0 -1 4194560 162 0 0 0 3 1 0 0 20 0 1 0 987654 "
      "2330624 345 18446744073709551615\n";
  const auto parsed = parse_stat_start(stat.data(), stat.size());
  REQUIRE(parsed);
  CHECK(parsed->state == 'S');
  CHECK(parsed->start_ticks == 987654u);

  const std::string zombie = "77 (sh) Z 1 77 77 0 -1 4228108 0 0 0 0 0 0 0 0 20 0 1 0 42";
  const auto z = parse_stat_start(zombie.data(), zombie.size());
  REQUIRE(z);
  CHECK(z->state == 'Z');
  CHECK(z->start_ticks == 42u);

  for (const std::string bad : {
           "77 (sh) S 1 77 77 0 -1 4228108 0 0 0 0 0 0 0 0 20 0 1 0",  // ends before field 22
           "77 sh S 1 77 77 0 -1 4228108 0 0 0 0 0 0 0 0 20 0 1 0 42",  // no ')'
           "77 (sh) S 1 77 77 0 -1 4228108 0 0 0 0 0 0 0 0 20 0 1 0 4x2",
           "77 (sh) S 1 77 77 0 -1 4228108 0 0 0 0 0 0 0 0 20 0 1 0 99999999999999999999",
           "77 (sh) S  1 77 77 0 -1 4228108 0 0 0 0 0 0 0 0 20 0 1 0 42",  // empty field
       }) {
    INFO(bad);
    CHECK_FALSE(parse_stat_start(bad.data(), bad.size()));
  }
}

TEST_CASE("guardian: process_start_ticks reads this process, nothing for a reaped child",
          "[process][linux]") {
  const auto self = mcpleak::process_start_ticks(::getpid());
  REQUIRE(self);
  const pid_t child = spawn_sleep();
  const auto child_ticks = mcpleak::process_start_ticks(child);
  REQUIRE(child_ticks);
  CHECK(*child_ticks >= *self);
  ::kill(child, SIGKILL);
  REQUIRE(::waitpid(child, nullptr, 0) == child);
  CHECK_FALSE(mcpleak::process_start_ticks(child));
}
