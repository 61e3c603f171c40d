#include "harness/mcp/stdio_transport.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

#include "harness/mcp/jsonrpc.h"

namespace mcpleak {
namespace {

constexpr int kPollSliceMs = 100;  // how often blocked threads notice stop()

enum class WaitResult { ready, timeout, stopping };

WaitResult wait_fd(int fd, short events, int timeout_ms, const std::atomic<bool>& stopping) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!stopping.load()) {
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, kPollSliceMs);
    if (r > 0) return WaitResult::ready;
    if (r < 0 && errno != EINTR) return WaitResult::ready;  // let read/write report it
    if (timeout_ms >= 0 && std::chrono::steady_clock::now() >= deadline) return WaitResult::timeout;
  }
  return WaitResult::stopping;
}

}  // namespace

StdioTransport::StdioTransport(ChildPipes pipes, StdioTransportOptions options)
    : pipes_(std::move(pipes)), options_(std::move(options)) {
  ::fcntl(pipes_.stdin_write.get(), F_SETFL,
          ::fcntl(pipes_.stdin_write.get(), F_GETFL) | O_NONBLOCK);
  stderr_thread_ = std::thread([this] { drain_stderr(); });
}

StdioTransport::~StdioTransport() { stop(); }

void StdioTransport::stop() {
  stopping_.store(true);
  if (stdout_thread_.joinable()) stdout_thread_.join();
  if (stderr_thread_.joinable()) stderr_thread_.join();
}

void StdioTransport::start(std::function<void(std::string_view)> on_line,
                           std::function<void(std::string)> on_closed) {
  stdout_thread_ = std::thread(
      [this, on_line = std::move(on_line), on_closed = std::move(on_closed)]() mutable {
        read_stdout(std::move(on_line), std::move(on_closed));
      });
}

Result<void> StdioTransport::send(std::string_view message) {
  std::lock_guard lock(write_mutex_);
  std::string framed(message);
  framed.push_back('\n');
  std::string_view rest = framed;
  while (!rest.empty()) {
    const ssize_t n = ::write(pipes_.stdin_write.get(), rest.data(), rest.size());
    if (n > 0) {
      rest.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      const auto w = wait_fd(pipes_.stdin_write.get(), POLLOUT, options_.write_timeout_ms, stopping_);
      if (w == WaitResult::timeout) {
        return Error(Errc::timeout, "server has not read its stdin for " +
                                        std::to_string(options_.write_timeout_ms / 1000) + " s");
      }
      if (w == WaitResult::stopping) return Error(Errc::io, "transport stopped");
      continue;
    }
    if (n < 0 && errno == EPIPE) return Error(Errc::server_exited, "server closed its stdin");
    return Error(Errc::io, std::string("write to server stdin: ") + std::strerror(errno));
  }
  return {};
}

void StdioTransport::read_stdout(std::function<void(std::string_view)> on_line,
                                 std::function<void(std::string)> on_closed) {
  LineSplitter splitter(options_.max_line_bytes);
  std::vector<char> buffer(1 << 16);
  std::string reason = "server closed stdout";
  for (;;) {
    if (wait_fd(pipes_.stdout_read.get(), POLLIN, -1, stopping_) == WaitResult::stopping) {
      reason = "transport stopped";
      break;
    }
    const ssize_t n = ::read(pipes_.stdout_read.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      reason = std::string("read server stdout: ") + std::strerror(errno);
      break;
    }
    if (n == 0) break;
    splitter.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)), on_line);
    oversized_.store(splitter.oversized_lines());
  }
  on_closed(reason);
}

void StdioTransport::drain_stderr() {
  std::FILE* log = options_.server_log_path.empty()
                       ? nullptr
                       : std::fopen(options_.server_log_path.c_str(), "ab");
  std::vector<char> buffer(1 << 16);
  std::uint64_t kept = 0;
  for (;;) {
    if (wait_fd(pipes_.stderr_read.get(), POLLIN, -1, stopping_) == WaitResult::stopping) break;
    const ssize_t n = ::read(pipes_.stderr_read.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    stderr_bytes_ += static_cast<std::uint64_t>(n);
    if (log && kept < options_.max_log_bytes) {
      const auto take = std::min<std::uint64_t>(static_cast<std::uint64_t>(n),
                                                options_.max_log_bytes - kept);
      std::fwrite(buffer.data(), 1, take, log);
      std::fflush(log);  // a killed run keeps the server's last words
      kept += take;
      if (kept >= options_.max_log_bytes) {
        std::fputs("\n[mcpleak: server.log capped; further stderr is drained and discarded]\n", log);
      }
    }
  }
  if (log) std::fclose(log);
}

}  // namespace mcpleak
