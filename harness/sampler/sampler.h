// The sampler thread: samples the server's process tree at a fixed cadence, independent
// of tool-call latency, and appends each sample to samples.jsonl as soon as it is taken
// (flushed), so a killed run keeps its data. What each tick reads is TreeTick's business
// (tree_tick.h, cadence.h); the sampler owns the clock, the file and the interim series.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "harness/model/own_cost.h"
#include "harness/model/sample.h"
#include "harness/result.h"
#include "harness/sampler/cadence.h"
#include "harness/sampler/thinned_series.h"
#include "harness/sampler/tick_times.h"
#include "harness/sampler/tree_tick.h"

namespace mcpleak {

// What the runner knows at the instant of a sample; read under the runner's own lock.
struct SampleContext {
  std::uint64_t calls = 0;
  std::uint64_t sessions = 0;
  int phase = 0;
  std::map<std::string, double> diagnostics;
  std::map<std::string, std::uint64_t> regions;  // latest vmmap region totals (macOS)
  std::map<std::string, std::uint64_t> classes;  // a new heap(1) reading, once (macOS)
};

struct SamplerOptions {
  std::chrono::milliseconds period{250};   // 4 Hz
  std::string samples_path;                // samples.jsonl; appended and flushed per sample
  // A spawned server's processes that leave its group are handed to the process
  // guardian; an attached server's never are (mcpleak does not own them).
  bool owns_tree = true;
  CadenceOptions cadence{};  // when the costly sources (fd counts, smaps_rollup) are read
};

class Sampler {
 public:
  // 8.5 minutes at 4 Hz before thinning starts; ~350 KiB reserved once.
  static constexpr std::size_t kInMemorySamples = 2048;

  using Clock = std::chrono::steady_clock;
  // `roots` are sampled with their descendants and summed (a pid in two trees counts
  // once): one spawned leader, or the processes of `--attach`. `run_start` is t = 0 of
  // the run's timeline; `context` is called once per tick.
  Sampler(std::vector<pid_t> roots, Clock::time_point run_start, SamplerOptions options,
          std::function<SampleContext()> context);
  ~Sampler();
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;

  // Errc::io when samples.jsonl cannot be opened.
  Result<void> start();
  // Takes one last sample (when the root is still alive), then stops and joins.
  void stop();

  // Samples so far without per-pid detail, counters or regions, for interim looks:
  // all of them up to kInMemorySamples, then a uniformly thinned series (thinned_series.h).
  std::vector<Sample> light_samples() const;
  // Samples taken so far (written to samples.jsonl), thinned or not.
  std::size_t count() const;
  std::uint64_t missed_ticks() const { return missed_ticks_.load(); }
  std::vector<pid_t> pids_seen() const;
  // Set once a root pid could no longer be sampled (it exited), and which one.
  bool root_gone() const { return root_gone_.load(); }
  pid_t gone_root() const { return gone_root_.load(); }
  std::optional<Error> write_error() const;
  // The latest sample (light), if any.
  std::optional<Sample> latest() const;
  // The pid with the largest footprint in the latest sample, and that footprint.
  std::optional<std::pair<pid_t, std::uint64_t>> latest_largest_pid() const;
  // The pids of the latest sample's tree.
  std::vector<pid_t> latest_pids() const;
  // What the sampler's ticks cost and the cadence they ended with; call after stop().
  SamplerCost cost() const;

 private:
  void loop();
  void take_sample(bool complete);
  void watch_escaped(const std::vector<PidSample>& pids);

  std::vector<pid_t> roots_;
  TreeTick tick_;
  pid_t root_pgid_ = -1;  // the spawned server's process group, read in start()
  Clock::time_point run_start_;
  SamplerOptions options_;
  std::function<SampleContext()> context_;
  std::FILE* out_ = nullptr;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  ThinnedSeries light_{kInMemorySamples};
  std::optional<Sample> latest_;
  std::set<pid_t> pids_seen_;
  std::set<pid_t> escaped_;  // outside the root's group, reported to the guardian
  std::pair<pid_t, std::uint64_t> largest_{0, 0};
  std::vector<pid_t> latest_pids_;
  std::optional<Error> write_error_;
  std::atomic<bool> root_gone_{false};
  std::atomic<pid_t> gone_root_{0};
  std::atomic<std::uint64_t> missed_ticks_{0};
  TickTimes tick_times_;  // only touched by the sampling thread, or stop() after joining it
};

}  // namespace mcpleak
