#include "harness/runner/reconnect_run.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "harness/mcp/client.h"
#include "harness/model/serialize.h"
#include "harness/process/guardian.h"
#include "harness/process/orphans.h"
#include "harness/process/stop_signal.h"
#include "harness/runner/call_log.h"
#include "harness/runner/disconnect.h"
#include "harness/runner/platform.h"
#include "harness/runner/redact.h"
#include "harness/runner/run_dir.h"
#include "harness/runner/server_under_test.h"
#include "probes/probe.h"

namespace mcpleak {
namespace {

using Clock = std::chrono::steady_clock;

class Reconnects {
 public:
  explicit Reconnects(const RunOptions& o) : o_(o), spec_(*o.scenario.reconnect) {}

  Result<Report> execute() {
    if (auto prepared = prepare(); !prepared) return prepared.error();
    for (std::uint64_t i = 1; i <= spec_.cycles && !stop_requested(); ++i) {
      auto cycle = run_cycle(static_cast<int>(i));
      if (!cycle) return finish_with(cycle.error());
      if (stop_requested()) info_.interrupted = true;
    }
    if (stop_requested()) info_.interrupted = true;
    return finish();
  }

 private:
  std::string path(const char* file) const { return (std::filesystem::path(o_.out_dir) / file).string(); }
  double now_s() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  Result<void> prepare() {
    if (o_.http) {
      return Error(Errc::usage, "the reconnect scenario restarts a stdio server; over Streamable HTTP the "
                                "equivalent is sessions opened and dropped: --scenario sessions --var close=abandon");
    }
    if (!o_.attach_pids.empty() || !o_.attach_names.empty()) {
      return Error(Errc::usage, "the reconnect scenario starts the server for every cycle: give its command, not --attach");
    }
    if (o_.attribution) return Error(Errc::usage, "--attribute needs one long-lived server: not with the reconnect scenario");
    std::error_code ec;
    std::filesystem::create_directories(o_.out_dir, ec);
    if (ec) return Error(Errc::usage, "cannot create output folder: " + ec.message()).with(o_.out_dir);
    calls_ = std::make_unique<CallLog>(path("calls.jsonl"));
    samples_.open(path("samples.jsonl"), std::ios::trunc);
    if (!calls_->ok() || !samples_) {
      return Error(Errc::usage, std::string("cannot write: ") + std::strerror(errno)).with(o_.out_dir);
    }
    info_.scenario = o_.scenario.name;
    info_.scenario_source = o_.scenario.source;
    info_.server_command = redact_command(o_.server_command, o_.secrets);
    info_.transport = "stdio";
    info_.budget_bytes_per_min = o_.budget_bytes_per_min;
    info_.resource_budgets = o_.resource_budgets;
    info_.platform = platform_name();
    info_.metric = metric_name();
    info_.invocation = redact_command(o_.invocation, o_.secrets);
    info_.phases.push_back(PhaseInfo{"reconnect", false, 0, 0, 0, ""});
    if (auto w = write_run_info(o_.out_dir, info_); !w) return Error(Errc::usage, w.error().message);
    start_ = Clock::now();
    return {};
  }

  void record(const std::string& tool, double sent_s, const CallOutcome& c, ReconnectCycle& cycle) {
    CallRecord r;
    r.t_s = sent_s;
    r.tool = tool;
    r.latency_ms = c.latency_ms;
    r.ok = c.ok;
    r.error = c.error;
    r.response_bytes = c.response_bytes;
    r.timed_out = c.timed_out;
    r.interrupted = c.cancelled;
    calls_->append(r);
    (c.ok ? cycle.calls_ok : cycle.calls_failed) += 1;
    calls_made_ += 1;
  }

  // One cycle: start, initialize, calls, disconnect (survivors kept for counting).
  Result<void> run_cycle(int index) {
    ReconnectCycle cycle;
    cycle.cycle = index;
    cycle.start_s = now_s();
    ServerLaunch launch;
    launch.command = o_.server_command;
    launch.env = o_.server_env;
    launch.cwd = o_.server_cwd;
    launch.log_path = path("server.log");
    launch.init_timeout = o_.init_timeout;
    launch.call_timeout = o_.call_timeout;
    ServerUnderTest server(std::move(launch));
    if (auto started = server.start(); !started) {
      // The same command started in cycle 1 or never: the user's to fix.
      if (index == 1) return Error(Errc::usage, "would not start: " + started.error().describe());
      cycle.error = "would not start: " + started.error().describe();
    } else {
      trees_.push_back(server.tree());
      drive(server, cycle);
      DisconnectOptions d{std::chrono::milliseconds(static_cast<long long>(spec_.grace_s * 1000)), true, o_.secrets,
                          "cycle " + std::to_string(index), true};
      OrphanCheck check = disconnect_server(server, d, *probe_, index);
      leader_needed_sigterm_ |= check.leader_needed_sigterm;
      leader_needed_sigkill_ |= check.leader_needed_sigkill;
      for (auto& p : check.processes) {
        // Left running to add up as on a user's machine; the guardian still ends them
        // should mcpleak itself be killed.
        if (p.fate == "survived") guardian_watch_escaped(p.pid);
        orphans_.push_back(std::move(p));
      }
    }
    count_survivors(cycle);
    cycle.end_s = now_s();
    info_.reconnect_cycles.push_back(cycle);
    if (o_.progress != ProgressPrinter::Mode::quiet) {
      std::fprintf(stderr, "mcpleak: cycle %d/%llu: %llu calls ok%s; %llu process%s alive after disconnect\n", index,
                   static_cast<unsigned long long>(spec_.cycles), static_cast<unsigned long long>(cycle.calls_ok),
                   cycle.error.empty() ? "" : (" (" + cycle.error + ")").c_str(),
                   static_cast<unsigned long long>(cycle.survivors), cycle.survivors == 1 ? "" : "es");
    }
    info_.elapsed_s = now_s();
    info_.phases.back().end_s = info_.elapsed_s;
    (void)write_run_info(o_.out_dir, info_);
    return {};
  }

  void drive(ServerUnderTest& server, ReconnectCycle& cycle) {
    auto transport = server.open_transport([] { return stop_requested(); });
    if (!transport || !*transport) {
      cycle.error = "no transport: " + (transport ? std::string("none") : transport.error().message);
      return;
    }
    ClientOptions options;
    options.protocol = o_.protocol;
    McpClient client(**transport, [] { return stop_requested(); }, options);
    auto hello = client.initialize(o_.init_timeout);
    if (!hello) {
      cycle.error = "would not initialize: " + hello.error().message;
      return;
    }
    if (info_.server_name.empty()) {
      info_.server_name = hello->name + (hello->version.empty() ? "" : " " + hello->version);
      info_.protocol_version = hello->protocol_version;
      info_.protocol_era = hello->era;
    }
    for (std::uint64_t k = 0; k < spec_.calls_per_cycle && !stop_requested(); ++k) {
      const double sent_s = now_s();
      if (spec_.tool.empty()) {
        const auto t0 = Clock::now();
        auto tools = client.list_tools(o_.call_timeout);
        CallOutcome c;
        c.ok = tools.has_value();
        if (!tools) c.error = tools.error().message;
        c.latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        record("tools/list", sent_s, c, cycle);
      } else {
        record(spec_.tool, sent_s, client.call_tool(spec_.tool, spec_.args, o_.call_timeout), cycle);
      }
      if (client.closed()) {
        cycle.error = "the server closed the connection: " + client.closed_reason();
        break;
      }
    }
  }

  // Survivors of every cycle so far that are still alive, and their footprint: one sample.
  void count_survivors(ReconnectCycle& cycle) {
    Sample s;
    s.t_s = now_s();
    s.calls = calls_made_;
    for (const auto& o : orphans_) {
      if (o.fate != "survived") continue;
      if (auto p = probe_->sample(o.pid)) s.tree.pids.push_back(std::move(*p));
    }
    total_tree(s.tree);
    cycle.survivors = s.tree.processes;
    cycle.survivors_footprint_bytes = s.tree.footprint_bytes;
    samples_ << to_json_value(s).dump() << '\n' << std::flush;
  }

  Result<Report> finish() {
    OrphanCheck check;
    check.status = "done";
    check.grace_s = spec_.grace_s;
    check.leader_needed_sigterm = leader_needed_sigterm_;
    check.leader_needed_sigkill = leader_needed_sigkill_;
    check.kept = o_.keep_orphans;
    if (!o_.keep_orphans) {
      clean_up_orphans(orphans_, trees_, std::chrono::milliseconds(static_cast<long long>(spec_.grace_s * 1000)), *probe_);
    }
    check.processes = std::move(orphans_);
    info_.orphan_check = std::move(check);
    info_.elapsed_s = now_s();
    if (!info_.phases.empty()) info_.phases.back().end_s = info_.elapsed_s;
    if (auto w = write_run_info(o_.out_dir, info_); !w) return w.error();
    samples_.close();
    return analyse_and_write_reports(o_.out_dir);
  }

  Result<Report> finish_with(Error e) {
    (void)finish();
    return e;
  }

  const RunOptions& o_;
  const ReconnectSpec& spec_;
  Clock::time_point start_ = Clock::now();
  RunInfo info_;
  std::unique_ptr<Probe> probe_ = make_footprint_probe();
  std::unique_ptr<CallLog> calls_;
  std::ofstream samples_;
  std::vector<OrphanProcess> orphans_;
  std::vector<TreeIdentity> trees_;  // every cycle's server, for the final clean-up
  std::uint64_t calls_made_ = 0;
  bool leader_needed_sigterm_ = false;
  bool leader_needed_sigkill_ = false;
};

}  // namespace

Result<Report> run_reconnect(const RunOptions& options) {
  Reconnects run(options);
  return run.execute();
}

}  // namespace mcpleak
