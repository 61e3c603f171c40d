#include "harness/sampler/sampler.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "harness/model/serialize.h"
#include "harness/process/guardian.h"

namespace mcpleak {

Sampler::Sampler(std::vector<pid_t> roots, Clock::time_point run_start, SamplerOptions options,
                 std::function<SampleContext()> context)
    : roots_(std::move(roots)),
      tick_(roots_, options.period, options.cadence),
      run_start_(run_start),
      options_(std::move(options)),
      context_(std::move(context)) {}

Sampler::~Sampler() {
  stop();
  if (out_) std::fclose(out_);
}

Result<void> Sampler::start() {
  if (options_.owns_tree && !roots_.empty()) root_pgid_ = ::getpgid(roots_.front());
  out_ = std::fopen(options_.samples_path.c_str(), "a");
  if (!out_) {
    return Error(Errc::io, std::string("cannot open for writing: ") + std::strerror(errno))
        .with(options_.samples_path);
  }
  thread_ = std::thread([this] { loop(); });
  return {};
}

void Sampler::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    if (!root_gone_.load()) take_sample(true);  // the end state belongs in the record, whole
  }
}

void Sampler::loop() {
  // Ticks sit on a fixed grid from the start; a slow sample skips the ticks it
  // overran instead of bunching samples together.
  auto next = Clock::now();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    take_sample(false);
    lock.lock();
    if (root_gone_.load()) break;
    next += options_.period;
    const auto now = Clock::now();
    if (next <= now) {
      const auto behind = (now - next) / options_.period + 1;
      missed_ticks_ += static_cast<std::uint64_t>(behind);
      next += behind * options_.period;
    }
    wake_.wait_until(lock, next, [this] { return stopping_; });
  }
}

void Sampler::take_sample(bool complete) {
  const auto started = Clock::now();
  auto merged = tick_.take(complete);
  if (!merged) {
    gone_root_.store(tick_.gone_root());
    root_gone_.store(true);
    return;
  }
  const auto taken = Clock::now();
  Sample s;
  s.t_s = std::chrono::duration<double>(taken - run_start_).count();
  const SampleContext ctx = context_ ? context_() : SampleContext{};
  s.calls = ctx.calls;
  s.sessions = ctx.sessions;
  s.phase = ctx.phase;
  s.diagnostics = ctx.diagnostics;
  s.regions = ctx.regions;
  s.classes = ctx.classes;
  s.tree = std::move(*merged);
  watch_escaped(s.tree.pids);
  const std::string line = to_json_value(s).dump() + "\n";

  std::lock_guard lock(mutex_);
  if (out_ && !write_error_) {
    if (std::fputs(line.c_str(), out_) < 0 || std::fflush(out_) != 0) {
      write_error_ = Error(Errc::io, std::string("write failed: ") + std::strerror(errno))
                         .with(options_.samples_path);
    }
  }
  tick_times_.add(std::chrono::duration<double>(Clock::now() - started).count());
  largest_ = {0, 0};
  latest_pids_.clear();
  for (const auto& p : s.tree.pids) {
    latest_pids_.push_back(p.pid);
    pids_seen_.insert(p.pid);
    if (p.footprint_bytes >= largest_.second) largest_ = {p.pid, p.footprint_bytes};
  }
  // Interim looks need only time, calls, phase and the sums: keeping per-pid detail,
  // counters or regions in memory would make mcpleak's own footprint grow with the run.
  s.tree.pids.clear();
  s.tree.pids.shrink_to_fit();
  s.diagnostics.clear();
  s.regions.clear();
  s.classes.clear();
  latest_ = s;
  light_.push(std::move(s));
}

// A process of the tree that left the server's group (a setsid'd daemon) is out of reach
// of the group kill: the guardian watches it by pid (Linux; a no-op on macOS). Only the
// sampling thread, or stop() after joining it, gets here: escaped_ needs no lock.
void Sampler::watch_escaped(const std::vector<PidSample>& pids) {
  if (root_pgid_ <= 0) return;
  for (const auto& p : pids) {
    if (escaped_.count(p.pid) != 0) continue;
    const pid_t pgid = ::getpgid(p.pid);
    if (pgid > 0 && pgid != root_pgid_) {
      guardian_watch_escaped(p.pid);
      escaped_.insert(p.pid);
    }
  }
}

std::vector<Sample> Sampler::light_samples() const {
  std::lock_guard lock(mutex_);
  return light_.kept();
}

std::size_t Sampler::count() const {
  std::lock_guard lock(mutex_);
  return light_.seen();
}

std::vector<pid_t> Sampler::pids_seen() const {
  std::lock_guard lock(mutex_);
  return {pids_seen_.begin(), pids_seen_.end()};
}

std::optional<Error> Sampler::write_error() const {
  std::lock_guard lock(mutex_);
  return write_error_;
}

std::optional<Sample> Sampler::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

SamplerCost Sampler::cost() const {
  SamplerCost c = tick_times_.summary();
  c.missed_ticks = missed_ticks_.load();
  c.period_s = std::chrono::duration<double>(options_.period).count();
  const Cadence& cadence = tick_.cadence();
  c.every_thread_interval_s = cadence.every_thread_interval_s();
  c.full_scan_interval_s = cadence.full_scan_interval_s();
  c.fds_interval_s = cadence.fds_interval_s();
  c.detail_interval_s = cadence.longest_detail_interval_s();
  return c;
}

std::vector<pid_t> Sampler::latest_pids() const {
  std::lock_guard lock(mutex_);
  return latest_pids_;
}

std::optional<std::pair<pid_t, std::uint64_t>> Sampler::latest_largest_pid() const {
  std::lock_guard lock(mutex_);
  if (largest_.first <= 0) return std::nullopt;
  return largest_;
}

}  // namespace mcpleak
