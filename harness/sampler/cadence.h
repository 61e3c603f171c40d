// Cadence: which of a tree's sources a sampler tick reads. Every tick reads what the
// verdicts need (each process's status: footprint, RSS, swap, threads; and the tree's
// fd count while counting stays cheap); the rest waits its turn:
//
//   source                                  at least every   (at 4 Hz)
//   open-fd count of the whole tree         fds              every tick
//   children of every thread                every_thread      2 s
//   scan of all of /proc for parent links   full_scan        30 s
//   smaps_rollup of one process (PSS, ...)  detail           10 s
//
// and a source whose last read was costly waits longer, so that it uses at most `budget`
// of one core: a read that took c seconds waits c / budget seconds (never more than
// `longest`). fds are counted for the whole tree on the same tick, so each tree sum is
// whole, on ticks that are multiples of their interval (base × 2^k); smaps_rollup is
// scheduled per process, so the budget holds per process (30 processes may take 30 ×
// budget), and one browser process with a huge address space does not slow the others'
// readings. Pure: the caller counts ticks and measures what each read cost.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "probes/tree_reader.h"

namespace mcpleak {

struct CadenceOptions {
  std::chrono::milliseconds every_thread{2000};
  std::chrono::milliseconds full_scan{30000};
  // Every tick: fds are a resource verdict, judged like the footprint, and a count costs
  // a stat(2) per process on Linux 6.2+; a slow count (a listing of many fds) waits longer.
  std::chrono::milliseconds fds{250};
  std::chrono::milliseconds detail{10000};
  std::chrono::milliseconds longest{120000};
  double budget = 0.002;  // share of one core that one costly source may use
};

class Cadence {
 public:
  Cadence(CadenceOptions options, std::chrono::milliseconds period);

  // How tick number `tick` (0 is the first) finds the tree's processes.
  Discovery discovery(std::uint64_t tick) const;

  bool fds_due(std::uint64_t tick) const { return tick >= next_fds_; }
  // The fd count of the whole tree was read at `tick` and took cost_s seconds.
  void fds_read(std::uint64_t tick, double cost_s);

  // True for a process not read before, so each one gets its detail early.
  bool detail_due(pid_t pid, std::uint64_t tick) const;
  void detail_read(pid_t pid, std::uint64_t tick, double cost_s);
  // Forgets processes no longer in the tree (a reused pid starts afresh).
  void keep_only(const std::vector<pid_t>& tree);

  // The intervals in effect, in seconds: for run.json and the README's table.
  double fds_interval_s() const { return static_cast<double>(fds_every_) * period_s_; }
  double longest_detail_interval_s() const;
  double every_thread_interval_s() const { return static_cast<double>(every_thread_every_) * period_s_; }
  double full_scan_interval_s() const { return static_cast<double>(full_scan_every_) * period_s_; }

 private:
  std::uint64_t ticks_for(std::chrono::milliseconds d) const;
  // The wait in ticks after a read that cost cost_s: at least base_ticks.
  std::uint64_t wait_after(double cost_s, std::uint64_t base_ticks) const;

  CadenceOptions options_;
  double period_s_;
  std::uint64_t every_thread_every_, full_scan_every_, fds_base_, detail_base_, longest_;
  std::uint64_t fds_every_;
  std::uint64_t next_fds_ = 0;
  struct Detail {
    std::uint64_t next = 0;
    std::uint64_t every = 0;
  };
  std::unordered_map<pid_t, Detail> detail_;
};

}  // namespace mcpleak
