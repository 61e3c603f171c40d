// The runtime hooks' sources, compiled in (probes/CMakeLists.txt embeds the files beside
// this header), so mcpleak writes them to each run's private hook folder.
#pragma once

#include <string_view>

namespace mcpleak {

std::string_view python_hook_source();  // sitecustomize.py
std::string_view node_hook_source();    // mcpleak_hook.cjs

}  // namespace mcpleak
