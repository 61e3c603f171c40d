// read_task_vm_info off macOS: there are no Mach task ports; callers still compile.
#include "probes/task_vm_info.h"

#include <string>

namespace mcpleak {

Result<TaskVmInfo> read_task_vm_info(pid_t pid) {
  return Error(Errc::io, "task_info is not available on this platform")
      .with("pid " + std::to_string(pid));
}

}  // namespace mcpleak
