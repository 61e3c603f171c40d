#include "harness/watch/watchdog.h"

#include "harness/analysis/format.h"

namespace mcpleak {

const char* watch_action_name(WatchAction action) { return action == WatchAction::kill ? "kill" : "warn"; }

std::optional<Crossing> Watchdog::on_sample(const Sample& sample) {
  if (footprint_fired_ || !limits_.max_footprint_bytes) return std::nullopt;
  if (sample.tree.footprint_bytes <= *limits_.max_footprint_bytes) return std::nullopt;
  footprint_fired_ = true;
  const auto bytes = static_cast<double>(sample.tree.footprint_bytes);
  return Crossing{"max-footprint",
                  "footprint " + analysis::format_bytes(bytes) + " above --max-footprint " +
                      analysis::format_bytes(static_cast<double>(*limits_.max_footprint_bytes)),
                  sample.t_s, sample.tree.footprint_bytes};
}

std::optional<Crossing> Watchdog::on_look(const Look& look, const Sample& latest) {
  if (growth_fired_ || !limits_.max_growth_bytes_per_min || look.decided != Verdict::leaking) return std::nullopt;
  growth_fired_ = true;
  return Crossing{"max-growth",
                  "growing " + analysis::format_rate(look.bytes_per_min) + " (CI " +
                      analysis::format_interval(look.ci_bytes_per_min.lo, look.ci_bytes_per_min.hi) +
                      "), above --max-growth " + analysis::format_rate(*limits_.max_growth_bytes_per_min),
                  latest.t_s, latest.tree.footprint_bytes};
}

}  // namespace mcpleak
