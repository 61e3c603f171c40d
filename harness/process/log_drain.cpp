#include "harness/process/log_drain.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <vector>

#include "harness/process/fd_wait.h"

namespace mcpleak {

LogDrain::LogDrain(UniqueFd fd, std::string log_path, std::uint64_t max_log_bytes)
    : fd_(std::move(fd)), log_path_(std::move(log_path)), max_log_bytes_(max_log_bytes) {
  thread_ = std::thread([this] { run(); });
}

void LogDrain::stop() {
  stopping_.store(true);
  if (thread_.joinable()) thread_.join();
}

void LogDrain::run() {
  std::FILE* log = log_path_.empty() ? nullptr : std::fopen(log_path_.c_str(), "ab");
  std::vector<char> buffer(1 << 16);
  std::uint64_t kept = 0;
  for (;;) {
    if (wait_fd(fd_.get(), POLLIN, -1, stopping_) == WaitResult::stopping) break;
    const ssize_t n = ::read(fd_.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    bytes_ += static_cast<std::uint64_t>(n);
    if (log && kept < max_log_bytes_) {
      const auto take = std::min<std::uint64_t>(static_cast<std::uint64_t>(n), max_log_bytes_ - kept);
      std::fwrite(buffer.data(), 1, take, log);
      std::fflush(log);  // a killed run keeps the server's last words
      kept += take;
      if (kept >= max_log_bytes_) {
        std::fputs("\n[mcpleak: server.log capped; further output is drained and discarded]\n", log);
        std::fflush(log);
      }
    }
  }
  if (log) std::fclose(log);
  eof_.store(true);
}

bool LogDrain::wait_for_eof(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!eof_.load()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace mcpleak
