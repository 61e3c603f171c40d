// The extra clients of a phase with "clients": N (Streamable HTTP): clients 1..N-1, each
// on its own thread with its own connection, session and McpClient, making the phase's
// calls at the phase's rate beside the runner's own client 0. A shared service is tested
// under the load it really sees: several clients at once, sessions interleaved.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "harness/mcp/client.h"
#include "harness/mcp/transport.h"
#include "harness/model/sample.h"
#include "harness/runner/scenario.h"

namespace mcpleak {

struct ClientCallbacks {
  // Every call, session opening included, as it ends (called from the clients' threads).
  std::function<void(int client, const std::string& tool, double sent_s, const CallOutcome& outcome,
                     CallKind kind)>
      record;
  std::function<void()> session_ended;        // a session was closed or abandoned
  std::function<double()> now_s;              // the run's clock
  std::function<bool()> cancelled;            // Ctrl-C: cut waits short
  std::function<std::unique_ptr<Transport>()> make_transport;  // a new connection
};

class ConcurrentClients {
 public:
  // Starts clients 1..phase.clients-1 at once. Each opens its session with initialize
  // (recorded as a session call) before its first call.
  ConcurrentClients(const Phase& phase, double interval_s, std::chrono::milliseconds init_timeout,
                    std::chrono::milliseconds call_timeout, ClientOptions options, ClientCallbacks callbacks);
  ~ConcurrentClients() { stop(); }
  ConcurrentClients(const ConcurrentClients&) = delete;
  ConcurrentClients& operator=(const ConcurrentClients&) = delete;

  // Asks every client to finish its call under way, end its session as the phase says,
  // and stop; joins them. Idempotent.
  void stop();
  // What went wrong on the way ("client 2: closing a session failed: ..."), first of each kind.
  std::vector<std::string> problems() const;

 private:
  void drive(int client);
  void note(std::string problem);

  const Phase& phase_;
  double interval_s_;
  std::chrono::milliseconds init_timeout_, call_timeout_;
  ClientOptions options_;
  ClientCallbacks callbacks_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
  mutable std::mutex mutex_;
  std::vector<std::string> problems_;
};

}  // namespace mcpleak
