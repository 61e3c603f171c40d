// One client's way through a call phase: which step comes next and when, and when its
// session is due to end (calls_per_session). Pure bookkeeping, shared by the runner's own
// client and the concurrent clients of a phase (concurrent_clients.h).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "harness/mcp/client.h"
#include "harness/mcp/transport.h"
#include "harness/runner/scenario.h"

namespace mcpleak {

class PhaseCursor {
 public:
  // `recorded_pace`: each step waits its own after_s (a recorded session replayed at its
  // pace) instead of `interval_s`; the first call goes at once, and the first step's wait
  // applies when the steps come round again.
  PhaseCursor(const Phase& phase, double interval_s, double start_s, bool recorded_pace = false)
      : phase_(phase),
        interval_s_(interval_s),
        next_call_s_(start_s),
        recorded_(recorded_pace && !phase.steps.empty()) {}

  double next_call_s() const { return next_call_s_; }
  // True when the session has had its calls and the next turn opens a new one.
  bool session_due() const {
    const auto& per = phase_.calls_per_session;
    return !per.empty() && calls_in_session_ >= per[session_ % per.size()];
  }
  void session_opened() {
    ++session_;
    calls_in_session_ = 0;
  }
  // The step to call now; the cursor moves on.
  const Step& take_step() { return phase_.steps[step_++ % phase_.steps.size()]; }
  // After a call ended at now_s.
  void call_done(double now_s) {
    ++calls_in_session_;
    pace(now_s);
  }
  // The next call one interval on; a slow call does not cause a burst of catch-up calls.
  // At a recorded pace, the next step's own wait after this call's planned time, or now
  // when this call took longer (the recorded client too waited for its answers).
  void pace(double now_s) {
    if (recorded_) {
      const double after = phase_.steps[step_ % phase_.steps.size()].after_s.value_or(0);
      next_call_s_ = std::max(next_call_s_ + after, now_s);
      return;
    }
    next_call_s_ = std::max(next_call_s_ + interval_s_, now_s - interval_s_);
  }

 private:
  const Phase& phase_;
  double interval_s_;
  double next_call_s_;
  std::size_t step_ = 0;
  std::size_t session_ = 0;
  std::uint64_t calls_in_session_ = 0;
  bool recorded_ = false;
};

// Opens a session with initialize; its outcome is a call's (a session that cannot be
// opened is a failed call, "initialize of a new session: ...").
CallOutcome open_session(McpClient& client, std::chrono::milliseconds init_timeout);

// Ends the client's current session as the phase says (DELETE, or abandoned: forgotten
// without a word) and opens the next with initialize. The outcome is the initialize's:
// a session that cannot be opened is a failed call. `close_error` gets a failed DELETE.
CallOutcome open_next_session(McpClient& client, Transport& transport, SessionClose close,
                              std::chrono::milliseconds init_timeout, std::string& close_error);

}  // namespace mcpleak
