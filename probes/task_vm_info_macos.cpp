// read_task_vm_info on macOS: task_for_pid (or mach_task_self) + task_info(TASK_VM_INFO).
#include "probes/task_vm_info.h"

#include <mach/mach.h>
#include <mach/mach_error.h>
#include <unistd.h>

#include <string>
#include <utility>

namespace mcpleak {
namespace {

// Owns a send right to a task port from task_for_pid; mach_task_self() is not owned.
class TaskPort {
 public:
  explicit TaskPort(mach_port_t port, bool owned) : port_(port), owned_(owned) {}
  TaskPort(TaskPort&& other) noexcept
      : port_(std::exchange(other.port_, MACH_PORT_NULL)), owned_(other.owned_) {}
  TaskPort& operator=(TaskPort&&) = delete;
  TaskPort(const TaskPort&) = delete;
  TaskPort& operator=(const TaskPort&) = delete;
  ~TaskPort() {
    if (owned_ && port_ != MACH_PORT_NULL) mach_port_deallocate(mach_task_self(), port_);
  }
  mach_port_t get() const { return port_; }

 private:
  mach_port_t port_;
  bool owned_;
};

Result<TaskPort> open_task(pid_t pid) {
  if (pid == getpid()) return TaskPort(mach_task_self(), false);
  mach_port_t port = MACH_PORT_NULL;
  const kern_return_t kr = task_for_pid(mach_task_self(), pid, &port);
  if (kr != KERN_SUCCESS) {
    // NOTE: task_for_pid is refused unless the caller is root or the target was signed
    // with com.apple.security.get-task-allow (man taskgated); hardened runtimes refuse it.
    return Error(Errc::io, std::string("task_for_pid refused (") + mach_error_string(kr) +
                               "): needs root or a target with the "
                               "com.apple.security.get-task-allow entitlement; "
                               "libproc footprint is used instead");
  }
  return TaskPort(port, true);
}

}  // namespace

Result<TaskVmInfo> read_task_vm_info(pid_t pid) {
  auto task = open_task(pid);
  if (!task) return Error(task.error()).with("pid " + std::to_string(pid));
  task_vm_info_data_t info{};
  mach_msg_type_number_t count = TASK_VM_INFO_COUNT;
  const kern_return_t kr =
      task_info(task->get(), TASK_VM_INFO, reinterpret_cast<task_info_t>(&info), &count);
  if (kr != KERN_SUCCESS)
    return Error(Errc::io, std::string("task_info(TASK_VM_INFO): ") + mach_error_string(kr))
        .with("pid " + std::to_string(pid));
  // Older kernels fill fewer fields and say so through count.
  if (count < TASK_VM_INFO_REV1_COUNT)
    return Error(Errc::io, "task_info(TASK_VM_INFO) has no phys_footprint on this kernel")
        .with("pid " + std::to_string(pid));
  TaskVmInfo out;
  out.phys_footprint_bytes = info.phys_footprint;
  out.compressed_bytes = info.compressed;
  out.internal_bytes = info.internal;
  out.resident_bytes = info.resident_size;
  if (count >= TASK_VM_INFO_REV2_COUNT && info.ledger_phys_footprint_peak >= 0)
    out.phys_footprint_peak_bytes = static_cast<std::uint64_t>(info.ledger_phys_footprint_peak);
  return out;
}

}  // namespace mcpleak
