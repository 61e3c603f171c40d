// task_info(TASK_VM_INFO) for one process: the kernel's own phys_footprint ledger next
// to libproc's. Available for mcpleak itself; for another pid only when task_for_pid
// is allowed (root, or a target signed with com.apple.security.get-task-allow).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

#include "harness/result.h"

namespace mcpleak {

struct TaskVmInfo {
  std::uint64_t phys_footprint_bytes = 0;
  std::uint64_t compressed_bytes = 0;   // pages held by the compressor for this task
  std::uint64_t internal_bytes = 0;     // anonymous (non file-backed) resident pages
  std::uint64_t resident_bytes = 0;
  std::optional<std::uint64_t> phys_footprint_peak_bytes;  // kernels with TASK_VM_INFO rev2+
};

// pid == getpid() reads mach_task_self() and always works on macOS. Any other pid needs a
// task port: Errc::io with a message that says why it was refused, so the caller records
// the note and keeps using libproc; never a reason to fail a run. On other platforms:
// Errc::io "task_info is not available on this platform".
Result<TaskVmInfo> read_task_vm_info(pid_t pid);

}  // namespace mcpleak
