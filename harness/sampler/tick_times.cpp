#include "harness/sampler/tick_times.h"

#include <algorithm>
#include <vector>

namespace mcpleak {

void TickTimes::add(double seconds) {
  recent_[count_ % kRecent] = seconds;
  ++count_;
  sum_ += seconds;
  max_ = std::max(max_, seconds);
}

SamplerCost TickTimes::summary() const {
  SamplerCost c;
  c.ticks = count_;
  if (count_ == 0) return c;
  c.tick_ms_mean = sum_ / static_cast<double>(count_) * 1000.0;
  c.tick_ms_max = max_ * 1000.0;
  std::vector<double> recent(recent_.begin(), recent_.begin() + static_cast<std::ptrdiff_t>(std::min<std::uint64_t>(count_, kRecent)));
  std::sort(recent.begin(), recent.end());
  // Nearest rank: the value at or below which the share of ticks lies.
  const auto at = [&](double q) {
    const auto rank = static_cast<std::size_t>(q * static_cast<double>(recent.size() - 1) + 0.5);
    return recent[rank] * 1000.0;
  };
  c.tick_ms_median = at(0.5);
  c.tick_ms_p99 = at(0.99);
  return c;
}

}  // namespace mcpleak
