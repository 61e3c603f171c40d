#include "harness/model/sample.h"

namespace mcpleak {

void total_tree(TreeSample& tree) {
  tree.footprint_bytes = 0;
  tree.rss_bytes = 0;
  tree.processes = static_cast<std::uint32_t>(tree.pids.size());
  std::uint64_t threads = 0, fds = 0;
  bool all_threads = !tree.pids.empty(), all_fds = !tree.pids.empty();
  for (const PidSample& p : tree.pids) {
    tree.footprint_bytes += p.footprint_bytes;
    tree.rss_bytes += p.rss_bytes;
    // A sum with a missing term would read as a drop: no sum rather than a wrong one.
    if (p.threads) threads += *p.threads; else all_threads = false;
    if (p.fds) fds += *p.fds; else all_fds = false;
  }
  tree.threads = all_threads ? std::optional<std::uint64_t>(threads) : std::nullopt;
  tree.fds = all_fds ? std::optional<std::uint64_t>(fds) : std::nullopt;
}

}  // namespace mcpleak
