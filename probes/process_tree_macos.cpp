// list_process_tree for macOS: proc_listchildpids (libproc) level by level, so the
// result is root first and parents before children, as on Linux.
#include <errno.h>
#include <libproc.h>
#include <sys/proc_info.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "probes/probe.h"

namespace mcpleak {
namespace {

// The direct children of pid; empty when pid has none or has exited meanwhile.
std::vector<pid_t> children_of(pid_t pid) {
  // NOTE: proc_listchildpids returns a pid count, not bytes (libproc.c divides
  // proc_listpids' byte count by sizeof(int)); with a null buffer it is an estimate.
  int estimate = proc_listchildpids(pid, nullptr, 0);
  if (estimate < 0) return {};
  std::vector<pid_t> pids(static_cast<std::size_t>(estimate) + 16);
  for (int attempt = 0; attempt < 4; ++attempt) {
    const int capacity = static_cast<int>(pids.size());
    const int got = proc_listchildpids(pid, pids.data(), capacity * static_cast<int>(sizeof(pid_t)));
    if (got < 0) return {};
    if (got < capacity) {
      pids.resize(static_cast<std::size_t>(got));
      return pids;
    }
    pids.resize(pids.size() * 2);  // full buffer: children were forked meanwhile
  }
  return pids;
}

bool contains(const std::vector<pid_t>& pids, pid_t pid) {
  return std::find(pids.begin(), pids.end(), pid) != pids.end();
}

}  // namespace

Result<std::vector<pid_t>> list_process_tree(pid_t root) {
  proc_bsdshortinfo info{};
  if (proc_pidinfo(root, PROC_PIDT_SHORTBSDINFO, 0, &info, sizeof info) != sizeof info) {
    const int err = errno;
    return Error(Errc::io, err == ESRCH || err == 0 ? std::string("process gone")
                                                    : std::string("proc_pidinfo: ") +
                                                          std::strerror(err))
        .with("pid " + std::to_string(root));
  }
  std::vector<pid_t> tree{root};
  // Breadth first; the membership check guards against a pid reused into the tree
  // while it is walked (trees here are tens of pids, so linear search is fine).
  for (std::size_t next = 0; next < tree.size(); ++next) {
    for (pid_t child : children_of(tree[next])) {
      if (child > 0 && !contains(tree, child)) tree.push_back(child);
    }
  }
  return tree;
}

}  // namespace mcpleak
