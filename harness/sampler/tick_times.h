// TickTimes: how long the sampler's ticks took, in constant memory however long the run:
// count, sum and max over all ticks, and the latest 1024 for the median and p99. Pure.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "harness/model/own_cost.h"

namespace mcpleak {

class TickTimes {
 public:
  static constexpr std::size_t kRecent = 1024;

  void add(double seconds);
  // ticks and the tick_ms_* fields; the caller fills in the rest.
  SamplerCost summary() const;

 private:
  std::array<double, kRecent> recent_{};
  std::uint64_t count_ = 0;
  double sum_ = 0;
  double max_ = 0;
};

}  // namespace mcpleak
