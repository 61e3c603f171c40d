// make_tree_reader for Linux. For each process of the tree it keeps its /proc files open,
// status and one children file per thread, and re-reads them with pread: a tick over a
// known tree is one syscall per process plus one per thread, with no directory listing
// and no smaps_rollup. A process's threads are listed again only when its thread count
// changed, or on an every_thread tick (a thread replaced by another keeps the count).
// Past a budget of open files the rest of a huge tree is read with open/read/close.
#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "probes/pid_read_linux.h"
#include "probes/proc_line_parse.h"
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
  LinuxTreeReader(pid_t root, std::size_t max_files) : root_(root), max_files_(max_files), order_{root} {}

  Result<TreeSample> read(Discovery how) override;
  bool add_memory_detail(PidSample& p) override { return add_smaps_rollup(p, buf_); }
  bool add_fd_count(PidSample& p) override { return mcpleak::add_fd_count(p); }

 private:
  struct ThreadChildren {
    pid_t tid;
    ProcFile file;
  };
  struct Tracked {
    ProcFile status;
    std::vector<ThreadChildren> children;  // kept open, one per thread listed
    std::uint32_t threads_listed = 0;      // the thread count when they were listed; 0: never
    bool partial = false;  // some threads' files did not fit the budget
  };

  Result<PidSample> read_one(pid_t pid);
  // Opens a children file per thread of pid that is not open yet (within the budget)
  // and closes those of threads that ended.
  void list_threads(pid_t pid, Tracked& t, std::uint32_t threads);
  void append_children(const PidSample& p, Discovery how, std::vector<pid_t>& out);
  void forget(std::unordered_map<pid_t, Tracked>::iterator it);
  std::optional<pid_t> read_parent(pid_t pid);  // from /proc/PID/stat; nullopt when unreadable

  pid_t root_;
  std::size_t max_files_;     // kept-open files, at most
  std::size_t open_files_ = 0;
  std::vector<pid_t> order_;  // the latest tree, root first
  std::unordered_map<pid_t, Tracked> tracked_;
  std::string buf_;  // reused across reads: no allocation per tick once grown
  std::vector<pid_t> children_;
  std::vector<pid_t> tids_;
};

std::optional<pid_t> LinuxTreeReader::read_parent(pid_t pid) {
  char path[48];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  if (!read_proc_file(path, buf_)) return std::nullopt;
  const auto stat = parse_proc_stat(buf_);
  if (!stat) return std::nullopt;
  return stat->ppid;
}

void LinuxTreeReader::forget(std::unordered_map<pid_t, Tracked>::iterator it) {
  open_files_ -= 1 + it->second.children.size();
  tracked_.erase(it);
}

Result<PidSample> LinuxTreeReader::read_one(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/status", static_cast<int>(pid));
  auto it = tracked_.find(pid);
  if (it == tracked_.end() && open_files_ < max_files_) {
    auto status = ProcFile::open(path);
    if (!status) return Error(std::move(status.error())).with(path);
    ++open_files_;
    it = tracked_.emplace(pid, Tracked{std::move(*status), {}, 0, false}).first;
  }
  if (it == tracked_.end()) {
    if (auto read = read_proc_file(path, buf_); !read) return Error(std::move(read.error())).with(path);
  } else if (auto read = it->second.status.read(buf_); !read) {
    forget(it);  // gone: its files are bound to the dead process
    return Error(std::move(read.error())).with(path);
  }
  return pid_sample_from_status(pid, buf_, path);
}

void LinuxTreeReader::list_threads(pid_t pid, Tracked& t, std::uint32_t threads) {
  char path[80];
  std::snprintf(path, sizeof path, "/proc/%d/task", static_cast<int>(pid));
  auto dir = ProcDir::open(path);
  if (!dir) return;  // exited meanwhile: the next status read says so
  tids_.clear();
  while (const char* name = dir->next())
    if (const auto tid = detail::parse_pid(name)) tids_.push_back(*tid);
  const auto before = t.children.size();
  t.children.erase(std::remove_if(t.children.begin(), t.children.end(),
                                  [&](const ThreadChildren& c) { return !contains(tids_, c.tid); }),
                   t.children.end());
  open_files_ -= before - t.children.size();
  t.partial = false;
  for (pid_t tid : tids_) {
    if (std::any_of(t.children.begin(), t.children.end(), [&](const ThreadChildren& c) { return c.tid == tid; }))
      continue;
    if (open_files_ >= max_files_) {
      t.partial = true;
      break;
    }
    std::snprintf(path, sizeof path, "/proc/%d/task/%d/children", static_cast<int>(pid), static_cast<int>(tid));
    if (auto file = ProcFile::open(path)) {
      t.children.push_back({tid, std::move(*file)});
      ++open_files_;
    }
  }
  t.threads_listed = threads;
}

void LinuxTreeReader::append_children(const PidSample& p, Discovery how, std::vector<pid_t>& out) {
  if (!detail::children_files_supported()) return;  // only full scans find children then
  const auto it = tracked_.find(p.pid);
  const std::uint32_t threads = p.threads.value_or(0);
  if (it != tracked_.end()) {
    Tracked& t = it->second;
    if (how != Discovery::known) {
      // Opened afresh: a thread id reused by a new thread of the same process would
      // otherwise keep the old thread's (empty) file.
      open_files_ -= t.children.size();
      t.children.clear();
    }
    if (how != Discovery::known || t.threads_listed != threads) list_threads(p.pid, t, threads);
    // A thread that ended since the listing reads as empty: its children moved to a
    // sibling thread, whose file is read too.
    for (auto& c : t.children)
      if (c.file.read(buf_)) (void)parse_children_list(buf_, out);
    if (!t.partial) return;
  }
  // Not tracked (past the file budget): the main thread's children at every tick, every
  // thread's on the ticks that list them. A listing that fails (the process exited
  // meanwhile) finds nothing: its children were reparented away, and the next tick sees where.
  if (how == Discovery::known) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/task/%d/children", static_cast<int>(p.pid), static_cast<int>(p.pid));
    if (read_proc_file(path, buf_)) (void)parse_children_list(buf_, out);
    return;
  }
  std::optional<Error> ignored;
  detail::append_children_of_every_thread(p.pid, buf_, out, ignored);
}

Result<TreeSample> LinuxTreeReader::read(Discovery how) {
  std::vector<pid_t> candidates = order_;
  if (how == Discovery::full_scan || (how == Discovery::every_thread && !detail::children_files_supported())) {
    if (auto links = detail::scan_parent_links()) {
      for (std::size_t i = 0; i < candidates.size(); ++i)
        for (const auto& link : *links)
          if (link.first == candidates[i] && !contains(candidates, link.second)) candidates.push_back(link.second);
    }
  }

  // Every process read, and those alive whose status could not be read (no memory
  // lines: a leader whose main thread exited while its other threads run) with their
  // parent from /proc/PID/stat: they carry no sample, but their children stay in the tree.
  struct Member {
    pid_t pid;
    pid_t ppid;
    std::optional<PidSample> sample;
  };
  std::vector<Member> seen;
  seen.reserve(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const pid_t pid = candidates[i];
    auto sample = read_one(pid);
    children_.clear();
    if (sample) {
      append_children(*sample, how, children_);
      seen.push_back({pid, sample->ppid, std::move(*sample)});
    } else if (pid == root_) {
      return Error(std::move(sample.error())).with("pid " + std::to_string(root_));
    } else if (is_process_gone(sample.error())) {
      continue;  // exited since the last tick: churn, not an error
    } else {
      const auto ppid = read_parent(pid);
      if (!ppid) continue;
      std::optional<Error> ignored;
      if (detail::children_files_supported()) detail::append_children_of_every_thread(pid, buf_, children_, ignored);
      seen.push_back({pid, *ppid, std::nullopt});
    }
    for (pid_t child : children_)
      if (!contains(candidates, child)) candidates.push_back(child);
  }

  // The tree is the root and whatever its parent links lead back to, walked breadth
  // first from the root: a process reparented away (its parent exited) leaves the tree,
  // as it would from a fresh listing. seen[0] is the root.
  order_.assign(1, root_);
  std::vector<bool> taken(seen.size(), false);
  taken[0] = true;
  for (std::size_t i = 0; i < order_.size(); ++i) {
    for (std::size_t j = 1; j < seen.size(); ++j) {
      if (!taken[j] && seen[j].ppid == order_[i]) {
        taken[j] = true;
        order_.push_back(seen[j].pid);
      }
    }
  }
  TreeSample tree;
  tree.pids.reserve(order_.size());
  for (pid_t pid : order_) {
    for (auto& m : seen)
      if (m.pid == pid && m.sample) tree.pids.push_back(std::move(*m.sample));
  }
  for (auto it = tracked_.begin(); it != tracked_.end();) {
    if (contains(order_, it->first)) {
      ++it;
    } else {
      auto gone = it++;
      forget(gone);
    }
  }
  total_tree(tree);
  return tree;
}

}  // namespace

std::unique_ptr<TreeReader> make_tree_reader(pid_t root, std::size_t max_files) {
  return std::make_unique<LinuxTreeReader>(root, max_files);
}

}  // namespace mcpleak
