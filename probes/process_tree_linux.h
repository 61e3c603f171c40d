// The two ways list_process_tree (probe.h) finds a tree on Linux, exposed so tests can
// run each one: the per-thread children files, and a scan of every /proc/PID/stat.
#pragma once

#include <sys/types.h>

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

}  // namespace mcpleak::detail
