// make_tree_reader for Linux. For each process of the tree it keeps two /proc files open,
// status and its main thread's children file, and re-reads them with pread: a tick over
// a known tree is two syscalls per process, with no directory listing and no
// smaps_rollup. Children of worker threads and children missed by a racing listing are
// found by the costlier Discovery kinds, which the sampler asks for less often.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "probes/pid_read_linux.h"
#include "probes/proc_read_linux.h"
#include "probes/proc_stat_parse.h"
#include "probes/process_tree_linux.h"
#include "probes/tree_reader.h"

namespace mcpleak {
namespace {

// Trees under test are tens of pids, so a linear membership check beats a hash set.
bool contains(const std::vector<pid_t>& pids, pid_t pid) {
  return std::find(pids.begin(), pids.end(), pid) != pids.end();
}

class LinuxTreeReader final : public TreeReader {
 public:
  explicit LinuxTreeReader(pid_t root) : root_(root), order_{root} {}

  Result<TreeSample> read(Discovery how) override;
  bool add_memory_detail(PidSample& p) override { return add_smaps_rollup(p, buf_); }
  bool add_fd_count(PidSample& p) override { return mcpleak::add_fd_count(p); }

 private:
  struct Tracked {
    ProcFile status;
    std::optional<ProcFile> children;  // the main thread's; absent without CONFIG_PROC_CHILDREN
  };

  Result<PidSample> read_one(pid_t pid);
  void append_children(pid_t pid, Discovery how, std::vector<pid_t>& out);

  pid_t root_;
  std::vector<pid_t> order_;  // the latest tree, root first
  std::unordered_map<pid_t, Tracked> tracked_;
  std::string buf_;  // reused across reads: no allocation per tick once grown
  std::vector<pid_t> children_;
};

Result<PidSample> LinuxTreeReader::read_one(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/status", static_cast<int>(pid));
  auto it = tracked_.find(pid);
  if (it == tracked_.end()) {
    auto status = ProcFile::open(path);
    if (!status) return std::move(status.error());
    Tracked t{std::move(*status), std::nullopt};
    if (detail::children_files_supported()) {
      std::snprintf(path, sizeof path, "/proc/%d/task/%d/children", static_cast<int>(pid), static_cast<int>(pid));
      if (auto children = ProcFile::open(path)) t.children = std::move(*children);
      std::snprintf(path, sizeof path, "/proc/%d/status", static_cast<int>(pid));
    }
    it = tracked_.emplace(pid, std::move(t)).first;
  }
  if (auto read = it->second.status.read(buf_); !read) {
    tracked_.erase(it);  // gone: its files are bound to the dead process
    return Error(std::move(read.error())).with(path);
  }
  return pid_sample_from_status(pid, buf_, path);
}

void LinuxTreeReader::append_children(pid_t pid, Discovery how, std::vector<pid_t>& out) {
  if (!detail::children_files_supported()) return;  // only full scans find children then
  if (how == Discovery::known) {
    const auto it = tracked_.find(pid);
    if (it == tracked_.end() || !it->second.children) return;
    if (it->second.children->read(buf_)) (void)parse_children_list(buf_, out);
    return;
  }
  // A listing that fails (the process exited meanwhile) finds nothing: its children
  // were reparented away, and the next tick sees where.
  std::optional<Error> ignored;
  detail::append_children_of_every_thread(pid, buf_, out, ignored);
}

Result<TreeSample> LinuxTreeReader::read(Discovery how) {
  std::vector<pid_t> candidates = order_;
  if (how == Discovery::full_scan) {
    if (auto links = detail::scan_parent_links()) {
      for (std::size_t i = 0; i < candidates.size(); ++i)
        for (const auto& link : *links)
          if (link.first == candidates[i] && !contains(candidates, link.second)) candidates.push_back(link.second);
    }
  }

  std::vector<PidSample> seen;
  seen.reserve(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const pid_t pid = candidates[i];
    auto sample = read_one(pid);
    if (!sample) {
      if (pid == root_) return Error(std::move(sample.error())).with("pid " + std::to_string(root_));
      continue;  // exited since the last tick: churn, not an error
    }
    children_.clear();
    append_children(pid, how, children_);
    for (pid_t child : children_)
      if (!contains(candidates, child)) candidates.push_back(child);
    seen.push_back(std::move(*sample));
  }

  // The tree is the root and whatever its parent links lead back to, walked breadth
  // first from the root: a process reparented away (its parent exited) leaves the tree,
  // as it would from a fresh listing. seen[0] is the root.
  TreeSample tree;
  tree.pids.reserve(seen.size());
  std::vector<bool> taken(seen.size(), false);
  tree.pids.push_back(std::move(seen[0]));
  taken[0] = true;
  for (std::size_t i = 0; i < tree.pids.size(); ++i) {
    const pid_t parent = tree.pids[i].pid;
    for (std::size_t j = 1; j < seen.size(); ++j) {
      if (!taken[j] && seen[j].ppid == parent) {
        taken[j] = true;
        tree.pids.push_back(std::move(seen[j]));
      }
    }
  }
  order_.clear();
  for (const auto& p : tree.pids) order_.push_back(p.pid);
  for (auto it = tracked_.begin(); it != tracked_.end();) {
    it = contains(order_, it->first) ? std::next(it) : tracked_.erase(it);
  }
  total_tree(tree);
  return tree;
}

}  // namespace

std::unique_ptr<TreeReader> make_tree_reader(pid_t root) { return std::make_unique<LinuxTreeReader>(root); }

}  // namespace mcpleak
