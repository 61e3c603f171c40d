// Owns a spawned server that leads its own process group, and its stdio pipes.
// Move-only. The destructor terminates the whole group (SIGTERM, a grace period,
// SIGKILL) and reaps it, so no server process outlives mcpleak's normal exit paths; the
// guardian (guardian.h) covers the others (SIGKILL, OOM killer).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "harness/process/unique_fd.h"
#include "harness/result.h"

namespace mcpleak {

struct ExitStatus {
  bool signaled = false;
  int code = 0;    // exit code, or the signal number when signaled
  // "exit code 3", "killed by signal 9 (Killed)".
  std::string describe() const;
};

// The parent's ends of the child's stdin/stdout/stderr.
struct ChildPipes {
  UniqueFd stdin_write;
  UniqueFd stdout_read;
  UniqueFd stderr_read;
};

class ChildGroup {
 public:
  // Spawns argv[0] (searched in PATH) in a new process group with piped stdio.
  // Errc::io naming the program when it cannot be started (not found, not executable).
  // The group is watched by the process guardian, if one runs, until terminate().
  // `env_overrides` are set in the child's environment (ours otherwise); a non-empty
  // `cwd` is its working folder (ours otherwise).
  static Result<ChildGroup> spawn(std::span<const std::string> argv, ChildPipes& pipes,
                                  const std::map<std::string, std::string>& env_overrides = {},
                                  const std::string& cwd = {});

  ChildGroup(ChildGroup&& other) noexcept
      : pgid_(std::exchange(other.pgid_, -1)), status_(std::move(other.status_)) {}
  ChildGroup& operator=(ChildGroup&&) = delete;
  ChildGroup(const ChildGroup&) = delete;
  ~ChildGroup();

  pid_t leader() const { return pgid_; }
  // The leader's exit status once it has exited (waitpid WNOHANG); empty while it runs.
  std::optional<ExitStatus> poll();
  // SIGTERM to the group, wait up to `grace`, then SIGKILL; reaps the leader and any
  // group member that is our child (or reparented to us as subreaper), then tells the
  // process guardian to forget the group. Idempotent.
  // Returns the leader's exit status.
  ExitStatus terminate(std::chrono::milliseconds grace) noexcept;
  // True while any process of the group is alive.
  bool group_alive() const;
  // Sends `signal` to the leader alone, as an MCP client does when it stops a server it
  // started (the rest of the group is the server's to stop). No-op once reaped.
  void signal_leader(int signal) noexcept;
  // Leaves whatever of the group still runs alone (--keep-orphans): reaps the leader if
  // it exited, tells the guardian to forget the group, and kills nothing now or later.
  void leave_running() noexcept;

 private:
  explicit ChildGroup(pid_t pgid) : pgid_(pgid) {}
  pid_t pgid_ = -1;
  std::optional<ExitStatus> status_;
};

// Makes this process the reaper of orphaned descendants (Linux PR_SET_CHILD_SUBREAPER),
// so grandchildren of a server that dies are reparented to us and can be reaped.
// A no-op where the platform has no such notion.
void become_child_subreaper();

}  // namespace mcpleak
