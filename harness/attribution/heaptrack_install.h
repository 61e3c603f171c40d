// Where heaptrack's two parts are: the preload library the server starts with, and the
// interpreter that symbolizes its raw output. Found beside the `heaptrack` script on
// PATH (../lib/heaptrack, as the script itself looks), then in /usr/lib/heaptrack.
#pragma once

#include <string>

#include "harness/result.h"

namespace mcpleak {

struct HeaptrackInstall {
  std::string preload;      // libheaptrack_preload.so
  std::string interpreter;  // libexec/heaptrack_interpret
};

// Errc::usage saying how to install heaptrack when either part is missing.
Result<HeaptrackInstall> find_heaptrack();

}  // namespace mcpleak
