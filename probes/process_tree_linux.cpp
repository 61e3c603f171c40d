// list_process_tree for Linux: children files where the kernel has them, else a scan of
// /proc/*/stat. Vanished pids are left out; only a missing root is an error.
#include "probes/process_tree_linux.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>

#include "probes/probe.h"
#include "probes/proc_line_parse.h"
#include "probes/proc_read_linux.h"
#include "probes/proc_stat_parse.h"

namespace mcpleak {
namespace detail {
namespace {

// Trees under test are tens of pids, so a linear membership check beats a hash set.
bool contains(const std::vector<pid_t>& pids, pid_t pid) {
  return std::find(pids.begin(), pids.end(), pid) != pids.end();
}

// Errc::io naming the root, keeping "process gone" recognisable.
Result<void> require_root(pid_t root, std::string& buf) {
  char path[48];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(root));
  auto read = read_proc_file(path, buf);
  if (!read) return std::move(read.error());
  return {};
}

}  // namespace

bool append_children_of_every_thread(pid_t pid, std::string& buf, std::vector<pid_t>& out,
                     std::optional<Error>& hard_error) {
  char path[80];
  std::snprintf(path, sizeof path, "/proc/%d/task", static_cast<int>(pid));
  auto tasks = ProcDir::open(path);
  if (!tasks) {
    if (!is_process_gone(tasks.error())) hard_error = std::move(tasks.error());
    return false;
  }
  while (const char* tid = tasks->next()) {
    std::snprintf(path, sizeof path, "/proc/%d/task/%s/children", static_cast<int>(pid), tid);
    auto read = read_proc_file(path, buf);
    if (!read) {
      // A thread that exited mid-walk took no children with it: they moved to a sibling
      // thread, whose file we read too (or will have read).
      if (is_process_gone(read.error())) continue;
      hard_error = std::move(read.error());
      return false;
    }
    auto parsed = parse_children_list(buf, out);
    if (!parsed) {
      hard_error = Error(std::move(parsed.error())).with(path);
      return false;
    }
  }
  return true;
}

bool children_files_supported() {
  static const bool supported = [] {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%d/children", static_cast<int>(getpid()));
    return ::access(path, R_OK) == 0;
  }();
  return supported;
}

Result<std::vector<pid_t>> list_tree_from_children_files(pid_t root) {
  std::string buf;
  if (auto ok = require_root(root, buf); !ok) return std::move(ok.error());

  std::vector<pid_t> tree{root};
  std::vector<pid_t> children;
  for (std::size_t i = 0; i < tree.size(); ++i) {
    children.clear();
    std::optional<Error> hard_error;
    if (!append_children_of_every_thread(tree[i], buf, children, hard_error)) {
      if (hard_error) return Error(std::move(*hard_error)).with("pid " + std::to_string(tree[i]));
      if (i == 0) return Error(Errc::io, std::string(kProcessGone) + ": root exited");
      continue;  // a descendant exited mid-walk: its subtree was reparented away
    }
    // A reused pid could in theory point back up the tree; the check also ends cycles.
    for (pid_t child : children)
      if (!contains(tree, child)) tree.push_back(child);
  }
  return tree;
}

Result<std::vector<std::pair<pid_t, pid_t>>> scan_parent_links() {
  auto proc = ProcDir::open("/proc");
  if (!proc) return std::move(proc.error());
  std::vector<std::pair<pid_t, pid_t>> edges;  // (ppid, pid)
  std::string buf;
  char path[48];
  while (const char* name = proc->next()) {
    const auto pid = parse_pid(name);
    if (!pid) continue;  // "self", "meminfo", ...
    std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(*pid));
    if (!read_proc_file(path, buf)) continue;  // exited since readdir, or not ours to read
    const auto stat = parse_proc_stat(buf);
    if (!stat) continue;
    edges.emplace_back(stat->ppid, stat->pid);
  }
  return edges;
}

Result<std::vector<pid_t>> list_tree_from_stat_scan(pid_t root) {
  std::string buf;
  if (auto ok = require_root(root, buf); !ok) return std::move(ok.error());
  auto edges = scan_parent_links();
  if (!edges) return std::move(edges.error());
  std::vector<pid_t> tree{root};
  for (std::size_t i = 0; i < tree.size(); ++i)
    for (const auto& [ppid, pid] : *edges)
      if (ppid == tree[i] && !contains(tree, pid)) tree.push_back(pid);
  return tree;
}

}  // namespace detail

Result<std::vector<pid_t>> list_process_tree(pid_t root) {
  return detail::children_files_supported() ? detail::list_tree_from_children_files(root)
                                            : detail::list_tree_from_stat_scan(root);
}

}  // namespace mcpleak
