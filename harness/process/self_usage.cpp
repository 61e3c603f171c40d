#include "harness/process/self_usage.h"

#include <sys/resource.h>

namespace mcpleak {

SelfUsage read_self_usage() {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return {};
  const auto seconds = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; };
  SelfUsage out;
  out.cpu_s = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  // getrusage(2): Linux counts ru_maxrss in KiB, macOS in bytes.
#if defined(__APPLE__)
  out.peak_rss_bytes = static_cast<std::uint64_t>(usage.ru_maxrss);
#else
  out.peak_rss_bytes = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
#endif
  return out;
}

}  // namespace mcpleak
