// What an attribution run asks of whatever takes its checkpoints: the environment the
// server starts with, a call after every scenario call and on every turn of the run's
// loop, and what to tell the report. Runtime hooks (checkpointer.h: Python, Node) and
// heaptrack (native_checkpointer.h: C, C++, Rust) are the two kinds.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mcpleak {

class CheckpointTaker {
 public:
  virtual ~CheckpointTaker() = default;
  // Variables the server must start with (prepended to any the user set).
  virtual std::map<std::string, std::string> environment() const = 0;
  // The server mcpleak started: the process its instrumentation reaches.
  virtual void server_started(pid_t /*leader*/) {}
  // After scenario call number `calls` (counted from the run's start), at run time `now_s`.
  virtual void after_call(std::uint64_t calls, double now_s, bool warmed_up) = 0;
  // On every turn of the run's loop, between calls.
  virtual void tick(std::uint64_t calls, double now_s) = 0;
  // Every checkpoint taken, or nothing left to ask.
  virtual bool done() const = 0;
  // What the report should say about the instrumentation: what it reached, what not.
  virtual const std::vector<std::string>& notes() const = 0;
};

}  // namespace mcpleak
