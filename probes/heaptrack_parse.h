// heaptrack's interpreted data (what `heaptrack_interpret` writes while the server runs
// with libheaptrack_preload.so) read incrementally: strings, instruction pointers with
// their symbolized frames, the trace tree, allocation infos (size, trace) and the
// `+`/`-` events that allocate and free them. At any point the reader gives the live
// bytes and blocks per allocation stack — a native server's checkpoint. Pure: the caller
// feeds the bytes it read from the file.
//
// Format (heaptrack 1.x, file format 1–3; all numbers hex; indexes of strings, ips and
// traces count from 1, allocation infos from 0), as written by heaptrack_interpret.cpp
// and read by accumulatedtracedata.cpp:
//   v HEAPTRACK_VERSION FILE_VERSION      X command line
//   s LEN STRING (v3; before: s STRING)   i IP MODULE [FUNCTION FILE LINE]...
//   t IP_INDEX PARENT_TRACE               a SIZE TRACE
//   + ALLOC_INFO    - ALLOC_INFO          c MILLISECONDS   R RSS_PAGES   I PAGE_SIZE PAGES
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/model/where_it_grows.h"

namespace mcpleak {

// Which sites a snapshot keeps.
struct HeaptrackSiteRule {
  std::uint64_t min_bytes = 1024;  // live bytes a site needs to be listed at all
  std::size_t max_sites = 400;     // the heaviest, after merging
  std::size_t key_frames = 3;      // frames that name a site (allocating frame and callers)
  std::size_t max_frames = 12;     // frames kept per stack
};

class HeaptrackReader {
 public:
  // Parses every complete line of `bytes` (what follows the previous feed); an
  // incomplete last line waits for the next feed.
  void feed(std::string_view bytes);

  // Live allocations grouped by stack, heaviest first. The allocator's own frames at the
  // top of a stack (operator new, malloc and friends, the standard library's allocation
  // plumbing) are dropped, so the first frame is the code that asked for the memory; a
  // site's key is its first `key_frames` frames ("function (file:line) < caller < …")
  // and stacks with the same key are merged. A frame without debug information has the
  // binary as its file and line 0.
  std::vector<SiteSnapshot> live_sites(const HeaptrackSiteRule& rule = {}) const;

  std::uint64_t live_bytes() const { return live_bytes_; }
  std::uint64_t live_blocks() const { return live_blocks_; }
  std::uint64_t allocations() const { return allocations_; }
  // The instrumented process's command line ("X" line); empty until seen.
  const std::string& command() const { return command_; }
  // "1.4.0" from the "v" line; empty until seen.
  std::string heaptrack_version() const;
  // The last "c" time stamp: milliseconds since the process started.
  std::optional<std::uint64_t> last_time_ms() const { return last_time_ms_; }
  // The trailer heaptrack_interpret writes when its input ends ("# strings: N").
  bool ended() const { return ended_; }
  // Lines that could not be read (or point at what does not exist), left out.
  std::size_t skipped_lines() const { return skipped_; }
  // A file format newer than this reader knows (its lines are still read as far as they go).
  bool newer_format() const { return file_version_ > 3; }

 private:
  struct Ip {
    std::uint64_t address = 0;
    std::uint32_t module = 0;
    std::vector<StackFrame> frames;  // innermost (inlined) first
  };
  struct Trace {
    std::uint32_t ip = 0;
    std::uint32_t parent = 0;
  };
  struct AllocationInfo {
    std::uint64_t size = 0;
    std::uint32_t trace = 0;
    std::uint64_t live = 0;  // blocks allocated and not freed
  };

  void parse_line(std::string_view line);
  bool parse_ip(std::string_view rest);
  const std::string& string_at(std::uint64_t index) const;
  std::vector<StackFrame> stack_of(std::uint32_t trace, std::size_t max_frames) const;

  std::string pending_;
  std::vector<std::string> strings_;
  std::vector<Ip> ips_;
  std::vector<Trace> traces_;
  std::vector<AllocationInfo> infos_;
  std::uint64_t live_bytes_ = 0, live_blocks_ = 0, allocations_ = 0;
  std::string command_;
  std::uint64_t heaptrack_version_ = 0, file_version_ = 0;
  std::optional<std::uint64_t> last_time_ms_;
  bool ended_ = false;
  std::size_t skipped_ = 0;
};

}  // namespace mcpleak
