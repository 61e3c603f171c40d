#include "harness/runner/phase_cursor.h"

namespace mcpleak {

CallOutcome open_next_session(McpClient& client, Transport& transport, SessionClose close,
                              std::chrono::milliseconds init_timeout, std::string& close_error) {
  if (close == SessionClose::abandon) {
    transport.abandon_session();
  } else if (auto ended = transport.end_session(); !ended) {
    close_error = ended.error().describe();
  }
  return open_session(client, init_timeout);
}

CallOutcome open_session(McpClient& client, std::chrono::milliseconds init_timeout) {
  const auto started = std::chrono::steady_clock::now();
  auto hello = client.initialize(init_timeout);
  CallOutcome outcome;
  outcome.ok = hello.has_value();
  outcome.latency_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (!hello) {
    outcome.error = "initialize of a new session: " + hello.error().message;
    outcome.timed_out = hello.error().code == Errc::timeout;
    outcome.server_gone = hello.error().code == Errc::server_exited;
  }
  return outcome;
}

}  // namespace mcpleak
