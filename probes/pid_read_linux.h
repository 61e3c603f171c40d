// The reads of one process's /proc files that both the one-shot probe (probe_linux.cpp)
// and the per-tick tree reader (tree_reader_linux.cpp) make, from cheap to costly:
// status (a few counters), smaps_rollup (a walk of every mapping's page tables under the
// mm lock: milliseconds for a browser) and the open-fd count.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "harness/model/sample.h"
#include "harness/result.h"

namespace mcpleak {

// PidSample from the text of /proc/PID/status: footprint, RSS, swap, threads, ppid,
// name. Errc::parse (with path as context) when the text lacks a required line.
Result<PidSample> pid_sample_from_status(pid_t pid, std::string_view text, const char* path);

// Sets private_dirty_bytes and pss_bytes from /proc/PID/smaps_rollup. false when the
// file cannot be read (process gone, ptrace access refused) or parsed; p is unchanged.
bool add_smaps_rollup(PidSample& p, std::string& buf);

// Sets fds to the number of open fds of p.pid. Since Linux 6.2 stat(2) of /proc/PID/fd
// gives it as st_size without listing the folder; older kernels list it. false when
// neither can be read; p is unchanged.
bool add_fd_count(PidSample& p);

namespace detail {
// The two ways add_fd_count counts, exposed so tests can run each one. nullopt when the
// folder cannot be read (or, for the stat way, the kernel does not report a size).
std::optional<std::uint32_t> fd_count_by_stat(pid_t pid);
std::optional<std::uint32_t> fd_count_by_listing(pid_t pid);
}  // namespace detail

}  // namespace mcpleak
