#include "harness/sampler/cadence.h"

#include <algorithm>
#include <cmath>

namespace mcpleak {

Cadence::Cadence(CadenceOptions options, std::chrono::milliseconds period)
    : options_(options), period_s_(std::max(1.0, static_cast<double>(period.count())) / 1000.0) {
  every_thread_every_ = ticks_for(options_.every_thread);
  full_scan_every_ = std::max(ticks_for(options_.full_scan), every_thread_every_);
  fds_base_ = ticks_for(options_.fds);
  detail_base_ = ticks_for(options_.detail);
  longest_ = std::max({ticks_for(options_.longest), fds_base_, detail_base_});
  fds_every_ = fds_base_;
}

std::uint64_t Cadence::ticks_for(std::chrono::milliseconds d) const {
  const double ticks = std::round(static_cast<double>(d.count()) / 1000.0 / period_s_);
  return ticks < 1 ? 1 : static_cast<std::uint64_t>(ticks);
}

std::uint64_t Cadence::wait_after(double cost_s, std::uint64_t base_ticks) const {
  const double needed = std::ceil(std::max(0.0, cost_s) / options_.budget / period_s_);
  const auto ticks = needed >= static_cast<double>(longest_) ? longest_ : static_cast<std::uint64_t>(needed);
  return std::clamp(ticks, base_ticks, longest_);
}

Discovery Cadence::discovery(std::uint64_t tick) const {
  // Tick 0 lists every thread; the first full scan waits its turn: at the start the
  // tree is a freshly spawned process and its listing is exact.
  if (tick > 0 && tick % full_scan_every_ == 0) return Discovery::full_scan;
  if (tick % every_thread_every_ == 0) return Discovery::every_thread;
  return Discovery::known;
}

void Cadence::fds_read(std::uint64_t tick, double cost_s) {
  // The wait doubles from the base rather than taking any length, and the next count
  // falls on a multiple of it: the sampler's in-memory series keeps every 2^k-th sample
  // (thinned_series.h), and so still holds the samples with counts for the interim looks.
  const std::uint64_t needed = wait_after(cost_s, fds_base_);
  fds_every_ = fds_base_;
  while (fds_every_ < needed && fds_every_ * 2 <= longest_) fds_every_ *= 2;
  next_fds_ = (tick / fds_every_ + 1) * fds_every_;
}

bool Cadence::detail_due(pid_t pid, std::uint64_t tick) const {
  const auto it = detail_.find(pid);
  return it == detail_.end() || tick >= it->second.next;
}

void Cadence::detail_read(pid_t pid, std::uint64_t tick, double cost_s) {
  auto& d = detail_[pid];
  d.every = wait_after(cost_s, detail_base_);
  d.next = tick + d.every;
}

void Cadence::keep_only(const std::vector<pid_t>& tree) {
  for (auto it = detail_.begin(); it != detail_.end();) {
    it = std::find(tree.begin(), tree.end(), it->first) != tree.end() ? std::next(it) : detail_.erase(it);
  }
}

double Cadence::longest_detail_interval_s() const {
  std::uint64_t longest = detail_base_;
  for (const auto& entry : detail_) longest = std::max(longest, entry.second.every);
  return static_cast<double>(longest) * period_s_;
}

}  // namespace mcpleak
