// A process tree shaped like a browser's, for bench_probe: a root and `children` child
// processes, each with `threads` threads blocked in pause() and `touch_bytes` of anonymous
// memory written page by page and split into many mappings (every other 64 KiB made
// read-only), so that smaps_rollup has page tables and VMAs to walk as it does for
// Chromium. All wait until the destructor kills and reaps them.
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
#include <vector>

namespace mcpleak::test {

class WideTree {
 public:
  WideTree(int children, int threads, std::size_t touch_bytes) {
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);  // children of a killed root come back to us
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      error_ = std::string("pipe: ") + std::strerror(errno);
      return;
    }
    root_ = ::fork();
    if (root_ == 0) {
      ::setpgid(0, 0);  // one group: the destructor reaches children that never reported
      run_root(fds[1], children, threads, touch_bytes);  // never returns
    }
    if (root_ > 0) ::setpgid(root_, root_);
    ::close(fds[1]);
    if (root_ < 0) {
      error_ = std::string("fork: ") + std::strerror(errno);
      ::close(fds[0]);
      return;
    }
    // One pid per child once its memory is written; writes of a pid_t are atomic (PIPE_BUF).
    while (static_cast<int>(pids_.size()) < children && error_.empty()) {
      pollfd p{fds[0], POLLIN, 0};
      pid_t pid = 0;
      // Bounds a broken child only: writing a few hundred MB takes well under a minute.
      if (::poll(&p, 1, 120000) != 1) error_ = "timed out waiting for the tree to start";
      else if (::read(fds[0], &pid, sizeof pid) != static_cast<ssize_t>(sizeof pid)) error_ = "a child died";
      else pids_.push_back(pid);
    }
    ::close(fds[0]);
  }
  WideTree(const WideTree&) = delete;
  WideTree& operator=(const WideTree&) = delete;

  // SIGKILL the whole group, reap root, then the children (ours again once root is dead).
  ~WideTree() {
    if (root_ <= 0) return;
    ::kill(-root_, SIGKILL);
    reap(root_);
    while (::waitpid(-root_, nullptr, 0) > 0 || errno == EINTR) {
    }
  }

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  pid_t root() const { return root_; }
  // Every process of the tree, root first.
  std::vector<pid_t> all() const {
    std::vector<pid_t> out{root_};
    out.insert(out.end(), pids_.begin(), pids_.end());
    return out;
  }

 private:
  static void reap(pid_t pid) {
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }

  [[noreturn]] static void run_root(int report_fd, int children, int threads, std::size_t touch_bytes) {
    for (int i = 0; i < children; ++i) {
      if (::fork() == 0) run_child(report_fd, threads, touch_bytes);
    }
    for (;;) ::pause();
  }

  static void* park(void*) {
    for (;;) ::pause();
  }

  [[noreturn]] static void run_child(int report_fd, int threads, std::size_t touch_bytes) {
    if (touch_bytes > 0) {
      auto* mem = static_cast<char*>(
          ::mmap(nullptr, touch_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
      if (mem == MAP_FAILED) ::_exit(2);
      std::memset(mem, 0xA5, touch_bytes);  // dirty every page, not the shared zero page
      constexpr std::size_t kChunk = 64 * 1024;
      for (std::size_t off = 0; off + kChunk <= touch_bytes; off += 2 * kChunk) ::mprotect(mem + off, kChunk, PROT_READ);
    }
    for (int i = 1; i < threads; ++i) {
      pthread_t t;
      if (::pthread_create(&t, nullptr, &park, nullptr) != 0) ::_exit(3);
    }
    const pid_t self = ::getpid();
    if (::write(report_fd, &self, sizeof self) != static_cast<ssize_t>(sizeof self)) ::_exit(4);
    for (;;) ::pause();
  }

  std::string error_;
  pid_t root_ = -1;
  std::vector<pid_t> pids_;
};

}  // namespace mcpleak::test
