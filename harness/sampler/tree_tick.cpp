#include "harness/sampler/tree_tick.h"

#include <sys/resource.h>

#include <algorithm>
#include <string>

namespace mcpleak {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

TreeTick::TreeTick(std::vector<pid_t> roots, std::chrono::milliseconds period, CadenceOptions options)
    : roots_(std::move(roots)), cadence_(options, period) {
  // One budget of kept-open files for all roots, and never more than a quarter of what
  // the process may open: mcpleak's own pipes and sockets must never run short.
  std::size_t budget = kMaxOpenProcFiles;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    budget = std::min<std::size_t>(budget, static_cast<std::size_t>(limit.rlim_cur / 4));
  const std::size_t per_root = roots_.empty() ? 0 : budget / roots_.size();
  readers_.reserve(roots_.size());
  for (pid_t root : roots_) readers_.push_back(make_tree_reader(root, per_root));
}

Result<TreeSample> TreeTick::take(bool complete) {
  if (readers_.empty()) return TreeSample{};
  const Discovery how = complete ? Discovery::every_thread : cadence_.discovery(tick_);
  TreeSample merged;
  for (std::size_t i = 0; i < roots_.size(); ++i) {
    auto tree = readers_[i]->read(how);
    if (!tree) {
      gone_root_ = roots_[i];
      return std::move(tree.error());
    }
    for (auto& p : tree->pids) {
      // Attached roots may overlap (a process and its own child were both given).
      if (roots_.size() > 1 && std::any_of(merged.pids.begin(), merged.pids.end(),
                                           [&](const PidSample& q) { return q.pid == p.pid; })) {
        continue;
      }
      merged.pids.push_back(std::move(p));
    }
  }

  // The costly extras read a process by pid, so any of the readers can add them.
  TreeReader& extras = *readers_.front();
  if (complete || cadence_.fds_due(tick_)) {
    const auto start = Clock::now();
    for (auto& p : merged.pids) extras.add_fd_count(p);
    cadence_.fds_read(tick_, seconds_since(start));
  }
  std::vector<pid_t> pids;
  pids.reserve(merged.pids.size());
  for (auto& p : merged.pids) {
    pids.push_back(p.pid);
    if (!complete && !cadence_.detail_due(p.pid, tick_)) continue;
    const auto start = Clock::now();
    extras.add_memory_detail(p);
    // A refused read is scheduled like a slow one: it is not retried at every tick.
    cadence_.detail_read(p.pid, tick_, seconds_since(start));
  }
  cadence_.keep_only(pids);
  total_tree(merged);
  ++tick_;
  return merged;
}

}  // namespace mcpleak
