// make_tree_reader for macOS. Listing a tree costs a proc_listchildpids call per process
// and reading one costs three libproc calls (rusage, BSD info, task info): no files, no
// tool spawns, so every tick lists the whole tree whatever Discovery asks for. The fd
// listing, which grows with the fds a process holds, waits until it is due. vmmap and
// footprint(1) run elsewhere at their own low cadence (harness/runner/region_sampler.h).
#include <string>
#include <vector>

#include "probes/libproc_read_macos.h"
#include "probes/probe.h"
#include "probes/tree_reader.h"

namespace mcpleak {
namespace {

class MacTreeReader final : public TreeReader {
 public:
  explicit MacTreeReader(pid_t root) : root_(root) {}

  Result<TreeSample> read(Discovery /*how*/) override {
    auto pids = list_process_tree(root_);
    if (!pids) return Error(pids.error()).with("pid " + std::to_string(root_));
    TreeSample tree;
    tree.pids.reserve(pids->size());
    for (pid_t pid : *pids) {
      auto one = read_libproc_basics(pid);
      if (!one) {
        if (pid == root_) return Error(one.error()).with("pid " + std::to_string(root_));
        continue;  // exited between listing and reading: churn, not an error
      }
      tree.pids.push_back(std::move(*one));
    }
    total_tree(tree);
    return tree;
  }

  bool add_memory_detail(PidSample& /*p*/) override { return false; }  // no smaps here

  bool add_fd_count(PidSample& p) override {
    const auto fds = libproc_fd_count(p.pid, fd_buf_);
    if (!fds) return false;
    p.fds = *fds;
    return true;
  }

 private:
  pid_t root_;
  std::vector<proc_fdinfo> fd_buf_;  // reused across calls
};

}  // namespace

// No files to keep open here: max_open_files does not apply.
std::unique_ptr<TreeReader> make_tree_reader(pid_t root, std::size_t /*max_open_files*/) {
  return std::make_unique<MacTreeReader>(root);
}

}  // namespace mcpleak
