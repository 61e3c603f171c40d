// macOS malloc_history(1) `-callTree` output of a process started with
// MallocStackLogging: the allocation call tree, each node with the bytes and count of
// the live allocations below it. Pure: the caller runs the tool.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/result.h"

namespace mcpleak {

// A path from the tree's root to a node whose own (not children's) allocations are
// live: the allocation stack, outermost frame first, as malloc_history prints it.
struct AllocationStack {
  std::vector<std::string> frames;   // "handle_call  (in axref) + 52", outermost first
  std::uint64_t bytes = 0;           // live bytes allocated at the innermost frame itself
  std::uint64_t count = 0;           // live allocations
};

struct CallTree {
  std::uint64_t total_bytes = 0;   // the root line's bytes, when printed
  std::uint64_t total_count = 0;
  std::vector<AllocationStack> stacks;  // heaviest (bytes) first
  std::size_t skipped_lines = 0;
};

// Reads the indented tree ("N (BYTES bytes) frame" / "BYTES (N) frame" and the
// "+ ! : |" guides). MallocStackLogging noise lines before the tree are skipped; an
// unreadable line is counted and left out. At most `max_stacks` are kept.
// Errc::parse when no node line was readable.
Result<CallTree> parse_malloc_history_call_tree(std::string_view text, std::size_t max_stacks = 50);

}  // namespace mcpleak
