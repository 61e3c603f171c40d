#include "harness/runner/platform.h"

#include <sys/utsname.h>

namespace mcpleak {

std::string platform_name() {
  utsname u{};
  ::uname(&u);
#if defined(__APPLE__)
  return std::string("macos-") + u.machine;
#else
  return std::string("linux-") + u.machine;
#endif
}

std::string metric_name() {
#if defined(__APPLE__)
  return "phys_footprint";
#else
  return "RssAnon+VmSwap";
#endif
}

}  // namespace mcpleak
