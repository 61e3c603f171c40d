#include "harness/watch/watch_session.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <thread>

#include "harness/analysis/analysis.h"
#include "harness/analysis/exercise.h"
#include "harness/analysis/format.h"
#include "harness/process/self_usage.h"
#include "harness/process/stop_signal.h"
#include "harness/runner/call_log.h"
#include "harness/runner/disconnect.h"
#include "harness/runner/own_cost.h"
#include "harness/runner/platform.h"
#include "harness/runner/redact.h"
#include "harness/runner/run_dir.h"
#include "harness/runner/server_under_test.h"
#include "harness/sampler/sampler.h"
#include "harness/watch/byte_pump.h"
#include "harness/watch/evidence.h"
#include "harness/watch/session_recorder.h"
#include "harness/watch/session_tap.h"
#include "probes/probe.h"
#include "reports/units.h"

namespace mcpleak {
namespace {

using Clock = std::chrono::steady_clock;

// server.log keeps this much of the server's stderr; the rest is still forwarded.
constexpr std::uint64_t kServerLogCap = 256ull << 20;
constexpr auto kTurn = std::chrono::milliseconds(50);

// A duplicate of one of our stdio fds, owned by a pump (closing it leaves ours open).
UniqueFd duplicate(int fd) { return UniqueFd(::fcntl(fd, F_DUPFD_CLOEXEC, 3)); }

class WatchSession {
 public:
  explicit WatchSession(const WatchOptions& o) : o_(o), watchdog_(o.limits), exercise_(o.warmup_s) {}
  Result<WatchOutcome> execute();

 private:
  double now_s() const { return at_s(Clock::now()); }
  double at_s(Clock::time_point t) const { return std::chrono::duration<double>(t - start_).count(); }
  std::string path(const char* file) const { return (std::filesystem::path(o_.out_dir) / file).string(); }
  void say(const char* format, ...) __attribute__((format(printf, 2, 3)));
  Result<void> prepare();
  bool start_server();
  void start_pumps(ChildPipes pipes);
  void loop();
  void drain_tap();
  void check_watchdog();
  void act(const Crossing& crossing);
  void interim();
  RunInfo so_far() const;
  void close_client_output();
  void end_session();
  void write_recording();
  Result<WatchOutcome> finish();

  const WatchOptions& o_;
  Clock::time_point start_ = Clock::now();
  RunInfo info_;
  Watchdog watchdog_;
  analysis::ExerciseTally exercise_;
  std::unique_ptr<SessionTap> tap_;
  std::unique_ptr<CallLog> calls_;
  std::unique_ptr<Probe> probe_ = make_footprint_probe();
  std::unique_ptr<ServerUnderTest> server_;
  std::unique_ptr<Sampler> sampler_;
  std::unique_ptr<BytePump> to_server_, to_client_, server_stderr_;
  struct CloseFile {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, CloseFile> server_log_;
  std::uint64_t server_log_bytes_ = 0;
  SelfUsage usage_at_start_;
  double next_report_s_ = 0;
  int look_index_ = 0;
  double last_checked_sample_s_ = -1;
  bool client_output_closed_ = false;
  bool killed_ = false;
  std::string ended_by_;
};

void WatchSession::say(const char* format, ...) {
  if (o_.quiet) return;
  char line[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(line, sizeof line, format, args);
  va_end(args);
  const std::string text = "mcpleak watch: " + std::string(line) + "\n";
  // Our stderr is the client's log of the server: one write per line.
  (void)!::write(o_.client_err, text.data(), text.size());
}

Result<void> WatchSession::prepare() {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(o_.out_dir, ec);
  if (ec) return Error(Errc::usage, "cannot create the run folder: " + ec.message()).with(o_.out_dir);
  calls_ = std::make_unique<CallLog>(path("calls.jsonl"));
  if (!calls_->ok()) return Error(Errc::usage, std::string("cannot write: ") + std::strerror(errno)).with(path("calls.jsonl"));
  if (!o_.record_path.empty()) {
    // Checked now: a session is not to be lost to a path that could never be written.
    std::ofstream probe(o_.record_path, std::ios::app);
    if (!probe) return Error(Errc::usage, std::string("cannot write the recording: ") + std::strerror(errno)).with(o_.record_path);
  }
  server_log_.reset(std::fopen(path("server.log").c_str(), "ab"));
  tap_ = std::make_unique<SessionTap>(64u << 20, !o_.record_path.empty());
  info_.scenario = "watch";
  info_.transport = "stdio";
  info_.server_command = redact_command(o_.server_command);
  info_.budget_bytes_per_min = o_.budget_bytes_per_min;
  info_.warmup_s = o_.warmup_s;
  info_.min_duration_s = o_.min_duration_s;
  info_.early_stop = false;
  info_.platform = platform_name();
  info_.metric = metric_name();
  info_.max_failed_fraction = o_.max_failed_fraction;
  info_.invocation = o_.invocation;
  PhaseInfo session{"session", false, 0, 0, 0, ""};
  session.client_driven = true;
  info_.phases.push_back(session);
  if (auto w = write_run_info(o_.out_dir, info_); !w) return Error(Errc::usage, w.error().message);
  return {};
}

bool WatchSession::start_server() {
  ServerLaunch launch;
  launch.command = o_.server_command;
  launch.env = o_.server_env;
  launch.cwd = o_.server_cwd;
  launch.log_path = path("server.log");
  server_ = std::make_unique<ServerUnderTest>(std::move(launch));
  start_ = Clock::now();
  usage_at_start_ = read_self_usage();
  if (auto started = server_->start(); !started) {
    info_.server_failure = "would not start: " + started.error().describe();
    say("the server would not start: %s", started.error().describe().c_str());
    return false;
  }
  auto pipes = server_->take_stdio();
  SamplerOptions sampling{o_.sample_period, path("samples.jsonl")};
  sampler_ = std::make_unique<Sampler>(server_->roots(), start_, sampling, [this] {
    SampleContext ctx;
    ctx.calls = tap_->calls_done();
    return ctx;
  });
  if (auto started = sampler_->start(); !started) {
    info_.warnings.push_back("samples.jsonl: " + started.error().describe());
    sampler_.reset();
  }
  start_pumps(std::move(*pipes));
  say("server pid %d, run folder %s", static_cast<int>(server_->roots().front()), o_.out_dir.c_str());
  return true;
}

void WatchSession::start_pumps(ChildPipes pipes) {
  to_server_ = std::make_unique<BytePump>(duplicate(o_.client_in), std::move(pipes.stdin_write),
                                          [this](std::string_view bytes, Clock::time_point read_at) { tap_->client_bytes(bytes, at_s(read_at)); });
  to_client_ = std::make_unique<BytePump>(std::move(pipes.stdout_read), duplicate(o_.client_out),
                                          [this](std::string_view bytes, Clock::time_point read_at) { tap_->server_bytes(bytes, at_s(read_at)); });
  // The server's stderr is the client's to log; a copy (capped) stays in the run folder.
  server_stderr_ = std::make_unique<BytePump>(
      std::move(pipes.stderr_read), duplicate(o_.client_err),
      [this](std::string_view bytes, Clock::time_point) {
        if (!server_log_ || server_log_bytes_ >= kServerLogCap) return;
        const auto n = std::min<std::uint64_t>(bytes.size(), kServerLogCap - server_log_bytes_);
        std::fwrite(bytes.data(), 1, n, server_log_.get());
        std::fflush(server_log_.get());
        server_log_bytes_ += n;
      },
      /*keep_draining=*/true);
}

void WatchSession::drain_tap() {
  for (CallRecord& r : tap_->take_records()) {
    calls_->append(r);
    exercise_.add(r, 0);
  }
}

RunInfo WatchSession::so_far() const {
  RunInfo run = info_;
  const double t = now_s();
  run.elapsed_s = t;
  run.phases.back().end_s = t;
  run.server_name = tap_->server_name();
  run.protocol_version = tap_->protocol_version();
  return run;
}

// The session's reports so far, and the interim look that the growth limit acts on.
void WatchSession::interim() {
  const RunInfo run = so_far();
  if (auto w = write_run_info(o_.out_dir, run); !w) {
    say("cannot update run.json: %s", w.error().describe().c_str());
    return;
  }
  auto report = analyse_and_write_reports(o_.out_dir);
  if (!report) {
    say("cannot write the reports: %s", report.error().describe().c_str());
    return;
  }
  const auto latest = sampler_ ? sampler_->latest() : std::nullopt;
  say("%s in, footprint %s, %llu calls; so far: %s", reports::format_duration(run.elapsed_s).c_str(),
      latest ? analysis::format_bytes(static_cast<double>(latest->tree.footprint_bytes)).c_str() : "-",
      static_cast<unsigned long long>(report->calls.ok + report->calls.failed), report->reason.c_str());
  if (!latest || !watchdog_.limits().max_growth_bytes_per_min) return;
  const auto samples = sampler_->light_samples();
  const Look look = sequential_look(samples, run, ++look_index_,
                                    exercise_.summarize(run.phases, run.elapsed_s, analysis::exercise_rule(run)));
  if (auto crossing = watchdog_.on_look(look, *latest)) act(*crossing);
}

void WatchSession::check_watchdog() {
  if (!sampler_) return;
  const auto latest = sampler_->latest();
  if (!latest || latest->t_s == last_checked_sample_s_) return;
  last_checked_sample_s_ = latest->t_s;
  if (auto crossing = watchdog_.on_sample(*latest)) act(*crossing);
}

// Evidence first, while the server still runs; then the action.
void WatchSession::act(const Crossing& crossing) {
  WatchdogEvent event;
  event.trigger = crossing.trigger;
  event.detail = crossing.detail;
  event.sample_t_s = crossing.sample_t_s;
  event.footprint_bytes = crossing.footprint_bytes;
  event.action = watch_action_name(watchdog_.limits().action);
  Sample now;
  now.t_s = now_s();
  now.calls = tap_->calls_done();
  if (auto tree = sample_tree(*probe_, server_->roots().front())) {
    now.tree = std::move(*tree);
  } else {
    event.evidence_notes.push_back("the tree could not be sampled for the evidence: " + tree.error().describe());
  }
  const Evidence evidence = capture_evidence(o_.out_dir, static_cast<int>(info_.watchdog.size()) + 1, now);
  event.evidence_dir = evidence.dir;
  event.evidence_files = evidence.files;
  for (const auto& note : evidence.notes) event.evidence_notes.push_back(note);
  if (watchdog_.limits().action == WatchAction::kill) {
    server_->signal_leader(SIGTERM);
    killed_ = true;
  }
  event.acted_at_s = now_s();
  say("%s at %.1f s; %s; evidence in %s/%s", crossing.detail.c_str(), crossing.sample_t_s,
      killed_ ? "server sent SIGTERM" : "warned only (--action warn)", o_.out_dir.c_str(), evidence.dir.c_str());
  info_.warnings.push_back("watchdog (" + event.action + "): " + crossing.detail + " at " +
                           std::to_string(static_cast<int>(crossing.sample_t_s)) + " s; evidence in " + evidence.dir);
  info_.watchdog.push_back(std::move(event));
}

// The client sees EOF once the server's output is over: the pump closed its copy, and
// ours is replaced by /dev/null (the fd number stays taken).
void WatchSession::close_client_output() {
  if (client_output_closed_) return;
  client_output_closed_ = true;
  const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null >= 0) {
    ::dup2(null, o_.client_out);
    ::close(null);
  }
}

void WatchSession::loop() {
  next_report_s_ = o_.report_every_s;
  for (;;) {
    drain_tap();
    check_watchdog();
    if (now_s() >= next_report_s_) {
      next_report_s_ = now_s() + o_.report_every_s;
      interim();
    }
    if (to_client_->finished()) close_client_output();
    if (stop_requested()) {
      info_.interrupted = true;
      ended_by_ = "signal " + std::to_string(stop_signal_number());
      return;
    }
    if (killed_) {
      ended_by_ = "the watchdog killed the server";
      return;
    }
    if (to_server_->finished()) {
      ended_by_ = to_server_->end() == PumpEnd::source_closed ? "the client closed stdin"
                                                               : "the server's stdin closed (" + to_server_->end_detail() + ")";
      return;
    }
    if (to_client_->end() == PumpEnd::destination_closed) {
      ended_by_ = "the client stopped reading (" + to_client_->end_detail() + ")";
      return;
    }
    auto why = server_->gone();
    if (!why && to_client_->finished()) {
      // A server that exits closes its stdout a moment before it can be reaped: give it a
      // second, so that the report says how it ended.
      for (int i = 0; i < 20 && !why; ++i) {
        std::this_thread::sleep_for(kTurn);
        why = server_->gone();
      }
    }
    if (why || to_client_->finished()) {
      ended_by_ = why ? "the server exited (" + *why + ")" : "the server closed its stdout";
      // An exit nobody asked for while the client was still there is a failure of the server.
      if (why && *why != "exit code 0") info_.server_failure = "server exited during the session (" + *why + ")";
      if (!why) info_.warnings.push_back("the server closed its stdout but kept running");
      return;
    }
    std::this_thread::sleep_for(kTurn);
  }
}

void WatchSession::end_session() {
  // The server's stdin closes as a client's would, then the server is disconnected as
  // `run` disconnects one (grace, SIGTERM, SIGKILL, its orphans cleaned up).
  to_server_->stop();
  to_server_->wait_finished(std::chrono::seconds(1));
  // Let the server's last words reach the client before its output closes.
  to_client_->wait_finished(o_.disconnect_grace);
  info_.orphan_check = disconnect_server(*server_, {o_.disconnect_grace, false, {}, "watch"}, *probe_);
  to_client_->wait_finished(std::chrono::seconds(1));
  to_client_->stop();
  to_client_->wait_finished(std::chrono::seconds(1));
  close_client_output();
  server_stderr_->wait_finished(std::chrono::seconds(1));
  server_stderr_.reset();  // joined: nothing writes to server.log any more
  tap_->end_session(now_s());
  drain_tap();
}

void WatchSession::write_recording() {
  if (o_.record_path.empty()) return;
  RecordingInfo rec;
  rec.name = "recorded-" + std::filesystem::path(o_.out_dir).filename().string();
  const std::string name = tap_->server_name();
  rec.server = name.empty() ? info_.server_command.empty() ? "a server" : info_.server_command.front() : name;
  rec.recorded_at = local_time_text("%Y-%m-%dT%H:%M:%S%z");
  rec.client = tap_->client_identity();
  rec.redact = o_.redact;
  const auto doc = recorded_scenario(tap_->tool_calls(), rec);
  // Written beside, then renamed: a replay never reads half a file.
  const std::string tmp = o_.record_path + ".tmp";
  if (std::ofstream out(tmp); !(out << doc.dump(2) << "\n")) {
    info_.warnings.push_back("--record: cannot write " + tmp);
    return;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, o_.record_path, ec);
  if (ec) info_.warnings.push_back("--record: cannot write " + o_.record_path + ": " + ec.message());
}

Result<WatchOutcome> WatchSession::finish() {
  if (sampler_) {
    sampler_->stop();
    for (pid_t p : sampler_->pids_seen()) info_.server_pids.push_back(p);
    if (auto e = sampler_->write_error()) info_.warnings.push_back("samples.jsonl: " + e->describe());
    info_.own_cost = own_cost(usage_at_start_, start_, sampler_->cost());
  }
  const TapCounters c = tap_->counters();
  info_.non_json_lines = c.server_non_json_lines;
  if (c.server_non_json_lines > 0) {
    info_.warnings.push_back(std::to_string(c.server_non_json_lines) +
                             " non-JSON lines on the server's stdout were passed to the client (first: '" +
                             c.first_server_junk + "'); MCP servers must log to stderr");
  }
  if (c.oversized_lines > 0) {
    info_.warnings.push_back(std::to_string(c.oversized_lines) + " messages over 64 MiB were passed on but not read");
  }
  if (!ended_by_.empty()) info_.warnings.push_back("session ended: " + ended_by_);
  write_recording();
  RunInfo run = so_far();
  if (auto w = write_run_info(o_.out_dir, run); !w) return w.error();
  auto report = analyse_and_write_reports(o_.out_dir);
  if (!report) return report.error();
  say("session over (%s): %s; reports in %s", ended_by_.c_str(), report->reason.c_str(), o_.out_dir.c_str());
  if (!o_.record_path.empty()) say("recorded %zu tool calls to %s", tap_->tool_calls().size(), o_.record_path.c_str());
  return WatchOutcome{std::move(*report), killed_, ended_by_};
}

Result<WatchOutcome> WatchSession::execute() {
  if (auto prepared = prepare(); !prepared) return prepared.error();
  if (!start_server()) {
    close_client_output();
    ended_by_ = "the server would not start";
    return finish();
  }
  loop();
  end_session();
  server_log_.reset();
  return finish();
}

}  // namespace

Result<WatchOutcome> watch_session(const WatchOptions& options) {
  WatchSession session(options);
  return session.execute();
}

}  // namespace mcpleak
