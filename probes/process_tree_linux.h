// The two ways list_process_tree (probe.h) finds a tree on Linux, exposed so tests can
// run each one: the per-thread children files, and a scan of every /proc/PID/stat.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/result.h"

namespace mcpleak::detail {

// True when the kernel has /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN).
bool children_files_supported();

// Walks /proc/PID/task/*/children breadth-first from root: every thread's file, because
// a child forked by a non-main thread is listed only under that thread. Root first,
// parents before children. Errc::io when root is gone or its children file is missing.
// NOTE: proc(5) calls these files reliable only when the children are stopped; a child
// forked during the walk may be missed until the next sample.
Result<std::vector<pid_t>> list_tree_from_children_files(pid_t root);

// The fallback: reads the PPid of every process in /proc/*/stat and walks those edges
// breadth-first from root. Same order and errors as above; costs one read per process
// on the machine rather than per process in the tree.
Result<std::vector<pid_t>> list_tree_from_stat_scan(pid_t root);

// The pieces both listings (and tree_reader_linux.cpp) are made of:
// Appends the children of every thread of pid to out (one /proc/PID/task listing plus a
// children file per thread). false when pid vanished; hard_error is set when something
// else went wrong (not "process gone").
bool append_children_of_every_thread(pid_t pid, std::string& buf, std::vector<pid_t>& out,
                                     std::optional<Error>& hard_error);
// Every (ppid, pid) link on the machine, from /proc/*/stat. Processes we may not read
// are left out. Errc::io only when /proc cannot be listed.
Result<std::vector<std::pair<pid_t, pid_t>>> scan_parent_links();

}  // namespace mcpleak::detail
