// The libproc reads of one process that both the one-shot probe (probe_macos.cpp) and
// the per-tick tree reader (tree_reader_macos.cpp) make: the cheap ones every tick
// (rusage, BSD and task info), the fd listing when it is due.
#pragma once

#include <sys/proc_info.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "harness/model/sample.h"
#include "harness/result.h"

namespace mcpleak {

// footprint = proc_pid_rusage(RUSAGE_INFO_V4).ri_phys_footprint, the kernel ledger that
// Activity Monitor's Memory column and footprint(1) show; needs no task port, unlike
// task_info. Plus RSS, lifetime peak, ppid, name and threads where readable.
// Errc::io "process gone" (ESRCH) or naming the failed call.
Result<PidSample> read_libproc_basics(pid_t pid);

// The number of open fds of pid, listed with PROC_PIDLISTFDS into buf (reused).
// nullopt when refused or gone.
std::optional<std::uint32_t> libproc_fd_count(pid_t pid, std::vector<proc_fdinfo>& buf);

}  // namespace mcpleak
