#include "harness/process/guardian.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <mutex>
#include <string>

#if defined(__linux__)
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

namespace mcpleak {
namespace {

enum Kind : std::int32_t { kWatchGroup = 1, kForgetGroup = 2, kWatchPid = 3, kQuit = 4 };

// One fixed-size record per message: a pipe write of at most PIPE_BUF bytes is atomic, so
// threads may send without a lock and the guardian never sees records interleaved.
struct Record {
  std::int32_t kind;
  std::int32_t pid;
  std::uint64_t start_ticks;
};
static_assert(sizeof(Record) == 16 && sizeof(Record) <= PIPE_BUF);

// ---- The guardian process. Everything from here to Guardian::start runs after fork()
// ---- in the child: async-signal-safe calls only, fixed tables, no allocation.

constexpr int kMaxGroups = 64;
constexpr int kMaxPids = 4096;
constexpr int kGraceSteps = 20;  // × 50 ms: the ~1 s between SIGTERM and SIGKILL

struct WatchedPid {
  pid_t pid;
  std::uint64_t start_ticks;
};
// Static rather than on the stack (the fork may come from a thread with a small stack);
// in the owner they stay zero pages that are never touched.
struct Tables {
  pid_t groups[kMaxGroups];
  int group_count;
  WatchedPid pids[kMaxPids];
  int pid_count;
};
Tables g_tables;

#if defined(__linux__)
// Fields 3 and 22 of /proc/PID/stat, read with open/read/close into a stack buffer.
// NOTE: no snprintf for the path: it is not async-signal-safe (signal-safety(7)).
std::optional<detail::StatStart> read_stat_start(pid_t pid) noexcept {
  if (pid <= 0) return std::nullopt;
  char path[32] = "/proc/";
  char digits[12];
  int n = 0;
  for (auto v = static_cast<unsigned>(pid); v != 0; v /= 10) digits[n++] = static_cast<char>('0' + v % 10);
  int at = 6;
  while (n > 0) path[at++] = digits[--n];
  for (const char* s = "/stat"; *s != '\0'; ++s) path[at++] = *s;
  path[at] = '\0';

  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buf[1024];
  std::size_t len = 0;
  while (len < sizeof buf) {
    const ssize_t got = ::read(fd, buf + len, sizeof buf - len);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    len += static_cast<std::size_t>(got);
  }
  ::close(fd);
  return detail::parse_stat_start(buf, len);
}
#endif

// True while the watched process runs with the start time it was registered with (a
// zombie counts as gone: it can be neither killed nor reaped by us).
bool pid_matches(const WatchedPid& w) noexcept {
#if defined(__linux__)
  const auto stat = read_stat_start(w.pid);
  return stat && stat->start_ticks == w.start_ticks && stat->state != 'Z';
#else
  (void)w;  // never registered: macOS has no /proc to check a start time against
  return false;
#endif
}

bool group_alive(pid_t pgid) noexcept { return ::kill(-pgid, 0) == 0 || errno == EPERM; }

void watch_group_entry(pid_t pgid) noexcept {
  Tables& t = g_tables;
  for (int i = 0; i < t.group_count; ++i)
    if (t.groups[i] == pgid) return;
  if (t.group_count < kMaxGroups) t.groups[t.group_count++] = pgid;
}

void forget_group_entry(pid_t pgid) noexcept {
  Tables& t = g_tables;
  for (int i = 0; i < t.group_count; ++i) {
    if (t.groups[i] == pgid) {
      t.groups[i] = t.groups[--t.group_count];
      return;
    }
  }
}

// Drops entries whose process is gone or whose pid was reused.
void compact_pids() noexcept {
  Tables& t = g_tables;
  int kept = 0;
  for (int i = 0; i < t.pid_count; ++i)
    if (pid_matches(t.pids[i])) t.pids[kept++] = t.pids[i];
  t.pid_count = kept;
}

void watch_pid_entry(pid_t pid, std::uint64_t start_ticks) noexcept {
  Tables& t = g_tables;
  for (int i = 0; i < t.pid_count; ++i) {
    if (t.pids[i].pid == pid) {
      t.pids[i].start_ticks = start_ticks;  // the pid was reused by another escaped process
      return;
    }
  }
  if (t.pid_count == kMaxPids) compact_pids();
  if (t.pid_count < kMaxPids) t.pids[t.pid_count++] = {pid, start_ticks};
}

// Signals what is still alive and forgets what is gone, so that no later signal can
// reach a group or pid that was reused meanwhile. True when something is left.
bool signal_alive(int sig) noexcept {
  Tables& t = g_tables;
  bool left = false;
  for (int i = 0; i < t.group_count; ++i) {
    if (t.groups[i] > 0 && group_alive(t.groups[i])) {
      if (sig != 0) ::kill(-t.groups[i], sig);
      left = true;
    } else {
      t.groups[i] = 0;
    }
  }
  for (int i = 0; i < t.pid_count; ++i) {
    if (t.pids[i].pid > 0 && pid_matches(t.pids[i])) {
      if (sig != 0) ::kill(t.pids[i].pid, sig);
      left = true;
    } else {
      t.pids[i].pid = 0;
    }
  }
  return left;
}

void kill_watched() noexcept {
  if (!signal_alive(SIGTERM)) return;
  const timespec step{0, 50 * 1000 * 1000};
  for (int i = 0; i < kGraceSteps; ++i) {
    ::nanosleep(&step, nullptr);
    if (!signal_alive(0)) return;
  }
  signal_alive(SIGKILL);
}

void close_fds_except(int keep, int max_fd) noexcept {
#if defined(__linux__) && defined(SYS_close_range)
  const bool low_done = keep == 0 || ::syscall(SYS_close_range, 0u, static_cast<unsigned>(keep - 1), 0u) == 0;
  if (low_done && ::syscall(SYS_close_range, static_cast<unsigned>(keep + 1), ~0u, 0u) == 0) return;
#endif
  // NOTE: kernels before 5.9 and macOS have no close_range: close one by one.
  for (int fd = 0; fd < max_fd; ++fd)
    if (fd != keep) ::close(fd);
}

[[noreturn]] void guardian_main(int in, int max_fd) noexcept {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) ::sigaction(sig, &ignore, nullptr);
  // Its own session: signals sent to mcpleak's process group (timeout(1), a CI runner
  // killing the job's group, Ctrl-C in a terminal) do not reach it.
  ::setsid();
  // Holding mcpleak's stdout or a server pipe open would hang whoever reads them.
  close_fds_except(in, max_fd);
#if defined(__linux__)
  ::prctl(PR_SET_NAME, "mcpleak-guard");  // its name in ps and top
#endif
  Record r{};
  std::size_t have = 0;
  for (;;) {
    const ssize_t got = ::read(in, reinterpret_cast<char*>(&r) + have, sizeof r - have);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      // EOF: every holder of the write end is gone, so mcpleak died without quitting.
      kill_watched();
      ::_exit(0);
    }
    have += static_cast<std::size_t>(got);
    if (have < sizeof r) continue;
    have = 0;
    switch (r.kind) {
      case kWatchGroup:
        if (r.pid > 0) watch_group_entry(r.pid);
        break;
      case kForgetGroup:
        forget_group_entry(r.pid);
        break;
      case kWatchPid:
        if (r.pid > 0) watch_pid_entry(r.pid, r.start_ticks);
        break;
      case kQuit:
        ::_exit(0);
      default:
        break;
    }
  }
}

// ---- The owner's side.

// How many fds the child closes when close_range is unavailable; read before fork()
// because getrlimit is not on the async-signal-safe list.
int fd_limit() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return 1 << 16;
  return static_cast<int>(rl.rlim_cur < (1u << 20) ? rl.rlim_cur : (1u << 20));
}

std::mutex g_process_mutex;
std::optional<Guardian> g_process_guardian;  // destroyed (quit, reaped) at exit() at the latest

}  // namespace

Result<Guardian> Guardian::start() {
  int fds[2];
#if defined(__linux__)
  const int rc = ::pipe2(fds, O_CLOEXEC);
#else
  const int rc = ::pipe(fds);
  if (rc == 0) {
    ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  }
#endif
  if (rc != 0) return Error(Errc::io, std::string("pipe: ") + std::strerror(errno)).with("guardian");
  const int max_fd = fd_limit();
  // NOTE: under TSan, _exit flushes stdio (its interceptor does): flushed first, the
  // child has no copy of the owner's buffered output to print a second time.
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return Error(Errc::io, std::string("fork: ") + std::strerror(err)).with("guardian");
  }
  if (pid == 0) guardian_main(fds[0], max_fd);  // closes fds[1] with the rest
  ::close(fds[0]);
  return Guardian(pid, UniqueFd(fds[1]));
}

Guardian::~Guardian() {
  if (pid_ <= 0) return;
  send(kQuit, 0, 0);
  pipe_.reset();
  // It exits as soon as it reads quit (or EOF); poll so a stopped guardian cannot hang us.
  const timespec step{0, 1000 * 1000};
  for (int i = 0; i < 2000; ++i) {
    const pid_t r = ::waitpid(pid_, nullptr, WNOHANG);
    if (r == pid_ || (r < 0 && errno != EINTR)) return;
    ::nanosleep(&step, nullptr);
  }
  ::kill(pid_, SIGKILL);
  while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

void Guardian::send(std::int32_t kind, pid_t pid, std::uint64_t start_ticks) noexcept {
  if (!pipe_) return;
  const Record r{kind, static_cast<std::int32_t>(pid), start_ticks};
  // A short or failed write means the guardian is gone (EPIPE): nothing left to tell.
  while (::write(pipe_.get(), &r, sizeof r) < 0 && errno == EINTR) {
  }
}

void Guardian::watch_group(pid_t pgid) noexcept { send(kWatchGroup, pgid, 0); }
void Guardian::forget_group(pid_t pgid) noexcept { send(kForgetGroup, pgid, 0); }
void Guardian::watch_pid(pid_t pid, std::uint64_t start_ticks) noexcept {
  send(kWatchPid, pid, start_ticks);
}

Result<void> Guardian::start_process_guardian() {
  std::lock_guard lock(g_process_mutex);
  if (g_process_guardian) return {};
  auto started = start();
  if (!started) return started.error();
  g_process_guardian.emplace(std::move(*started));
  return {};
}

void Guardian::stop_process_guardian() noexcept {
  std::lock_guard lock(g_process_mutex);
  g_process_guardian.reset();
}

std::optional<pid_t> Guardian::process_guardian_pid() {
  std::lock_guard lock(g_process_mutex);
  if (!g_process_guardian) return std::nullopt;
  return g_process_guardian->pid();
}

void guardian_watch_group(pid_t pgid) noexcept {
  std::lock_guard lock(g_process_mutex);
  if (g_process_guardian) g_process_guardian->watch_group(pgid);
}

void guardian_forget_group(pid_t pgid) noexcept {
  std::lock_guard lock(g_process_mutex);
  if (g_process_guardian) g_process_guardian->forget_group(pgid);
}

void guardian_watch_escaped(pid_t pid) noexcept {
  // NOTE: macOS has no /proc start time to tell a reused pid apart, so there the
  // guardian covers process groups only; a setsid'd server process can survive it.
  std::lock_guard lock(g_process_mutex);
  if (!g_process_guardian) return;
  if (const auto start = process_start_ticks(pid)) g_process_guardian->watch_pid(pid, *start);
}

std::optional<std::uint64_t> process_start_ticks(pid_t pid) noexcept {
#if defined(__linux__)
  if (const auto stat = read_stat_start(pid)) return stat->start_ticks;
#else
  (void)pid;
#endif
  return std::nullopt;
}

namespace detail {

std::optional<StatStart> parse_stat_start(const char* text, std::size_t len) noexcept {
  std::size_t close = len;
  for (std::size_t i = len; i > 0; --i) {
    if (text[i - 1] == ')') {
      close = i - 1;
      break;
    }
  }
  if (close == len) return std::nullopt;
  StatStart out;
  std::size_t i = close + 1;
  for (int field = 3; field <= 22; ++field) {
    if (i >= len || text[i] != ' ') return std::nullopt;
    const std::size_t begin = ++i;
    while (i < len && text[i] != ' ' && text[i] != '\n') ++i;
    if (i == begin) return std::nullopt;
    if (field == 3) {
      if (i - begin != 1) return std::nullopt;
      out.state = text[begin];
    } else if (field == 22) {
      std::uint64_t v = 0;
      for (std::size_t k = begin; k < i; ++k) {
        if (text[k] < '0' || text[k] > '9') return std::nullopt;
        const auto digit = static_cast<std::uint64_t>(text[k] - '0');
        if (v > (UINT64_MAX - digit) / 10) return std::nullopt;
        v = v * 10 + digit;
      }
      out.start_ticks = v;
    }
  }
  return out;
}

}  // namespace detail

}  // namespace mcpleak
