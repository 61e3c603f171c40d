// Leak injection (`--inject CLASS[,CLASS] --inject-scale X`): reproduces the leak classes
// of DESIGN.md on purpose by retaining real objects (observers with touched buffers,
// element references, pool temporaries) until shutdown, so the harness can be tested
// against leaks of known size. Fixed axref constructs an Injector with nothing active.
// session-retain and session-abandon-retain are carried out by the HTTP transport's
// SessionRegistry, not here.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "harness/result.h"
#include "harness/process/unique_fd.h"
#include "reference/counters.h"
#include "reference/observer.h"

namespace mcpleak::axref {

struct InjectionConfig {
  unsigned mask = 0;   // bit i = LeakClass i
  double scale = 1.0;  // multiplies every leaked byte size
  bool has(LeakClass c) const { return (mask >> static_cast<unsigned>(c) & 1u) != 0; }
};

// "observer-retry,element-retain" -> mask. Empty text = nothing injected. Unknown names
// and a scale that is not > 0 are Errc::usage.
Result<InjectionConfig> parse_injections(std::string_view list, double scale);

// Bytes one leak event retains at `scale`. At scale 1 a Snapshot loop at 5 calls/s leaks
// ~10 MB/min for the per-call classes (32 KiB per call), observer-retry ticking at
// 10 Hz leaks ~10 MB/min idle (16 KiB per tick), and session-retain and
// session-abandon-retain at ~2.5 sessions/s leak ~10 MB/min (64 KiB per session: the
// client context one session holds).
std::size_t bytes_per_leak_event(LeakClass c, double scale);

class Injector {
 public:
  // Starts the observer-retry thread and the pool worker when their class is active.
  Injector(InjectionConfig config, Counters& counters);
  // Stops the threads and releases everything retained: counters drop to zero.
  ~Injector();
  Injector(const Injector&) = delete;
  Injector& operator=(const Injector&) = delete;

  const InjectionConfig& config() const { return config_; }
  bool active(LeakClass c) const { return config_.has(c); }

  // observer-per-snapshot: one observer attached per tree read of `pid` and never removed.
  // observer-fd: per tree read, the event source an observer would hold (a file
  // descriptor here; an AXObserver's run-loop source is a Mach port) kept open, and no
  // memory: the fds grow, the footprint does not.
  void on_tree_read(pid_t pid);
  // element-retain: keeps a walk's element references and a buffer standing for their
  // attribute caches. Called only when active; otherwise refs just go out of scope.
  void retain_elements(std::vector<std::unique_ptr<ElementRef>> refs);
  // undrained-pool: runs one job on the worker thread (waits for it) whose temporaries go
  // to a pool that is never drained. No-op when inactive.
  void on_call();
  // Drops retained element references now, for a backend whose library must outlive
  // them (libatspi). Leaked bytes stay counted until they are freed here.
  void release_elements();

 private:
  void retry_loop();
  void worker_loop();

  InjectionConfig config_;
  Counters& counters_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::uint64_t jobs_posted_ = 0, jobs_done_ = 0;
  std::vector<std::unique_ptr<Observer>> leaked_observers_;
  std::vector<std::unique_ptr<ElementRef>> leaked_elements_;
  std::vector<TouchedBuffer> leaked_buffers_;  // element-retain attribute caches
  std::vector<TouchedBuffer> pool_;            // the never-drained pool (worker thread)
  std::vector<UniqueFd> leaked_fds_;           // observer-fd event sources
  std::thread retry_thread_;
  std::thread worker_thread_;
};

}  // namespace mcpleak::axref
