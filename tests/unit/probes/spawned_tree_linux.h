// A real 3-process tree for the live Linux probe tests and bench_probe: root forks
// `busy` from its main thread (which dirties a chosen amount of anonymous memory) and
// `idle` from a second thread, so idle is listed only in that thread's children file.
// All three wait in pause() until the owner's destructor kills and reaps them.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>

namespace mcpleak::test {

class SpawnedTree {
 public:
  // touch_bytes: anonymous memory that `busy` writes to before it reports ready.
  explicit SpawnedTree(std::size_t touch_bytes) {
    // Orphans of a killed root come back to us instead of init, so the destructor can
    // reap busy and idle too (prctl(2), PR_SET_CHILD_SUBREAPER).
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      error_ = std::string("pipe: ") + std::strerror(errno);
      return;
    }
    root_ = ::fork();
    if (root_ == 0) run_root(fds[1], touch_bytes);  // never returns
    ::close(fds[1]);
    if (root_ < 0) {
      error_ = std::string("fork: ") + std::strerror(errno);
      ::close(fds[0]);
      return;
    }
    // Two reports, {role, pid}; a pipe write of this size is atomic (pipe(7), PIPE_BUF).
    for (int i = 0; i < 2 && error_.empty(); ++i) {
      Report report{};
      if (!read_report(fds[0], report)) break;
      (report.role == 'b' ? busy_ : idle_) = report.pid;
    }
    ::close(fds[0]);
    if (error_.empty() && (busy_ <= 0 || idle_ <= 0)) error_ = "children did not report";
  }
  SpawnedTree(const SpawnedTree&) = delete;
  SpawnedTree& operator=(const SpawnedTree&) = delete;

  // SIGKILL all three, reap root, then busy and idle (ours again once root is dead).
  // busy and idle cannot be reaped by anyone before root dies, so their pids cannot be
  // reused before the kill reaches them.
  ~SpawnedTree() {
    for (pid_t pid : {busy_, idle_, root_})
      if (pid > 0) ::kill(pid, SIGKILL);
    for (pid_t pid : {root_, busy_, idle_})
      if (pid > 0)
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
  }

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  pid_t root() const { return root_; }
  pid_t busy() const { return busy_; }
  pid_t idle() const { return idle_; }

 private:
  struct Report {
    char role;
    pid_t pid;
  };

  bool read_report(int fd, Report& report) {
    // The timeout only bounds a broken child; a healthy one reports in milliseconds.
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 30000) != 1) {
      error_ = "timed out waiting for the tree to start";
      return false;
    }
    if (::read(fd, &report, sizeof report) != static_cast<ssize_t>(sizeof report)) {
      error_ = "a child died before reporting";
      return false;
    }
    return true;
  }

  // In the forked root: only async-signal-safe work plus one pthread_create, then pause.
  [[noreturn]] static void run_root(int report_fd, std::size_t touch_bytes) {
    const pid_t busy = ::fork();
    if (busy == 0) {
      if (touch_bytes > 0) {
        void* mem = ::mmap(nullptr, touch_bytes, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mem == MAP_FAILED) ::_exit(2);
        std::memset(mem, 0xA5, touch_bytes);  // dirty every page, not the shared zero page
      }
      report_and_pause(report_fd, 'b');
    }
    static int thread_fd;
    thread_fd = report_fd;
    pthread_t thread;
    if (::pthread_create(&thread, nullptr, &fork_idle_from_thread, &thread_fd) != 0) ::_exit(3);
    for (;;) ::pause();
  }

  static void* fork_idle_from_thread(void* arg) {
    const int fd = *static_cast<int*>(arg);
    if (::fork() == 0) report_and_pause(fd, 'i');
    for (;;) ::pause();  // stay alive: idle is listed under this thread while it lives
  }

  [[noreturn]] static void report_and_pause(int fd, char role) {
    const Report report{role, ::getpid()};
    if (::write(fd, &report, sizeof report) != static_cast<ssize_t>(sizeof report)) ::_exit(4);
    for (;;) ::pause();
  }

  std::string error_;
  pid_t root_ = -1;
  pid_t busy_ = -1;
  pid_t idle_ = -1;
};

}  // namespace mcpleak::test
