// Exponential back-off for an operation that can fail and is retried (an observer start):
// after a failure the next attempt waits initial, 2x, 4x ... up to max_delay; a success
// resets it. Pure: the caller passes the clock, so the policy is testable without time.
#pragma once

#include <chrono>

namespace mcpleak::axref {

class RetryBackoff {
 public:
  using Clock = std::chrono::steady_clock;
  RetryBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds max_delay)
      : initial_(initial), max_(max_delay) {}

  // True when an attempt is allowed at `now` (always true before the first failure).
  bool ready(Clock::time_point now) const { return failures_ == 0 || now >= next_; }
  void failed(Clock::time_point now);
  void succeeded() { failures_ = 0; }
  int failures() const { return failures_; }
  std::chrono::milliseconds current_delay() const;

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  int failures_ = 0;
  Clock::time_point next_{};
};

}  // namespace mcpleak::axref
