// MCP over a child's stdin/stdout, newline-delimited. Owns two threads: one reads the
// server's stdout into lines, one drains its stderr into server.log so a server that
// floods stderr never blocks on a full pipe.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "harness/mcp/transport.h"
#include "harness/process/child_group.h"
#include "harness/process/log_drain.h"

namespace mcpleak {

struct StdioTransportOptions {
  std::string server_log_path;                        // stderr goes here
  std::size_t max_line_bytes = 256u << 20;            // longer lines are dropped
  std::uint64_t max_log_bytes = 256ull << 20;         // beyond this stderr is drained, not kept
  int write_timeout_ms = 10000;                       // a server that stops reading stdin
};

class StdioTransport final : public Transport {
 public:
  // Takes the pipes; starts draining stderr at once.
  StdioTransport(ChildPipes pipes, StdioTransportOptions options);
  ~StdioTransport() override;
  StdioTransport(const StdioTransport&) = delete;
  StdioTransport& operator=(const StdioTransport&) = delete;

  void start(MessageHandler on_line, std::function<void(std::string)> on_closed) override;
  Result<void> send(std::string_view message) override;
  std::size_t oversized_lines() const override { return oversized_.load(); }
  std::uint64_t stderr_bytes() const { return stderr_.bytes_read(); }
  // See LogDrain::wait_for_eof: the server's stderr, all of it in server.log.
  bool wait_for_stderr_eof(std::chrono::milliseconds timeout) const { return stderr_.wait_for_eof(timeout); }
  // Stops the threads without waiting for EOF (the server may keep pipes open).
  void stop() override;
  // Closes the server's stdin: how an MCP client asks a stdio server to exit. Later
  // sends fail.
  void close_input();

 private:
  void read_stdout(MessageHandler on_line, std::function<void(std::string)> on_closed);

  UniqueFd stdin_write_;
  UniqueFd stdout_read_;
  StdioTransportOptions options_;
  LogDrain stderr_;
  std::mutex write_mutex_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> oversized_{0};
  std::thread stdout_thread_;
};

}  // namespace mcpleak
