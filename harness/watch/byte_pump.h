// One direction of the proxy: moves bytes from one fd to another on its own thread,
// unchanged and in order. Each chunk is written whole before it is shown to `observe`
// (the session tap), so reading the traffic never changes or holds back what passes.
// The observer gets the time the chunk was read, before it was written: the two
// directions' observers run on two threads, and a client's answer can reach the tap
// before the server's request it answers, but never with an earlier read time.
// The pump ends at EOF or a read error of the source, a write error of the destination
// (unless told to keep draining), or stop(); it then closes both fds it owns, which is how
// the far side learns this direction is over (the server's stdin EOF, the client's stdout EOF).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <condition_variable>
#include <string>
#include <string_view>
#include <thread>

#include "harness/process/unique_fd.h"

namespace mcpleak {

enum class PumpEnd { running, source_closed, destination_closed, stopped };

class BytePump {
 public:
  using Clock = std::chrono::steady_clock;
  using Observer = std::function<void(std::string_view bytes, Clock::time_point read_at)>;
  // Starts at once. `keep_draining`: after a write error keep reading the source and
  // discard it (a server's stderr must never block because the client closed ours).
  BytePump(UniqueFd from, UniqueFd to, Observer observe, bool keep_draining = false);
  ~BytePump();
  BytePump(const BytePump&) = delete;
  BytePump& operator=(const BytePump&) = delete;

  // Ends the pump within ~100 ms, even while it waits to write; closes its fds. Idempotent.
  void stop();
  // True once it ended; wait_finished waits up to `timeout` for that.
  bool finished() const { return end_.load() != PumpEnd::running; }
  bool wait_finished(std::chrono::milliseconds timeout) const;
  PumpEnd end() const { return end_.load(); }
  std::string end_detail() const;  // the errno text of a read or write error
  std::uint64_t bytes() const { return bytes_.load(); }

 private:
  void run();
  bool write_all(std::string_view data);
  void finish(PumpEnd end, std::string detail);

  UniqueFd from_, to_;
  Observer observe_;
  bool keep_draining_;
  std::atomic<bool> stopping_{false};
  std::atomic<PumpEnd> end_{PumpEnd::running};
  std::atomic<std::uint64_t> bytes_{0};
  mutable std::mutex mutex_;
  mutable std::condition_variable ended_;
  std::string detail_;
  std::thread thread_;
};

}  // namespace mcpleak
