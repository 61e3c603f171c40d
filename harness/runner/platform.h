// What run.json says about the machine and the metric: shared by every kind of run.
#pragma once

#include <string>

namespace mcpleak {

std::string platform_name();  // "linux-x86_64", "macos-arm64"
std::string metric_name();    // "RssAnon+VmSwap", "phys_footprint"

}  // namespace mcpleak
