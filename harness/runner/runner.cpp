#include "harness/runner/runner.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "harness/analysis/analysis.h"
#include "harness/analysis/exercise.h"
#include "harness/analysis/format.h"
#include "harness/attribution/start_checkpoints.h"
#include "harness/attribution/hook_folder.h"
#include "harness/mcp/client.h"
#include "harness/mcp/port_probe.h"
#include "harness/process/attach_targets.h"
#include "harness/process/stop_signal.h"
#include "harness/runner/call_log.h"
#include "harness/runner/concurrent_clients.h"
#include "harness/runner/diagnostics_counters.h"
#include "harness/runner/disconnect.h"
#include "harness/runner/redact.h"
#include "harness/runner/region_sampler.h"
#include "harness/sampler/class_sampler.h"
#include "harness/runner/own_cost.h"
#include "harness/runner/phase_cursor.h"
#include "harness/runner/platform.h"
#include "harness/runner/reconnect_run.h"
#include "harness/runner/recorded_client.h"
#include "harness/runner/run_dir.h"
#include "harness/runner/server_under_test.h"
#include "harness/sampler/sampler.h"
#include "probes/macos_tools.h"
#include "probes/probe.h"
#include "probes/sample_parse.h"

namespace mcpleak {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::duration;

// The first line of server.log, to quote when the server fails early.
std::string first_log_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) return line.size() > 200 ? line.substr(0, 200) + "..." : line;
  }
  return {};
}

// Everything one run shares between the driving loop and the sampler's context callback.
class Run {
 public:
  explicit Run(const RunOptions& o) : o_(o), progress_(o.progress, o.label), exercise_(o.warmup_s) {}

  Result<Report> execute();

 private:
  enum class Stop { none, interrupted, server_failed, decided, duration };

  std::string path(const char* file) const { return (std::filesystem::path(o_.out_dir) / file).string(); }
  double now_s() const { return duration<double>(Clock::now() - start_).count(); }
  SampleContext context() {
    SampleContext ctx;
    {
      std::lock_guard lock(mutex_);
      ctx = ctx_;
    }
    if (regions_) ctx.regions = regions_->latest_regions();
    if (classes_) ctx.classes = classes_->take_new_round();
    return ctx;
  }
  Stop check(McpClient& client);
  void fail_start(std::string why, bool server_exited);
  void next_session(McpClient& client, Transport& transport, SessionClose close);
  void session_ended();
  std::unique_ptr<ConcurrentClients> start_other_clients(const Phase& phase, double interval_s);
  void maybe_diagnostics(McpClient& client);
  void maybe_look();
  void report_progress();
  void capture_stacks();
  void record_call(const std::string& tool, double sent_s, const CallOutcome& c, CallKind kind, int client = 0);
  Exercise exercise_so_far(double now_s) const;
  bool hung_after_timeout(McpClient& client, const std::string& tool, double sent_s);
  Stop run_phase(std::size_t index, std::optional<double> planned_s, McpClient& client, Transport& transport);
  void fail(std::string why) {
    if (!info_.server_failure) info_.server_failure = std::move(why);
  }
  Result<void> prepare();
  void watch_only();
  Result<Report> drive(Transport& transport);
  Result<Report> finish();

  const RunOptions& o_;
  ProgressPrinter progress_;
  Clock::time_point start_ = Clock::now();
  RunInfo info_;
  std::mutex mutex_;
  SampleContext ctx_;
  std::unique_ptr<Probe> probe_ = make_footprint_probe();
  std::unique_ptr<Sampler> sampler_;
  SelfUsage usage_at_start_;
  std::unique_ptr<RegionSampler> regions_;
  std::unique_ptr<ClassSampler> classes_;
  std::unique_ptr<CallLog> calls_;
  // Written by every client of a phase (record_call); read by the runner's thread.
  mutable std::mutex record_mutex_;
  std::atomic<std::uint64_t> ok_{0}, failed_{0};
  std::atomic<int> consecutive_timeouts_{0};
  double phase_start_s_ = 0;  // of the phase under way, set before its clients start
  analysis::ExerciseTally exercise_;  // the scenario's calls, fed as they end
  double next_diag_s_ = 0;
  double next_look_s_ = 0;
  int look_index_ = 0;
  std::string look_text_;
  std::string phase_name_;
  bool decided_ = false;
  std::optional<Verdict> last_look_;
  std::set<std::string> offered_tools_;
  bool session_warning_ = false;
  // An attribution run's hooks (declared before the group they outlive in execute()).
  std::optional<HookFolder> hooks_;
  std::unique_ptr<CheckpointTaker> checkpointer_;
  // The server (declared after the hooks it must not outlive); execute() creates it.
  std::unique_ptr<ServerUnderTest> server_;
  std::vector<pid_t> attached_;  // --attach/--attach-name, resolved once in prepare()
  std::string negotiated_;       // the protocol version the first client agreed on
};

// Called by the runner's own client (0) and by a phase's concurrent clients, from their
// threads.
void Run::record_call(const std::string& tool, double sent_s, const CallOutcome& c, CallKind kind, int client) {
  CallRecord rec;
  rec.client = client;
  rec.t_s = sent_s;
  rec.tool = tool;
  rec.latency_ms = c.latency_ms;
  rec.ok = c.ok;
  rec.error = c.error;
  rec.response_bytes = c.response_bytes;
  rec.timed_out = c.timed_out;
  rec.interrupted = c.cancelled;
  rec.kind = kind;
  // A session that opens counts as a call of the exercise; as a call of the scenario's
  // own counters only when it failed (its calls cannot succeed).
  const bool counted = kind == CallKind::scenario || (kind == CallKind::session && !c.ok);
  {
    std::lock_guard lock(mutex_);
    rec.phase = ctx_.phase;
    if (counted) ++ctx_.calls;
  }
  std::lock_guard lock(record_mutex_);
  calls_->append(rec);
  exercise_.add(rec, phase_start_s_);
  if (!counted) return;
  (c.ok ? ok_ : failed_)++;
  // Hangs are judged on the runner's own client, whose calls are sequential.
  if (client == 0) consecutive_timeouts_ = c.timed_out ? consecutive_timeouts_ + 1 : 0;
}

// The exercise of the window so far, the phase under way ending now.
Exercise Run::exercise_so_far(double now_s) const {
  std::vector<PhaseInfo> phases = info_.phases;
  if (!phases.empty()) phases.back().end_s = now_s;
  std::lock_guard lock(record_mutex_);
  return exercise_.summarize(phases, now_s, analysis::exercise_rule(info_));
}

// A call went unanswered for the whole call timeout: is the server still there? Any
// answer to a ping, an error included, says it is, and the run goes on (a tool that
// hangs is a failed call). No answer: the server is hung, and waiting out more call
// timeouts would only delay the verdict.
bool Run::hung_after_timeout(McpClient& client, const std::string& tool, double sent_s) {
  if (client.closed() || stop_requested()) return false;  // check() reports these
  if (auto pong = client.ping(o_.ping_timeout); pong || pong.error().code != Errc::timeout) return false;
  if (stop_requested()) return false;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "server hung: tools/call %s sent at %.1f s got no answer within %.0f s, and a ping got "
                "none within %.0f s",
                tool.c_str(), sent_s, o_.call_timeout.count() / 1000.0, o_.ping_timeout.count() / 1000.0);
  fail(buf);
  return true;
}

Run::Stop Run::check(McpClient& client) {
  if (stop_requested()) {
    info_.interrupted = true;
    info_.warnings.push_back(std::string("interrupted by signal ") + std::to_string(stop_signal_number()) +
                             "; verdict from the samples taken so far");
    return Stop::interrupted;
  }
  if (auto why = server_->gone()) {
    fail("server exited during the run (" + *why + ")");
    return Stop::server_failed;
  }
  if (client.closed()) {
    // A dying process closes its stdout a moment before it can be reaped: give it a
    // second so the report says how it died rather than only that the pipe closed.
    for (int i = 0; i < 100; ++i) {
      if (auto why = server_->gone()) {
        fail("server exited during the run (" + *why + ")");
        return Stop::server_failed;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    fail(std::string(o_.http ? "the server stopped answering HTTP" : "server closed its stdout") +
         " during the run but kept running: " + client.closed_reason());
    return Stop::server_failed;
  }
  if (sampler_->root_gone()) {
    fail(server_->attached() ? "attached process " + std::to_string(sampler_->gone_root()) + " exited during the run"
                             : std::string("server process disappeared during the run"));
    return Stop::server_failed;
  }
  if (consecutive_timeouts_ >= o_.hung_after_timeouts) {
    fail("server hung: " + std::to_string(consecutive_timeouts_.load()) + " calls in a row got no answer within " +
         std::to_string(o_.call_timeout.count() / 1000) + " s");
    return Stop::server_failed;
  }
  return Stop::none;
}

// The server did not get going: say why, quoting its first words, unless Ctrl-C did it.
// A server that exited has its last words in the pipes a moment longer: read them to
// their end first (bounded, as its children may hold the pipes open).
void Run::fail_start(std::string why, bool server_exited) {
  if (stop_requested()) {
    info_.interrupted = true;
    return;
  }
  if (server_exited) server_->wait_for_last_words();
  if (auto line = first_log_line(path("server.log")); !line.empty()) why += "; server.log: " + line;
  fail(std::move(why));
}

// Ends the session (DELETE, or abandoned) and opens the next one (initialize), as a client
// that connects, does a little and leaves would. The ended session is what `sessions`
// counts: a server that keeps it leaks per session.
void Run::next_session(McpClient& client, Transport& transport, SessionClose close) {
  const double sent = now_s();
  std::string close_error;
  const CallOutcome outcome = open_next_session(client, transport, close, o_.init_timeout, close_error);
  session_ended();
  if (!close_error.empty() && !session_warning_) {
    session_warning_ = true;
    info_.warnings.push_back("closing a session failed: " + close_error);
  }
  // A session that cannot be opened counts as a failed call: its calls cannot succeed.
  record_call("initialize", sent, outcome, CallKind::session);
}

void Run::session_ended() {
  std::lock_guard lock(mutex_);
  ++ctx_.sessions;
}

void Run::maybe_diagnostics(McpClient& client) {
  const auto& spec = o_.scenario.diagnostics;
  if (!spec || !offered_tools_.contains(spec->tool) || now_s() < next_diag_s_) return;
  next_diag_s_ = now_s() + spec->every_s;
  const double sent = now_s();
  CallOutcome c = client.call_tool(spec->tool, nlohmann::json::object(), o_.call_timeout);
  record_call(spec->tool, sent, c, CallKind::diagnostics);
  if (c.ok) {
    auto counters = parse_diagnostics_counters(c.result);
    std::lock_guard lock(mutex_);
    ctx_.diagnostics = std::move(counters);
  }
}

void Run::maybe_look() {
  const double t = now_s();
  const double first = o_.warmup_s + o_.min_duration_s;
  if (t < first || t < next_look_s_) return;
  // Look only once the samples themselves cover the minimum duration: the clock may be
  // past it while the latest sample is a tick short, and a look that cannot decide
  // still spends its share of alpha.
  const auto latest = sampler_->latest();
  if (!latest || latest->t_s < first) return;
  // Looks thin out as the run grows (every 5 s at first, then every quarter of the
  // elapsed time): each look spends alpha, and fewer later looks keep their level
  // reachable while the number of blocks grows with the window.
  next_look_s_ = std::max(t, first) + std::max(o_.look_every_s, 0.25 * t);
  const auto samples = sampler_->light_samples();
  info_.elapsed_s = t;
  // The phase under way ends "now" as far as this look is concerned.
  RunInfo so_far = info_;
  if (!so_far.phases.empty()) so_far.phases.back().end_s = t;
  const Look look = sequential_look(samples, so_far, ++look_index_, exercise_so_far(t));
  char buf[160];
  std::snprintf(buf, sizeof buf, "slope %s (CI %s)", analysis::format_rate(look.bytes_per_min).c_str(),
                analysis::format_interval(look.ci_bytes_per_min.lo, look.ci_bytes_per_min.hi).c_str());
  look_text_ = buf;
  last_look_ = look.decided;
  if (look.decided && o_.early_stop && !decided_) {
    decided_ = true;
    info_.stopped_early_at_s = t;
    info_.stopped_early_verdict = *look.decided;
    info_.stopped_early_reason = look.reason;
    look_text_ += std::string(" -> ") + verdict_name(*look.decided);
  }
}

void Run::report_progress() {
  // Called every loop turn; the line is printed every 0.5 s (terminal) or 10 s (CI).
  if (!progress_.due()) return;
  ProgressState s;
  s.elapsed_s = now_s();
  s.planned_s = o_.duration_s;
  s.calls_ok = ok_;
  s.calls_failed = failed_;
  s.phase = phase_name_;
  s.look = look_text_;
  // The earliest a verdict can come: the next interim look (the first needs
  // warm-up + min-duration of samples).
  if (!decided_ && o_.early_stop) {
    const double next = std::max(next_look_s_, o_.warmup_s + o_.min_duration_s);
    if (next < o_.duration_s) {
      s.look += (s.look.empty() ? "" : ", ") + std::string("verdict possible at ") +
                std::to_string(static_cast<int>(next)) + "s";
    }
  }
  if (auto latest = sampler_->latest()) s.footprint_bytes = latest->tree.footprint_bytes;
  if (s.elapsed_s > o_.warmup_s) {
    const Exercise e = exercise_so_far(s.elapsed_s);
    if (!e.exercised) s.not_exercised = e.reason;
  }
  progress_.update(s);
}

Run::Stop Run::run_phase(std::size_t index, std::optional<double> planned_s, McpClient& client,
                         Transport& transport) {
  const Phase& phase = o_.scenario.phases[index];
  const double phase_start = now_s();
  {
    std::lock_guard lock(mutex_);
    ctx_.phase = static_cast<int>(index);
  }
  phase_name_ = phase.name;
  double rate = o_.rate_override.value_or(phase.rate_per_s.value_or(o_.scenario.rate_per_s.value_or(kDefaultRatePerS)));
  const bool recorded_pace = phase.recorded_pace && !o_.rate_override;
  const double interval_s = recorded_pace ? longest_recorded_wait_s(phase) : rate > 0 ? 1.0 / rate : 0;
  info_.phases.push_back({phase.name, phase.idle, phase_start, phase_start, phase.idle ? 0 : interval_s,
                          phase.calls_per_session.empty() ? "" : session_close_name(phase.close)});
  {
    std::lock_guard lock(record_mutex_);
    phase_start_s_ = phase_start;
  }
  PhaseCursor cursor(phase, interval_s, phase_start, recorded_pace);
  std::uint64_t calls_in_phase = 0;
  Stop stop = Stop::none;
  // After an early decision the trailing idle phase still runs, briefly, to measure
  // what the server retains; call phases end at once.
  auto phase_over = [&] {
    const double elapsed = now_s() - phase_start;
    if (checkpointer_ && checkpointer_->done()) return true;
    if (decided_ && !phase.idle) return true;
    if (decided_ && phase.idle && elapsed >= o_.idle_tail_after_stop_s) return true;
    if (now_s() >= o_.duration_s && !phase.idle) return true;
    if (phase.calls) return calls_in_phase >= *phase.calls;
    return planned_s && elapsed >= *planned_s;
  };
  std::unique_ptr<ConcurrentClients> others;
  if (phase.clients > 1) others = start_other_clients(phase, interval_s);
  while (!phase_over()) {
    if ((stop = check(client)) != Stop::none) break;
    maybe_diagnostics(client);
    maybe_look();
    report_progress();
    if (checkpointer_) checkpointer_->tick(ok_ + failed_, now_s());
    if (phase.idle || now_s() < cursor.next_call_s()) {
      const double wait_s = phase.idle ? 0.1 : std::min(0.1, cursor.next_call_s() - now_s());
      std::this_thread::sleep_for(duration<double>(std::max(0.0, wait_s)));
      continue;
    }
    if (cursor.session_due()) {
      next_session(client, transport, phase.close);
      cursor.session_opened();
      continue;  // the checks above run again before the next call
    }
    const Step& s = cursor.take_step();
    const double sent = now_s();
    CallOutcome c = client.call_tool(s.tool, s.args, o_.call_timeout);
    record_call(s.tool, sent, c, CallKind::scenario);
    if (checkpointer_) checkpointer_->after_call(ok_ + failed_, now_s(), now_s() >= o_.warmup_s);
    if (c.timed_out && hung_after_timeout(client, s.tool, sent)) {
      stop = Stop::server_failed;
      break;
    }
    ++calls_in_phase;
    cursor.call_done(now_s());
  }
  if (others) {
    others->stop();
    for (auto& problem : others->problems()) info_.warnings.push_back(problem);
  }
  info_.phases.back().end_s = now_s();
  return stop;
}

// Clients 1..N-1 of a phase with "clients": N, each with its own connection and sessions.
std::unique_ptr<ConcurrentClients> Run::start_other_clients(const Phase& phase, double interval_s) {
  ClientCallbacks callbacks;
  callbacks.record = [this](int client, const std::string& tool, double sent_s, const CallOutcome& c, CallKind kind) {
    record_call(tool, sent_s, c, kind, client);
  };
  callbacks.session_ended = [this] { session_ended(); };
  callbacks.now_s = [this] { return now_s(); };
  callbacks.cancelled = [] { return stop_requested(); };
  callbacks.make_transport = [this] { return server_->another_http_transport(); };
  // Every client speaks what the first one agreed on.
  ClientOptions options;
  options.protocol.pinned = negotiated_;
  return std::make_unique<ConcurrentClients>(phase, interval_s, o_.init_timeout, o_.call_timeout, options,
                                             std::move(callbacks));
}

// `sample PID 3` of the largest process while the server still runs, when the evidence
// says leaking: stacks.txt beside the report, its heaviest frames in the warnings.
void Run::capture_stacks() {
  if (last_look_ != Verdict::leaking) {
    info_.warnings.push_back("--capture-stacks: no look said leaking; no stacks taken");
    return;
  }
  const auto target = sampler_ ? sampler_->latest_largest_pid() : std::nullopt;
  if (!target) return;
  auto text = run_sample(target->first, 3);
  if (!text) {
    info_.warnings.push_back("--capture-stacks: " + text.error().describe());
    return;
  }
  std::ofstream(path("stacks.txt")) << *text;
  if (auto frames = parse_sample_top_frames(*text, 3); frames && !frames->empty()) {
    std::string top;
    for (const auto& f : *frames) {
      top += (top.empty() ? "" : ", ") + f.symbol + (f.library.empty() ? "" : " (" + f.library + ")") +
             " x" + std::to_string(f.samples);
    }
    info_.warnings.push_back("stacks.txt (sample of pid " + std::to_string(target->first) +
                             "), heaviest frames: " + top);
  }
}

Result<Report> Run::finish() {
  if (o_.capture_stacks && server_ && !server_->gone()) capture_stacks();
  if (checkpointer_) {
    for (const auto& note : checkpointer_->notes()) info_.warnings.push_back("attribution: " + note);
  }
  if (classes_) {
    classes_->stop();  // before the sampler: its last round goes into the last sample
    for (auto& note : classes_->notes()) info_.warnings.push_back(note);
  }
  if (regions_) {
    regions_->stop();
    for (auto& note : regions_->notes()) info_.warnings.push_back(note);
  }
  if (sampler_) {
    sampler_->stop();
    for (pid_t p : sampler_->pids_seen()) info_.server_pids.push_back(p);
    if (auto e = sampler_->write_error()) info_.warnings.push_back("samples.jsonl: " + e->describe());
    if (sampler_->missed_ticks() > 0) {
      info_.warnings.push_back("sampler missed " + std::to_string(sampler_->missed_ticks()) +
                               " ticks (machine busy); analysis uses real timestamps");
    }
    info_.own_cost = own_cost(usage_at_start_, start_, sampler_->cost());
  }
  if (server_) {
    info_.orphan_check = disconnect_server(*server_, {o_.orphan_grace, o_.keep_orphans, o_.secrets, o_.label}, *probe_);
  }
  info_.elapsed_s = now_s();
  progress_.finish();
  if (auto w = write_run_info(o_.out_dir, info_); !w) return w.error();
  return analyse_and_write_reports(o_.out_dir);
}

// Checks what can be checked before anything starts, creates the run folder and writes
// a first run.json, so that even a run killed at once leaves a readable folder.
Result<void> Run::prepare() {
  if (o_.scenario.uses_sessions() && !o_.http) {
    return Error(Errc::usage, "scenario " + o_.scenario.name +
                                  " opens and closes sessions (calls_per_session): sessions exist only over "
                                  "Streamable HTTP; run it with --http URL");
  }
  if (o_.scenario.max_clients() > 1 && !o_.http) {
    return Error(Errc::usage, "scenario " + o_.scenario.name +
                                  " runs concurrent clients: over stdio a server has one client; run it with --http URL");
  }
  const bool attach = !o_.attach_pids.empty() || !o_.attach_names.empty();
  if (attach) {
    auto roots = resolve_attach_targets(o_.attach_pids, o_.attach_names);
    if (!roots) return roots.error();
    attached_ = std::move(*roots);
    // A process mcpleak cannot read (another user's) would otherwise look like one that
    // exited at the first tick.
    for (pid_t pid : attached_) {
      if (auto readable = sample_tree(*probe_, pid); !readable) {
        return Error(Errc::usage, "--attach " + std::to_string(pid) + ": cannot read its memory (" +
                                      readable.error().describe() +
                                      "); a process of another user needs mcpleak run as that user");
      }
    }
    const std::string what = redact_command({describe_processes(attached_)}, o_.secrets).front();
    std::fprintf(stderr, "mcpleak: attached to %s\n", what.c_str());
    if (attached_.size() > 1) info_.warnings.push_back("attached to " + std::to_string(attached_.size()) +
                                                       " process trees, summed: " + what);
  } else if (o_.http && port_accepts(*o_.http, std::chrono::milliseconds(500))) {
    // Checked before the server starts: otherwise we would measure the wrong server.
    return Error(Errc::usage, "something already listens on " + o_.http->origin() +
                                  " before the server was started: stop it, pick a free port for both "
                                  "--http and the server, or --attach to the server that listens there");
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(o_.out_dir, ec);
  if (ec) return Error(Errc::usage, "cannot create output folder: " + ec.message()).with(o_.out_dir);
  calls_ = std::make_unique<CallLog>(path("calls.jsonl"));
  if (!calls_->ok()) {
    return Error(Errc::usage, std::string("cannot write: ") + std::strerror(errno)).with(path("calls.jsonl"));
  }
  info_.scenario = o_.scenario.name;
  info_.scenario_source = o_.scenario.source;
  if (o_.http) {
    info_.transport = "streamable-http";
    info_.server_url = redact_command({o_.http->url()}, o_.secrets).front();
  }
  info_.server_command = redact_command(o_.server_command, o_.secrets);
  for (const auto& header : o_.http_headers) info_.http_header_names.push_back(header.first);
  info_.attached = attach;
  if (attach && !o_.http) {
    info_.transport = "none";
    info_.scenario = "watch";  // only sampled: whatever drives the server is not mcpleak
  }
  info_.budget_bytes_per_min = o_.budget_bytes_per_min;
  info_.resource_budgets = o_.resource_budgets;
  info_.bounded_classes = o_.bounded_classes;
#ifdef __APPLE__
  for (const auto& pattern : o_.scenario.bounded_classes) {
    if (std::find(info_.bounded_classes.begin(), info_.bounded_classes.end(), pattern) == info_.bounded_classes.end()) {
      info_.bounded_classes.push_back(pattern);
    }
  }
#else
  // A scenario written for macOS servers runs here too: its class bounds cannot be.
  if (!o_.scenario.bounded_classes.empty()) {
    info_.warnings.push_back("the scenario's bounded_classes are not judged: heap(1) object counts are macOS-only");
  }
#endif
  info_.warmup_s = o_.warmup_s;
  info_.min_duration_s = o_.min_duration_s;
  info_.early_stop = o_.early_stop;
  info_.platform = platform_name();
  info_.metric = metric_name();
  info_.max_failed_fraction = o_.max_failed_fraction;
  info_.max_call_gap_s = o_.max_call_gap_s;
  info_.invocation = redact_command(o_.invocation, o_.secrets);
  if (o_.attribution) {
    if (attach) return Error(Errc::usage, "--attribute instruments a server mcpleak starts; it cannot reach an attached one");
    auto folder = HookFolder::create(o_.attribution->mode);
    if (!folder) return folder.error();
    hooks_.emplace(std::move(*folder));
    auto taker = start_checkpoint_taker(*hooks_, *o_.attribution, o_.out_dir, [] { return stop_requested(); });
    if (!taker) return taker.error();
    checkpointer_ = std::move(*taker);
    info_.instrumented = attribute_mode_name(o_.attribution->mode);
    info_.attribute_every_calls = o_.attribution->every_calls;
    info_.attribute_checkpoints = o_.attribution->checkpoints;
  }
  if (auto w = write_run_info(o_.out_dir, info_); !w) {
    return Error(w.error().code == Errc::io ? Errc::usage : w.error().code, w.error().message);
  }
  return {};
}

Result<Report> Run::execute() {
  if (auto prepared = prepare(); !prepared) return prepared.error();
  ServerLaunch launch;
  launch.command = o_.server_command;
  launch.attach = attached_;
  launch.env = o_.server_env;
  launch.cwd = o_.server_cwd;
  if (checkpointer_) {
    for (const auto& [k, v] : checkpointer_->environment()) launch.env[k] = v;
  }
  launch.http = o_.http;
  launch.http_headers = o_.http_headers;
  launch.log_path = path("server.log");
  launch.init_timeout = o_.init_timeout;
  launch.call_timeout = o_.call_timeout;
  server_ = std::make_unique<ServerUnderTest>(std::move(launch));
  start_ = Clock::now();
  usage_at_start_ = read_self_usage();
  if (auto started = server_->start(); !started) {
    fail("would not start: " + started.error().describe());
    return finish();
  }
  if (checkpointer_ && !server_->roots().empty()) checkpointer_->server_started(server_->roots().front());
  SamplerOptions sampling{o_.sample_period, path("samples.jsonl")};
  sampling.owns_tree = !server_->attached();
  sampler_ = std::make_unique<Sampler>(server_->roots(), start_, sampling, [this] { return context(); });
  if (auto started = sampler_->start(); !started) return Error(Errc::usage, started.error().describe());
  if (RegionSampler::available()) {
    // vmmap/footprint read the tree's largest process: the real server is often a child
    // (uv -> python), not the leader.
    regions_ = std::make_unique<RegionSampler>(
        [this]() -> std::pair<pid_t, std::uint64_t> {
          auto latest = sampler_->latest_largest_pid();
          return latest.value_or(std::pair<pid_t, std::uint64_t>{0, 0});
        },
        std::chrono::seconds(30));
    regions_->start();
  }
  if (ClassSampler::available()) {
    // heap(1) on every process: the bounded classes may live in a child (uv -> python).
    classes_ = std::make_unique<ClassSampler>([this] { return sampler_->latest_pids(); }, info_.bounded_classes,
                                              std::chrono::seconds(30));
    classes_->start();
  }
  auto transport = server_->open_transport([] { return stop_requested(); });
  if (!transport) {
    fail_start("would not listen: " + transport.error().message, transport.error().code == Errc::server_exited);
    return finish();
  }
  if (!*transport) {
    watch_only();
    return finish();
  }
  return drive(**transport);
}

// An attached server without a transport: sampled for the whole duration while whatever
// really drives it (a client mcpleak does not see) goes on. Growth is judged over time.
void Run::watch_only() {
  info_.phases.push_back({"watch", true, now_s(), now_s(), 0, ""});
  phase_name_ = "watch";
  while (now_s() < o_.duration_s) {
    if (stop_requested()) {
      info_.interrupted = true;
      info_.warnings.push_back(std::string("interrupted by signal ") + std::to_string(stop_signal_number()) +
                               "; verdict from the samples taken so far");
      break;
    }
    if (auto why = server_->gone()) {
      fail("attached server exited during the run (" + *why + ")");
      break;
    }
    if (sampler_->root_gone()) {  // a zombie still answers kill(pid, 0)
      fail("attached process " + std::to_string(sampler_->gone_root()) + " exited during the run");
      break;
    }
    maybe_look();
    report_progress();
    if (decided_) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  info_.phases.back().end_s = now_s();
}

// initialize, tools/list, the scenario's phases, then the client's own counters.
Result<Report> Run::drive(Transport& transport) {
  ClientOptions client_options;
  client_options.protocol = o_.protocol;
  client_options.handshake_first = o_.scenario.uses_sessions();
  if (auto note = apply_recorded_client(o_.scenario, client_options); !note.empty()) info_.warnings.push_back(note);
  McpClient client(transport, [] { return stop_requested(); }, client_options);
  auto hello = client.initialize(o_.init_timeout);
  if (!hello) {
    std::string why = "would not initialize: " + hello.error().message;
    const auto gone = server_->gone();
    if (gone) why += " (server " + *gone + ")";
    const auto junk = client.counters();
    if (junk.non_json_lines > 0) {
      why += "; " + std::to_string(junk.non_json_lines) + " non-JSON lines on stdout, first: '" +
             junk.junk_examples.front() + "'";
    }
    fail_start(std::move(why), gone.has_value());
    return finish();
  }
  info_.server_name = hello->name + (hello->version.empty() ? "" : " " + hello->version);
  info_.protocol_version = hello->protocol_version;
  info_.protocol_era = hello->era;
  negotiated_ = hello->protocol_version;
  if (!hello->negotiation_note.empty()) info_.warnings.push_back(hello->negotiation_note);
  if (client.modern() && o_.scenario.uses_sessions()) {
    const std::string why = "scenario " + o_.scenario.name + " opens and ends sessions, and the server speaks " +
                            hello->protocol_version +
                            ", which has none (it refused the initialize handshake): use a scenario without "
                            "calls_per_session, e.g. --scenario snapshot-loop";
    info_.scenario_error = why;
    (void)finish();
    return Error(Errc::usage, why);
  }

  if (auto tools = client.list_tools(o_.call_timeout)) {
    for (const auto& t : *tools) offered_tools_.insert(t.name);
    std::string missing;
    for (const auto& phase : o_.scenario.phases) {
      for (const auto& step : phase.steps) {
        if (!offered_tools_.contains(step.tool) && missing.find(step.tool) == std::string::npos) {
          missing += (missing.empty() ? "" : ", ") + step.tool;
        }
      }
    }
    if (!missing.empty()) {
      std::string offered;
      for (const auto& t : offered_tools_) offered += (offered.empty() ? "" : ", ") + t;
      const std::string why = "server offers no tool " + missing + " (it offers: " +
                              (offered.empty() ? "none" : offered) + ")";
      info_.scenario_error = "scenario " + o_.scenario.name + ": " + why;
      (void)finish();
      return Error(Errc::usage, why).with("scenario " + o_.scenario.name);
    }
    if (o_.scenario.diagnostics && !offered_tools_.contains(o_.scenario.diagnostics->tool)) {
      info_.warnings.push_back("diagnostics tool " + o_.scenario.diagnostics->tool +
                               " not offered by the server; counters not sampled");
    }
  } else if (client.closed() || server_->gone()) {
    fail("server exited after initialize: " + tools.error().message);
    return finish();
  } else {
    info_.warnings.push_back("tools/list failed (" + tools.error().message + "); tools not checked");
    for (const auto& phase : o_.scenario.phases)
      for (const auto& step : phase.steps) offered_tools_.insert(step.tool);
  }

  const auto lengths = plan_phase_lengths(o_.scenario, o_.duration_s);
  for (std::size_t i = 0; i < o_.scenario.phases.size(); ++i) {
    const Stop stop = run_phase(i, lengths[i], client, transport);
    if (stop == Stop::interrupted || stop == Stop::server_failed) break;
  }
  // A client that is done says so, and the server may free the session now; unless the
  // scenario abandons its sessions, as a client that just goes away does.
  const bool abandons = std::any_of(o_.scenario.phases.begin(), o_.scenario.phases.end(),
                                    [](const Phase& p) { return p.close == SessionClose::abandon; });
  if (transport.supports_sessions() && !client.modern() && !info_.server_failure && !abandons) {
    (void)transport.end_session();
  }
  const auto counters = client.counters();
  info_.non_json_lines = counters.non_json_lines;
  if (counters.non_json_lines > 0) {
    info_.warnings.push_back(std::to_string(counters.non_json_lines) +
                             " non-JSON lines on the server's stdout were skipped (first: '" +
                             counters.junk_examples.front() + "'); MCP servers must log to stderr");
  }
  if (counters.unmatched_responses > 0) {
    info_.warnings.push_back(std::to_string(counters.unmatched_responses) +
                             " responses matched no pending request (late, duplicate or wrong id)");
  }
  if (transport.oversized_lines() > 0) {
    info_.warnings.push_back(std::to_string(transport.oversized_lines()) +
                             (o_.http ? " HTTP responses or events longer than the cap were dropped"
                                      : " stdout lines longer than the line cap were dropped"));
  }
  return finish();
}

}  // namespace

Result<Report> run_scenario(const RunOptions& options) {
  if (options.scenario.reconnect) return run_reconnect(options);
  Run run(options);
  return run.execute();
}

}  // namespace mcpleak
