// Every process on the machine, as `--attach-name` needs them: pid, parent, short name
// and command line. Read once at the start of a run, never per tick.
// (process_list_linux.cpp / process_list_macos.cpp)
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "harness/result.h"

namespace mcpleak {

struct ProcessEntry {
  pid_t pid = 0;
  pid_t ppid = 0;
  std::string name;       // Linux comm, macOS p_comm: the executable's short name
  std::string command;    // argv joined by spaces; empty when unreadable (another user's)
  pid_t pgid = 0;         // process group
  bool zombie = false;    // exited, not yet reaped: not alive for any purpose of ours
};

// True when `pid`'s environment holds exactly `entry` ("NAME=VALUE"): how mcpleak
// recognises processes of a server it started after they left its process group.
// False when the process is gone or its environment unreadable (another user's).
bool process_environment_has(pid_t pid, const std::string& entry);

// Seconds since `pid` started; empty when it is gone or the platform cannot say.
std::optional<double> process_age_s(pid_t pid);

// Processes that vanish while the list is read are left out. Errc::io only when the
// list itself cannot be read.
Result<std::vector<ProcessEntry>> list_all_processes();

}  // namespace mcpleak
