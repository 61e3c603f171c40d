// Pure parser of /proc/PID/smaps_rollup text (Linux 4.14+; proc(5)): the per-process
// sums of /proc/PID/smaps. Opens nothing: probe_linux.cpp reads the file.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "harness/result.h"

namespace mcpleak {

// All sizes in bytes (the kernel prints kB = KiB).
struct SmapsRollup {
  std::uint64_t rss_bytes = 0;
  std::uint64_t pss_bytes = 0;
  std::uint64_t shared_clean_bytes = 0;
  std::uint64_t shared_dirty_bytes = 0;
  std::uint64_t private_clean_bytes = 0;
  std::uint64_t private_dirty_bytes = 0;
  std::uint64_t anonymous_bytes = 0;
  std::uint64_t swap_bytes = 0;
  std::uint64_t swap_pss_bytes = 0;
  // Later additions: Pss_Anon/Pss_File/Pss_Shmem (5.7), Pss_Dirty (6.0).
  std::optional<std::uint64_t> pss_anon_bytes;
  std::optional<std::uint64_t> pss_file_bytes;
  std::optional<std::uint64_t> pss_shmem_bytes;
  std::optional<std::uint64_t> pss_dirty_bytes;
};

// Parses the text of /proc/PID/smaps_rollup. Required lines (present since 4.14): Rss,
// Pss, Shared_Clean, Shared_Dirty, Private_Clean, Private_Dirty, Anonymous, Swap,
// SwapPss. The "[rollup]" header line, unknown lines and '#' comment lines are ignored.
// Errors, all Errc::parse: "no Rss line" (also what an empty file, as read for a kernel
// thread or a zombie, gives), "bad Pss value: '...'" for a value that is not "N kB".
Result<SmapsRollup> parse_smaps_rollup(std::string_view text);

}  // namespace mcpleak
