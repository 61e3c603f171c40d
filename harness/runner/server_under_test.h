// The server a run measures, and how mcpleak reaches it: a command mcpleak starts (its
// own process group, stdio pipes, server.log) or processes it attaches to (`--attach`),
// which it samples and never signals. Over stdio the transport is the pipes; over
// Streamable HTTP it is the URL, once something accepts connections there.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/mcp/http_endpoint.h"
#include "harness/mcp/http_transport.h"
#include "harness/mcp/stdio_transport.h"
#include "harness/mcp/transport.h"
#include "harness/process/child_group.h"
#include "harness/process/log_drain.h"
#include "harness/process/orphans.h"
#include "harness/result.h"

namespace mcpleak {

struct ServerLaunch {
  std::vector<std::string> command;                 // spawned: argv (searched in PATH)
  std::vector<pid_t> attach;                        // attached: the roots; command is then empty
  std::map<std::string, std::string> env;           // set in a spawned server's environment
  std::string cwd;                                  // a spawned server's working folder; empty: ours
  std::optional<HttpEndpoint> http;                 // drive it over Streamable HTTP here
  std::vector<std::pair<std::string, std::string>> http_headers;  // sent on every HTTP request
  std::string log_path;                             // server.log (spawned only)
  std::chrono::milliseconds init_timeout{30000};    // over HTTP: for the port to accept
  std::chrono::milliseconds call_timeout{30000};
};

class ServerUnderTest {
 public:
  explicit ServerUnderTest(ServerLaunch launch) : launch_(std::move(launch)) {}
  ServerUnderTest(const ServerUnderTest&) = delete;
  ServerUnderTest& operator=(const ServerUnderTest&) = delete;
  ~ServerUnderTest() { stop(std::chrono::seconds(2)); }

  // Spawns the command, or checks the attached pids still exist. Errc::io naming the
  // program when it cannot be started; Errc::server_exited when an attached pid is gone.
  Result<void> start();
  bool attached() const { return !launch_.attach.empty(); }
  // What the sampler walks: the spawned leader, or the attached roots.
  std::vector<pid_t> roots() const;
  // Why the server is gone, once it is ("exit code 1", "attached process 42 exited");
  // empty while it runs.
  std::optional<std::string> gone();

  // The transport to drive it with: the pipes (stdio), or HTTP once the port accepts
  // connections, waiting up to init_timeout. Null without a transport: an attached server
  // without --http is only sampled. Errc::server_exited when it exited before listening,
  // Errc::timeout when nothing listened in time, Errc::io when `cancelled` said stop.
  Result<std::unique_ptr<Transport>> open_transport(const std::function<bool()>& cancelled);
  // The spawned server's stdio pipes, for a caller that moves the bytes itself (the proxy
  // of `mcpleak watch`) instead of open_transport(); it then closes stdin itself before
  // disconnect(). Empty when attached or already taken.
  std::optional<ChildPipes> take_stdio();
  // Sends `signal` to the spawned leader alone (the watchdog's SIGTERM). No-op when attached.
  void signal_leader(int signal);
  // Another HTTP connection with its own session, for concurrent clients.
  std::unique_ptr<Transport> another_http_transport() const;
  // A server that exited keeps its last words in the pipes a moment longer: read them to
  // their end before quoting server.log (bounded: its children may hold the pipes open).
  void wait_for_last_words();
  // Spawned: SIGTERM to its group, `grace`, SIGKILL, reaped. Attached: nothing.
  void stop(std::chrono::milliseconds grace);
  // Ends a spawned server as an MCP client does: stdin closed; SIGTERM to the process it
  // started if that has not exited within `grace`; SIGKILL after another. Then waits up
  // to `grace` for the rest of its tree (orphans.h), lists what survived and, unless
  // `keep`, terminates it and the group. Attached: no check, status says why.
  OrphanCheck disconnect(std::chrono::milliseconds grace, bool keep, Probe& probe, int cycle = 0);
  // How its processes are recognised once started (its group and environment mark).
  const TreeIdentity& tree() const { return tree_; }

 private:
  Result<void> wait_until_listening(const std::function<bool()>& cancelled);

  ServerLaunch launch_;
  TreeIdentity tree_;  // how its processes are found after they leave the group
  std::optional<ChildGroup> group_;
  std::optional<ExitStatus> status_;
  ChildPipes pipes_;
  // Over HTTP: the server's stdin, held open (some servers exit when it closes), and its
  // output drained to server.log.
  UniqueFd http_stdin_;
  std::unique_ptr<LogDrain> http_stdout_, http_stderr_;
  StdioTransport* stdio_ = nullptr;  // the stdio transport handed out, for its stderr drain
};

}  // namespace mcpleak
