#include "harness/watch/byte_pump.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "harness/process/fd_wait.h"

namespace mcpleak {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
// After POLLOUT a pipe takes PIPE_BUF bytes without blocking: writing no more than that at
// a time keeps stop() able to end a pump whose reader stopped reading.
constexpr std::size_t kWriteSlice = PIPE_BUF;
constexpr int kSliceMs = 100;

}  // namespace

BytePump::BytePump(UniqueFd from, UniqueFd to, Observer observe, bool keep_draining)
    : from_(std::move(from)), to_(std::move(to)), observe_(std::move(observe)), keep_draining_(keep_draining) {
  thread_ = std::thread([this] { run(); });
}

BytePump::~BytePump() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void BytePump::stop() { stopping_.store(true); }

bool BytePump::wait_finished(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return ended_.wait_for(lock, timeout, [this] { return finished(); });
}

std::string BytePump::end_detail() const {
  std::lock_guard lock(mutex_);
  return detail_;
}

void BytePump::finish(PumpEnd end, std::string detail) {
  // Closed here, on the pump's thread: the far side sees EOF as soon as this direction ends.
  from_.reset();
  to_.reset();
  {
    std::lock_guard lock(mutex_);
    detail_ = std::move(detail);
    end_.store(end);
  }
  ended_.notify_all();
}

bool BytePump::write_all(std::string_view data) {
  while (!data.empty()) {
    const WaitResult ready = wait_fd(to_.get(), POLLOUT, kSliceMs, stopping_);
    if (ready == WaitResult::stopping) return false;
    if (ready == WaitResult::timeout) continue;  // still full: writing now would block past stop()
    const ssize_t n = ::write(to_.get(), data.data(), std::min(data.size(), kWriteSlice));
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void BytePump::run() {
  std::string buffer(kReadChunk, '\0');
  bool destination_ok = true;
  std::string why;
  for (;;) {
    const WaitResult ready = wait_fd(from_.get(), POLLIN, kSliceMs, stopping_);
    if (ready == WaitResult::stopping) return finish(PumpEnd::stopped, "");
    if (ready == WaitResult::timeout) continue;
    const ssize_t n = ::read(from_.get(), buffer.data(), buffer.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      if (n < 0) why = std::string("read: ") + std::strerror(errno);
      return finish(destination_ok ? PumpEnd::source_closed : PumpEnd::destination_closed, why);
    }
    const auto read_at = Clock::now();
    const std::string_view chunk(buffer.data(), static_cast<std::size_t>(n));
    if (destination_ok && !write_all(chunk)) {
      if (stopping_.load()) return finish(PumpEnd::stopped, "");
      why = std::string("write: ") + std::strerror(errno);
      if (!keep_draining_) return finish(PumpEnd::destination_closed, why);
      destination_ok = false;
      to_.reset();
    }
    bytes_ += chunk.size();
    if (observe_) observe_(chunk, read_at);
  }
}

}  // namespace mcpleak
