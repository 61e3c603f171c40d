#include "harness/process/child_group.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <thread>
#include <vector>

#include "harness/process/guardian.h"

#if defined(__linux__)
#include <sys/prctl.h>
#endif

extern char** environ;

namespace mcpleak {
namespace {

ExitStatus to_exit_status(int wstatus) {
  ExitStatus s;
  if (WIFSIGNALED(wstatus)) {
    s.signaled = true;
    s.code = WTERMSIG(wstatus);
  } else {
    s.code = WEXITSTATUS(wstatus);
  }
  return s;
}

Result<std::pair<UniqueFd, UniqueFd>> make_pipe() {
  int fds[2];
  if (::pipe(fds) != 0) return Error(Errc::io, std::string("pipe: ") + std::strerror(errno));
  // Our ends must not leak into the child (it gets dup2'd copies) nor into later children.
  ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  return std::pair{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Reaps, without blocking, exited children of ours that belong to group `pgid`:
// grandchildren reparented to us as subreaper. Other groups' children are left alone
// (`mcpleak ab` runs two servers at once).
void reap_group_children(pid_t pgid) {
  while (::waitpid(-pgid, nullptr, WNOHANG) > 0) {
  }
}

// Our environment with `overrides` replacing or adding variables, as "KEY=VALUE" strings.
std::vector<std::string> merged_environment(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string_view entry(*e);
    if (!overrides.contains(std::string(entry.substr(0, entry.find('='))))) env.emplace_back(entry);
  }
  for (const auto& [key, value] : overrides) env.push_back(key + "=" + value);
  return env;
}

}  // namespace

std::string ExitStatus::describe() const {
  if (signaled) return "killed by signal " + std::to_string(code) + " (" + ::strsignal(code) + ")";
  return "exit code " + std::to_string(code);
}

Result<ChildGroup> ChildGroup::spawn(std::span<const std::string> argv, ChildPipes& pipes,
                                     const std::map<std::string, std::string>& env_overrides,
                                     const std::string& cwd) {
  if (argv.empty()) return Error(Errc::usage, "no server command given");
  if (!cwd.empty() && ::access(cwd.c_str(), X_OK) != 0) {
    return Error(Errc::io, std::string("cannot enter the server's working folder: ") + std::strerror(errno)).with(cwd);
  }
  auto in = make_pipe();
  if (!in) return in.error();
  auto out = make_pipe();
  if (!out) return out.error();
  auto err = make_pipe();
  if (!err) return err.error();

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in->first.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out->second.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err->second.get(), STDERR_FILENO);
  // glibc 2.29+ and macOS 10.15+; the program is then found relative to the new folder,
  // as a client that starts the server there would find it.
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // A new process group led by the child: the unit we sample and terminate.
  // Signals mcpleak ignores (SIGPIPE) are reset to default for the server.
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                      POSIX_SPAWN_SETSIGMASK);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  std::vector<std::string> env_strings;
  std::vector<char*> envp;
  if (!env_overrides.empty()) {
    env_strings = merged_environment(env_overrides);
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
  }

  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), envp.empty() ? environ : envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return Error(Errc::io, std::string("cannot start: ") + std::strerror(rc) +
                               " (is it installed and on PATH?)")
        .with(argv[0]);
  }
  pipes.stdin_write = std::move(in->second);
  pipes.stdout_read = std::move(out->first);
  pipes.stderr_read = std::move(err->first);
  // Should mcpleak die by SIGKILL from here on, the guardian kills the group.
  guardian_watch_group(pid);
  return ChildGroup(pid);
}

ChildGroup::~ChildGroup() {
  if (pgid_ > 0) terminate(std::chrono::seconds(2));
}

std::optional<ExitStatus> ChildGroup::poll() {
  if (status_) return status_;
  if (pgid_ <= 0) return std::nullopt;
  int wstatus = 0;
  const pid_t r = ::waitpid(pgid_, &wstatus, WNOHANG);
  if (r == pgid_) status_ = to_exit_status(wstatus);
  return status_;
}

bool ChildGroup::group_alive() const {
  if (pgid_ <= 0) return false;
  return ::kill(-pgid_, 0) == 0 || errno == EPERM;
}

ExitStatus ChildGroup::terminate(std::chrono::milliseconds grace) noexcept {
  if (pgid_ <= 0) return status_.value_or(ExitStatus{});
  ::kill(-pgid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  // Poll rather than block: waitpid cannot wait with a timeout, and the group may
  // hold processes that are not our children.
  while (std::chrono::steady_clock::now() < deadline) {
    poll();
    reap_group_children(pgid_);
    if (status_ && !group_alive()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (group_alive()) ::kill(-pgid_, SIGKILL);
  if (!status_) {
    int wstatus = 0;
    if (::waitpid(pgid_, &wstatus, 0) == pgid_) status_ = to_exit_status(wstatus);
  }
  // Members that were killed but are not our children are reaped by their parent or
  // by init; wait briefly so callers that check "no orphans" see a settled group.
  for (int i = 0; i < 100 && group_alive(); ++i) {
    reap_group_children(pgid_);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Only now: forgotten before the group was gone, a SIGKILL of mcpleak in between would
  // leave it running; the other way round the guardian at worst signals a dead group.
  guardian_forget_group(pgid_);
  pgid_ = -1;
  return status_.value_or(ExitStatus{});
}

void ChildGroup::signal_leader(int signal) noexcept {
  if (pgid_ > 0 && !poll()) ::kill(pgid_, signal);
}

void ChildGroup::leave_running() noexcept {
  if (pgid_ <= 0) return;
  poll();
  guardian_forget_group(pgid_);
  pgid_ = -1;
}

void become_child_subreaper() {
#if defined(__linux__)
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif
}

}  // namespace mcpleak
