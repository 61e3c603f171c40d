// Pure parsers for the /proc files that describe the process tree: /proc/PID/stat
// (for its PPid) and /proc/PID/task/TID/children. Opens nothing.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "harness/result.h"

namespace mcpleak {

// The leading fields of /proc/PID/stat: "pid (comm) state ppid ...".
struct ProcStat {
  pid_t pid = 0;
  std::string comm;  // may hold spaces and parentheses: "my (odd) comm"
  char state = '?';
  pid_t ppid = 0;
  pid_t pgrp = 0;    // process group; 0 when the line ends after ppid
};

// Parses one /proc/PID/stat line. comm is taken up to the LAST ')' because comm itself
// may contain ") ". Leading '#' comment lines are skipped. Errc::parse on a missing
// '(' or ')', a non-numeric pid/ppid, or text that ends before ppid.
Result<ProcStat> parse_proc_stat(std::string_view text);

// Appends the pids of a /proc/PID/task/TID/children file ("5109 5110 ", possibly empty)
// to out. Errc::parse on a token that is not a positive pid; out is then unchanged.
Result<void> parse_children_list(std::string_view text, std::vector<pid_t>& out);

}  // namespace mcpleak
