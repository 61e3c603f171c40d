// The limits of `mcpleak watch` and when a session crosses them: --max-footprint on
// every sample (the tree's footprint above it), --max-growth on every interim look at the
// session so far (the sequential test, budget = --max-growth, decides leaking; its alpha is
// spent across looks, so a long session does not make a false alarm likely). Each limit
// acts once. Pure: samples and looks in, crossings out; what is done about one is
// watch_session's business.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "harness/analysis/analysis.h"
#include "harness/model/report.h"
#include "harness/model/sample.h"

namespace mcpleak {

enum class WatchAction { warn, kill };
const char* watch_action_name(WatchAction action);  // "warn" | "kill"

struct WatchLimits {
  std::optional<std::uint64_t> max_footprint_bytes;
  std::optional<double> max_growth_bytes_per_min;
  WatchAction action = WatchAction::warn;
};

struct Crossing {
  std::string trigger;  // "max-footprint" | "max-growth"
  std::string detail;   // one line a person reads
  double sample_t_s = 0;
  std::uint64_t footprint_bytes = 0;
};

class Watchdog {
 public:
  explicit Watchdog(WatchLimits limits) : limits_(limits) {}
  const WatchLimits& limits() const { return limits_; }
  // The footprint limit, crossed by this sample for the first time.
  std::optional<Crossing> on_sample(const Sample& sample);
  // The growth limit: an interim look at the session so far (budget = --max-growth)
  // decided leaking, for the first time.
  std::optional<Crossing> on_look(const Look& look, const Sample& latest);

 private:
  WatchLimits limits_;
  bool footprint_fired_ = false;
  bool growth_fired_ = false;
};

}  // namespace mcpleak
