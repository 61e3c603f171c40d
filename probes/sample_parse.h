// The call graph of macOS sample(1) output (`sample PID 3`) reduced to the frames that
// were most often on top of the stack. Pure: the caller runs the tool and keeps the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/result.h"

namespace mcpleak {

struct SampleFrame {
  std::string symbol;     // "__psynch_cvwait", "???"
  std::string library;    // "libsystem_kernel.dylib"; empty when not printed
  std::uint64_t samples = 0;  // times this frame was the top of a stack, summed over threads
};

// Reads the "Call graph:" section. A frame's own (top-of-stack) count is its count minus
// its children's; frames with the same symbol and library are summed across threads.
// Returns at most `max_frames`, heaviest first (ties by symbol name). Frames with no
// own samples are left out. A line without a sample count continues the frame above it
// (a long line wrapped when pasted); so does one whose number is followed by an address
// ("+ 52  [0x…]", the wrapped tail of a frame) or sits at no level of the tree. The key
// is read from the joined text. Errc::parse when there is no call graph or it has no
// counted line.
Result<std::vector<SampleFrame>> parse_sample_top_frames(std::string_view text,
                                                         std::size_t max_frames = 10);

}  // namespace mcpleak
