// One line from a child's pipe, for the process tests: waits on the real event (the
// child printed) with a deadline sized for a loaded machine, never a tuned sleep.
#pragma once

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>

namespace mcpleak::test {

// The next line from `fd` without its newline; empty on EOF or after `timeout` in total.
inline std::optional<std::string> read_line(int fd, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char c = 0;
    if (::read(fd, &c, 1) <= 0) return std::nullopt;
    if (c == '\n') return line;
    line += c;
  }
  return std::nullopt;
}

}  // namespace mcpleak::test
