// The guardian: a tiny process forked by mcpleak that kills the server's process groups
// (and, on Linux, processes that left them) if mcpleak dies without cleaning up, even by
// SIGKILL or the OOM killer. ChildGroup covers every exit path mcpleak itself runs; this
// covers the ones it cannot. Usage, as in main():
//   auto started = Guardian::start_process_guardian();   // before any thread exists
//   ... ChildGroup::spawn / terminate register and forget their groups by themselves ...
//   Guardian::stop_process_guardian();                   // normal exit: kills nothing
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <utility>

#include "harness/process/unique_fd.h"
#include "harness/result.h"

namespace mcpleak {

// Owns the guardian process and the write end of its pipe (FD_CLOEXEC, so servers never
// inherit it: the pipe reaches EOF exactly when the owner is gone). The guardian leaves
// the owner's session (setsid), ignores SIGINT/SIGTERM/SIGHUP/SIGPIPE and closes every
// other fd. On EOF it SIGTERMs every watched group and every watched pid whose start time
// still matches, waits up to 1 s for them to go, SIGKILLs what is left and exits.
// Move-only. The destructor tells it to quit without killing anything, and reaps it.
//
// NOTE: not PR_SET_PDEATHSIG on the server instead: posix_spawn cannot set it, it fires
// when the spawning *thread* exits rather than the process, it reaches only the leader
// (not its group) and it does not exist on macOS.
//
// Writes to a guardian that has died raise SIGPIPE: its owner must ignore SIGPIPE (mcpleak
// does, install_stop_signal_handlers). Registration calls are safe from any thread: each
// record is one write of fewer than PIPE_BUF bytes.
class Guardian {
 public:
  // Forks the guardian. Call it while the process has one thread: the child runs only
  // async-signal-safe code, but fds opened concurrently by other threads without
  // O_CLOEXEC would still reach it for a moment. Errc::io when pipe or fork fails.
  static Result<Guardian> start();

  Guardian(Guardian&& other) noexcept
      : pid_(std::exchange(other.pid_, -1)), pipe_(std::move(other.pipe_)) {}
  Guardian& operator=(Guardian&&) = delete;
  Guardian(const Guardian&) = delete;
  Guardian& operator=(const Guardian&) = delete;
  // Sends quit, closes the pipe and reaps the guardian (SIGKILL after 2 s if it hangs).
  ~Guardian();

  pid_t pid() const { return pid_; }
  // Watch process group `pgid` (killed with kill(-pgid) on EOF). At most 64 groups;
  // further ones are dropped.
  void watch_group(pid_t pgid) noexcept;
  // Stop watching `pgid`: call once the group is gone, so a reused pgid is never killed.
  void forget_group(pid_t pgid) noexcept;
  // Watch one process by pid and start time (field 22 of /proc/PID/stat, clock ticks
  // since boot); it is killed on EOF only while that start time still matches, so a
  // reused pid is left alone. At most 4096 live pids; further ones are dropped.
  void watch_pid(pid_t pid, std::uint64_t start_ticks) noexcept;

  // The process-wide guardian that ChildGroup and the Sampler report to. Starting it
  // twice is a no-op. Errc::io as start().
  static Result<void> start_process_guardian();
  // Destroys the process-wide guardian (quit, reap); a no-op when none runs. Also done
  // at exit() by a static destructor.
  static void stop_process_guardian() noexcept;
  // The process-wide guardian's pid, while one runs (for tests and diagnostics).
  static std::optional<pid_t> process_guardian_pid();

 private:
  Guardian(pid_t pid, UniqueFd pipe) : pid_(pid), pipe_(std::move(pipe)) {}
  void send(std::int32_t kind, pid_t pid, std::uint64_t start_ticks) noexcept;

  pid_t pid_ = -1;
  UniqueFd pipe_;
};

// Report to the process-wide guardian; each is a no-op when none runs (unit tests that
// spawn ChildGroups without one, `mcpleak report`).
void guardian_watch_group(pid_t pgid) noexcept;
void guardian_forget_group(pid_t pgid) noexcept;
// Watches `pid`, a process of the server's tree outside its process group (a setsid'd
// daemon), with its current start time. Linux only; a no-op elsewhere, so on macOS the
// guardian covers process groups only. Also a no-op when `pid` is already gone.
void guardian_watch_escaped(pid_t pid) noexcept;

// The start time of `pid` in clock ticks since boot (field 22 of /proc/PID/stat). Empty
// when the process is gone, and always on platforms without /proc.
std::optional<std::uint64_t> process_start_ticks(pid_t pid) noexcept;

namespace detail {

struct StatStart {
  char state = '?';               // field 3: 'R', 'S', 'Z', ...
  std::uint64_t start_ticks = 0;  // field 22
};
// Parses fields 3 and 22 of a /proc/PID/stat text of `len` bytes (comm may hold spaces
// and ')'; fields start after the last ')'). Empty when the text ends before field 22 or
// a field is malformed. No allocation: the guardian process calls it after fork().
std::optional<StatStart> parse_stat_start(const char* text, std::size_t len) noexcept;

}  // namespace detail

}  // namespace mcpleak
