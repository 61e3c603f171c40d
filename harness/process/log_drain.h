// LogDrain: one thread that reads a child's output pipe to its end and appends it to a
// log file, up to a cap, then keeps draining and discards. A child that floods
// stderr (or, over HTTP, stdout) must never block on a full pipe, and must never fill
// the disk.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "harness/process/unique_fd.h"

namespace mcpleak {

class LogDrain {
 public:
  // Starts draining at once. An empty `log_path` drains without keeping anything.
  LogDrain(UniqueFd fd, std::string log_path, std::uint64_t max_log_bytes);
  ~LogDrain() { stop(); }
  LogDrain(const LogDrain&) = delete;
  LogDrain& operator=(const LogDrain&) = delete;

  // Stops without waiting for EOF (a child's own children may hold the pipe open).
  void stop();
  // Waits up to `timeout` for the pipe's end to be read and written to the log: after a
  // child exits, its last words reach the log a moment later. True when they did.
  bool wait_for_eof(std::chrono::milliseconds timeout) const;
  std::uint64_t bytes_read() const { return bytes_.load(); }

 private:
  void run();

  UniqueFd fd_;
  std::string log_path_;
  std::uint64_t max_log_bytes_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> eof_{false};
  std::atomic<std::uint64_t> bytes_{0};
  std::thread thread_;
};

}  // namespace mcpleak
