#include "harness/runner/concurrent_clients.h"

#include <algorithm>

#include "harness/runner/phase_cursor.h"

namespace mcpleak {

ConcurrentClients::ConcurrentClients(const Phase& phase, double interval_s, std::chrono::milliseconds init_timeout,
                                     std::chrono::milliseconds call_timeout, ClientOptions options,
                                     ClientCallbacks callbacks)
    : phase_(phase),
      interval_s_(interval_s),
      init_timeout_(init_timeout),
      call_timeout_(call_timeout),
      options_(std::move(options)),
      callbacks_(std::move(callbacks)) {
  for (int client = 1; client < phase.clients; ++client) threads_.emplace_back([this, client] { drive(client); });
}

void ConcurrentClients::stop() {
  stopping_.store(true);
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

std::vector<std::string> ConcurrentClients::problems() const {
  std::lock_guard lock(mutex_);
  return problems_;
}

void ConcurrentClients::note(std::string problem) {
  std::lock_guard lock(mutex_);
  const auto kind = problem.substr(problem.find(':') + 1);
  const bool seen = std::any_of(problems_.begin(), problems_.end(), [&](const std::string& p) {
    return p.substr(p.find(':') + 1) == kind;
  });
  if (!seen) problems_.push_back(std::move(problem));
}

void ConcurrentClients::drive(int client) {
  const std::string who = "client " + std::to_string(client);
  auto transport = callbacks_.make_transport();
  auto stop = [this] { return stopping_.load() || (callbacks_.cancelled && callbacks_.cancelled()); };
  McpClient mcp(*transport, stop, options_);
  // The first session opens like every later one; a client that cannot open one keeps
  // trying at the call rate, each attempt a failed call, as a real client would retry.
  bool in_session = false;
  PhaseCursor cursor(phase_, interval_s_, callbacks_.now_s());
  while (!stop() && !mcp.closed()) {
    const double now = callbacks_.now_s();
    if (now < cursor.next_call_s()) {
      std::this_thread::sleep_for(std::chrono::duration<double>(std::min(0.05, cursor.next_call_s() - now)));
      continue;
    }
    if (!in_session || cursor.session_due()) {
      const double sent = callbacks_.now_s();
      std::string close_error;
      CallOutcome opened;
      if (!in_session) {
        opened = open_session(mcp, init_timeout_);
      } else {
        opened = open_next_session(mcp, *transport, phase_.close, init_timeout_, close_error);
        if (callbacks_.session_ended) callbacks_.session_ended();
      }
      if (!close_error.empty()) note(who + ": closing a session failed: " + close_error);
      if (stop() && !opened.ok) break;  // cut short by the stop, not a failure of the server
      callbacks_.record(client, "initialize", sent, opened, CallKind::session);
      if (!opened.ok) note(who + ": " + opened.error);
      in_session = opened.ok;
      cursor.session_opened();
      if (!opened.ok) cursor.pace(callbacks_.now_s());  // retries at the call rate, not in a tight loop
      continue;
    }
    const Step& step = cursor.take_step();
    const double sent = callbacks_.now_s();
    CallOutcome c = mcp.call_tool(step.tool, step.args, call_timeout_);
    if (c.cancelled) break;
    callbacks_.record(client, step.tool, sent, c, CallKind::scenario);
    cursor.call_done(callbacks_.now_s());
  }
  if (in_session && phase_.close == SessionClose::del && !mcp.closed()) (void)transport->end_session();
}

}  // namespace mcpleak
