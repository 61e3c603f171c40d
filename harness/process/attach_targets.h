// Which processes `--attach PID` and `--attach-name PATTERN` mean. Resolved once at the
// start of a run; mcpleak samples them and never signals them. Matching is pure.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "harness/result.h"
#include "probes/process_list.h"

namespace mcpleak {

// PATTERN is a shell glob (fnmatch) matched against each process's short name and, as
// *PATTERN*, against its command line. mcpleak itself, its ancestors (the shell that
// started mcpleak has the pattern in its own command line) and its descendants (its
// process guardian) never match. Of matches
// where one descends from another only the topmost is kept: the sampler takes each
// root's whole tree. Errc::usage when nothing matches, naming the pattern.
Result<std::vector<pid_t>> match_attach_pattern(const std::vector<ProcessEntry>& all, std::string_view pattern,
                                                pid_t self);

// The roots of an attached run: `pids` as given (each must exist, and be neither mcpleak
// nor its ancestor), then each pattern's matches; duplicates dropped, order kept.
// Errc::usage saying which pid or pattern is wrong.
Result<std::vector<pid_t>> resolve_attach_targets(const std::vector<pid_t>& pids,
                                                  const std::vector<std::string>& patterns);

// "4312 (uv run macos-mcp), 4377 (python3 -m srv)": what was attached to, command lines
// cut to 80 characters, for the terminal and the report.
std::string describe_processes(const std::vector<pid_t>& pids);

// Whether a process we did not start still exists (kill(pid, 0); EPERM means it does).
bool process_exists(pid_t pid);

}  // namespace mcpleak
