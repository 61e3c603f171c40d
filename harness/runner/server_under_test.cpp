#include "harness/runner/server_under_test.h"

#include <signal.h>

#include <thread>

#include "harness/mcp/port_probe.h"
#include "harness/process/attach_targets.h"

namespace mcpleak {
namespace {

using Clock = std::chrono::steady_clock;

// server.log keeps this much of the server's output; the rest is drained and discarded.
constexpr std::uint64_t kServerLogCap = 256ull << 20;

}  // namespace

Result<void> ServerUnderTest::start() {
  if (attached()) {
    for (pid_t pid : launch_.attach) {
      if (!process_exists(pid)) {
        return Error(Errc::server_exited, "attached process " + std::to_string(pid) + " is gone");
      }
    }
    return {};
  }
  const std::string mark = new_tree_mark();
  auto env = launch_.env;
  env[kTreeMarkVariable] = mark;
  auto spawned = ChildGroup::spawn(launch_.command, pipes_, env, launch_.cwd);
  if (!spawned) return spawned.error();
  group_.emplace(std::move(*spawned));
  tree_ = TreeIdentity{group_->leader(), std::string(kTreeMarkVariable) + "=" + mark};
  return {};
}

std::vector<pid_t> ServerUnderTest::roots() const {
  if (attached()) return launch_.attach;
  return group_ ? std::vector<pid_t>{group_->leader()} : std::vector<pid_t>{};
}

std::optional<std::string> ServerUnderTest::gone() {
  if (attached()) {
    for (pid_t pid : launch_.attach) {
      if (!process_exists(pid)) return "attached process " + std::to_string(pid) + " exited";
    }
    return std::nullopt;
  }
  if (!group_) return status_ ? std::optional<std::string>(status_->describe()) : std::nullopt;
  if (auto status = group_->poll()) return status->describe();
  return std::nullopt;
}

Result<std::unique_ptr<Transport>> ServerUnderTest::open_transport(const std::function<bool()>& cancelled) {
  if (!launch_.http) {
    if (attached()) return std::unique_ptr<Transport>();
    StdioTransportOptions options;
    options.server_log_path = launch_.log_path;
    options.max_log_bytes = kServerLogCap;
    auto stdio = std::make_unique<StdioTransport>(std::move(pipes_), options);
    stdio_ = stdio.get();
    return std::unique_ptr<Transport>(std::move(stdio));
  }
  if (!attached()) {
    http_stdin_ = std::move(pipes_.stdin_write);
    http_stdout_ = std::make_unique<LogDrain>(std::move(pipes_.stdout_read), launch_.log_path, kServerLogCap);
    http_stderr_ = std::make_unique<LogDrain>(std::move(pipes_.stderr_read), launch_.log_path, kServerLogCap);
  }
  if (auto listening = wait_until_listening(cancelled); !listening) return listening.error();
  return another_http_transport();
}

std::optional<ChildPipes> ServerUnderTest::take_stdio() {
  if (attached() || !group_ || !pipes_.stdout_read) return std::nullopt;
  return std::move(pipes_);
}

void ServerUnderTest::signal_leader(int signal) {
  if (group_) group_->signal_leader(signal);
}

std::unique_ptr<Transport> ServerUnderTest::another_http_transport() const {
  HttpTransportOptions options;
  options.read_timeout = launch_.call_timeout + std::chrono::seconds(5);  // McpClient's timeout comes first
  options.headers = launch_.http_headers;
  return std::make_unique<HttpTransport>(*launch_.http, options);
}

// Over HTTP the server is ready when its port accepts connections; until then it may be
// compiling, importing, or failing.
Result<void> ServerUnderTest::wait_until_listening(const std::function<bool()>& cancelled) {
  const auto& http = *launch_.http;
  const auto deadline = Clock::now() + launch_.init_timeout;
  for (;;) {
    if (port_accepts(http, std::chrono::milliseconds(200))) return {};
    if (auto why = gone()) {
      return Error(Errc::server_exited, (attached() ? "" : "exited before listening on " + http.display_url() + " (") +
                                            *why + (attached() ? "" : ")"));
    }
    if (cancelled && cancelled()) return Error(Errc::io, "interrupted while waiting for the server to listen");
    if (Clock::now() >= deadline) {
      const std::string hint =
          attached() ? " (is the attached server serving Streamable HTTP there?)"
                     : " (does SERVER_CMD serve Streamable HTTP on that port? --init-timeout waits longer)";
      return Error(Errc::timeout, "nothing listened on " + http.display_url() + " within " +
                                      std::to_string(launch_.init_timeout.count() / 1000) + " s" + hint);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void ServerUnderTest::wait_for_last_words() {
  constexpr auto kLastWords = std::chrono::seconds(1);
  if (stdio_) stdio_->wait_for_stderr_eof(kLastWords);
  if (http_stdout_) http_stdout_->wait_for_eof(kLastWords);
  if (http_stderr_) http_stderr_->wait_for_eof(kLastWords);
}

void ServerUnderTest::stop(std::chrono::milliseconds grace) {
  if (!group_) return;
  status_ = group_->terminate(grace);
  group_.reset();
}

OrphanCheck ServerUnderTest::disconnect(std::chrono::milliseconds grace, bool keep, Probe& probe, int cycle) {
  OrphanCheck check;
  check.grace_s = std::chrono::duration<double>(grace).count();
  if (attached()) {
    check.status = "attached: mcpleak does not disconnect a server it did not start";
    return check;
  }
  if (!group_) {
    check.status = "the server was not started";
    return check;
  }
  // Close stdin: over stdio the transport's end, over HTTP the end held open for it.
  if (stdio_) stdio_->close_input();
  http_stdin_.reset();
  auto wait_for_leader = [&](std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    while (!group_->poll() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return group_->poll().has_value();
  };
  if (!wait_for_leader(grace)) {
    check.leader_needed_sigterm = true;
    group_->signal_leader(SIGTERM);
    if (!wait_for_leader(grace)) {
      check.leader_needed_sigkill = true;
      group_->signal_leader(SIGKILL);
      wait_for_leader(std::chrono::seconds(5));
    }
  }
  status_ = group_->poll();
  check.processes = settle_orphans(tree_, grace, probe, cycle);
  check.status = "done";
  if (keep) {
    check.kept = true;
    group_->leave_running();
  } else {
    clean_up_orphans(check.processes, std::span<const TreeIdentity>(&tree_, 1), grace, probe);
    const ExitStatus leader = group_->terminate(std::chrono::milliseconds(200));
    if (!status_) status_ = leader;
  }
  group_.reset();
  return check;
}

}  // namespace mcpleak
