#include "harness/runner/own_cost.h"

namespace mcpleak {

OwnCost own_cost(const SelfUsage& at_start, std::chrono::steady_clock::time_point start, const SamplerCost& sampler) {
  const SelfUsage now = read_self_usage();
  OwnCost c;
  c.cpu_s = now.cpu_s - at_start.cpu_s;
  c.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  c.cpu_share = c.wall_s > 0 ? c.cpu_s / c.wall_s : 0;
  c.peak_rss_bytes = now.peak_rss_bytes;
  c.sampler = sampler;
  return c;
}

}  // namespace mcpleak
