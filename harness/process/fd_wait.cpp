#include "harness/process/fd_wait.h"

#include <poll.h>

#include <cerrno>
#include <chrono>

namespace mcpleak {
namespace {
constexpr int kPollSliceMs = 100;  // how often a blocked thread notices `stopping`
}

WaitResult wait_fd(int fd, short events, int timeout_ms, const std::atomic<bool>& stopping) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!stopping.load()) {
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, kPollSliceMs);
    if (r > 0) return WaitResult::ready;
    if (r < 0 && errno != EINTR) return WaitResult::ready;
    if (timeout_ms >= 0 && std::chrono::steady_clock::now() >= deadline) return WaitResult::timeout;
  }
  return WaitResult::stopping;
}

}  // namespace mcpleak
