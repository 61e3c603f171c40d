// Live objects per class over a run (macOS): heap(1) on every process of the tree at
// start, then every `period` (longer when a reading is slow: heap(1) walks the whole
// heap, so a round that took c seconds waits at least 20·c) and once more at stop. Each
// complete round is handed to the next sample once (Sample::classes), so a class's
// count is a series like the fd count, judged by analysis/class_counts.h. Elsewhere
// (no heap(1)) it does nothing. The thread and the tool runs are type-checked against
// the macOS SDK; the round arithmetic is pure and tested on Linux.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "probes/heap_parse.h"

namespace mcpleak {

// One round's counts: each class summed over the processes, the `max_classes` most
// numerous kept plus every class a `keep` glob matches (the bounded ones, whatever
// their count). Pure.
std::map<std::string, std::uint64_t> class_round(std::span<const HeapReport> reports,
                                                 const std::vector<std::string>& keep, std::size_t max_classes = 200);

class ClassSampler {
 public:
  using Pids = std::function<std::vector<pid_t>()>;
  ClassSampler(Pids pids, std::vector<std::string> keep, std::chrono::seconds period);
  ~ClassSampler();
  ClassSampler(const ClassSampler&) = delete;
  ClassSampler& operator=(const ClassSampler&) = delete;

  // False where there is no heap(1): then start() is a no-op.
  static bool available();
  void start();
  // Takes a last round, then stops.
  void stop();
  // The latest round not yet handed out, once.
  std::map<std::string, std::uint64_t> take_new_round();
  // Problems for the report: a process heap(1) could not read, unreadable lines.
  std::vector<std::string> notes() const;

 private:
  // One round; how long it took.
  double read_round();

  Pids pids_;
  std::vector<std::string> keep_;
  std::chrono::seconds period_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, std::uint64_t> pending_;
  std::set<pid_t> failed_;  // noted once; only touched by the reading thread
  std::vector<std::string> notes_;
};

}  // namespace mcpleak
