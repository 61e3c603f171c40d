#include "reference/stdio_server.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <poll.h>
#include <string>
#include <unistd.h>

namespace mcpleak::axref {
namespace {

// Atomic rather than volatile sig_atomic_t: the HTTP transport reads it from another
// thread (stop_requested()). Lock-free atomics are safe in a signal handler.
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_stop_signal(int) { g_stop = true; }

bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

void install_stop_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: poll/read return EINTR so the loop sees the flag
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

bool stop_requested() { return g_stop; }

int serve_stdio(Protocol& protocol, ToolBox& tools, int in_fd, int out_fd) {
  constexpr int kIdleTickMs = 100;
  std::string pending;
  char buf[65536];
  while (!g_stop) {
    pollfd p{in_fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, kIdleTickMs);
    if (ready < 0) {
      if (errno == EINTR) continue;
      std::cerr << "axref: poll stdin: " << std::strerror(errno) << "\n";
      return 1;
    }
    if (ready == 0) {
      tools.idle();
      continue;
    }
    const ssize_t n = ::read(in_fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      std::cerr << "axref: read stdin: " << std::strerror(errno) << "\n";
      return 1;
    }
    if (n == 0) {
      // EOF: a final line without newline still counts as a message.
      if (auto out = protocol.handle_line(pending)) {
        if (!write_all(out_fd, *out + "\n")) return 1;
      }
      return 0;
    }
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
      auto out = protocol.handle_line(std::string_view(pending).substr(start, nl - start));
      if (out && !write_all(out_fd, *out + "\n")) {
        std::cerr << "axref: write stdout: " << std::strerror(errno) << "\n";
        return 1;
      }
    }
    pending.erase(0, start);
    tools.idle();
  }
  std::cerr << "axref: stop signal, shutting down\n";
  return 0;
}

}  // namespace mcpleak::axref
