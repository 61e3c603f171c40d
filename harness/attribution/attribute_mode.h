// `--attribute auto|python|node|native|macos|off`: what an attribution run instruments:
// the runtime hooks (auto, python, node), heaptrack's preload (native, Linux) or
// MallocStackLogging with heap(1), malloc_history(1) and leaks(1) (macos).
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "harness/result.h"

namespace mcpleak {

enum class AttributeMode { off, automatic, python, node, native, macos };

// "off", "auto", "python", "node", "native", "macos".
const char* attribute_mode_name(AttributeMode mode);
// Errc::usage naming the accepted values otherwise.
Result<AttributeMode> parse_attribute_mode(std::string_view text);

inline bool hooks_python(AttributeMode m) { return m == AttributeMode::automatic || m == AttributeMode::python; }
inline bool hooks_node(AttributeMode m) { return m == AttributeMode::automatic || m == AttributeMode::node; }

// How an instrumented (attribution) run takes its checkpoints.
struct AttributionOptions {
  AttributeMode mode = AttributeMode::off;
  int frames = 10;                  // Python: tracemalloc frames kept per allocation
  std::uint64_t every_calls = 50;   // scenario calls between checkpoints
  int checkpoints = 6;              // the first right after tracing starts (after warm-up)
  std::chrono::milliseconds answer_timeout{60000};  // per checkpoint, for every hook
  bool heap_snapshots = true;       // Node: three snapshots for a memlab-style diff
  double live_heap_every_s = 1;     // the live-heap series (post-GC heap), once tracing runs
};

}  // namespace mcpleak
