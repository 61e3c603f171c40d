#include "harness/mcp/stdio_transport.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include "harness/mcp/jsonrpc.h"
#include "harness/process/fd_wait.h"

namespace mcpleak {

StdioTransport::StdioTransport(ChildPipes pipes, StdioTransportOptions options)
    : stdin_write_(std::move(pipes.stdin_write)),
      stdout_read_(std::move(pipes.stdout_read)),
      options_(std::move(options)),
      stderr_(std::move(pipes.stderr_read), options_.server_log_path, options_.max_log_bytes) {
  ::fcntl(stdin_write_.get(), F_SETFL, ::fcntl(stdin_write_.get(), F_GETFL) | O_NONBLOCK);
}

StdioTransport::~StdioTransport() { stop(); }

void StdioTransport::stop() {
  stopping_.store(true);
  if (stdout_thread_.joinable()) stdout_thread_.join();
  stderr_.stop();
}

void StdioTransport::close_input() {
  std::lock_guard lock(write_mutex_);
  stdin_write_.reset();
}

void StdioTransport::start(MessageHandler on_line, std::function<void(std::string)> on_closed) {
  stdout_thread_ = std::thread(
      [this, on_line = std::move(on_line), on_closed = std::move(on_closed)]() mutable {
        read_stdout(std::move(on_line), std::move(on_closed));
      });
}

Result<void> StdioTransport::send(std::string_view message) {
  std::lock_guard lock(write_mutex_);
  if (!stdin_write_) return Error(Errc::io, "the server's stdin is closed (disconnected)");
  std::string framed(message);
  framed.push_back('\n');
  std::string_view rest = framed;
  while (!rest.empty()) {
    const ssize_t n = ::write(stdin_write_.get(), rest.data(), rest.size());
    if (n > 0) {
      rest.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      const auto w = wait_fd(stdin_write_.get(), POLLOUT, options_.write_timeout_ms, stopping_);
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

void StdioTransport::read_stdout(MessageHandler on_line, std::function<void(std::string)> on_closed) {
  LineSplitter splitter(options_.max_line_bytes);
  const auto deliver = [&on_line](std::string_view line) { (void)on_line(line); };
  std::vector<char> buffer(1 << 16);
  std::string reason = "server closed stdout";
  for (;;) {
    if (wait_fd(stdout_read_.get(), POLLIN, -1, stopping_) == WaitResult::stopping) {
      reason = "transport stopped";
      break;
    }
    const ssize_t n = ::read(stdout_read_.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      reason = std::string("read server stdout: ") + std::strerror(errno);
      break;
    }
    if (n == 0) break;
    splitter.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)), deliver);
    oversized_.store(splitter.oversized_lines());
  }
  on_closed(reason);
}

}  // namespace mcpleak
