// What mcpleak's own process has used so far (getrusage(RUSAGE_SELF)): CPU of all its
// threads, not of its children, and the resident high-water mark.
#pragma once

#include <cstdint>

namespace mcpleak {

struct SelfUsage {
  double cpu_s = 0;                  // user + system
  std::uint64_t peak_rss_bytes = 0;  // ru_maxrss, in bytes on every platform
};

SelfUsage read_self_usage();

}  // namespace mcpleak
