// Pure parser of /proc/PID/status text (proc(5)) into the numbers mcpleak's Linux
// footprint is made of. Opens nothing: probe_linux.cpp reads the file.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "harness/result.h"

namespace mcpleak {

// All sizes in bytes (the kernel prints kB = KiB).
struct ProcStatus {
  std::string name;  // "Name:" as printed: comm, at most 15 chars, '\n' and '\\' escaped
  pid_t ppid = 0;
  std::uint64_t rss_anon_bytes = 0;
  std::uint64_t rss_file_bytes = 0;
  std::uint64_t rss_shmem_bytes = 0;
  std::uint64_t vm_rss_bytes = 0;
  std::optional<std::uint64_t> vm_swap_bytes;  // absent when the kernel prints no VmSwap line
  std::uint32_t threads = 0;

  // The verdict metric on Linux (Chromium's "private footprint"): RssAnon + VmSwap,
  // a missing VmSwap counting as 0.
  std::uint64_t footprint_bytes() const { return rss_anon_bytes + vm_swap_bytes.value_or(0); }
};

// Parses the text of /proc/PID/status. Required lines: Name, PPid, VmRSS, RssAnon,
// RssFile, RssShmem, Threads; VmSwap is optional. Unknown lines are ignored, and so are
// lines starting with '#' (fixture provenance comments). Errors, all Errc::parse:
//  - "no RssAnon line" (kernels before 4.5; "... (kernel thread)" when Kthread: 1), and
//    the same for each other required line: never a silent zero;
//  - "bad VmRSS value: '...'" for a value that is not "N kB" / a number, or overflows.
Result<ProcStatus> parse_proc_status(std::string_view text);

}  // namespace mcpleak
