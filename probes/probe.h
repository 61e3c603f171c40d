// The whole public surface of probes/: read the memory of one process, find a process
// tree, and sample that tree. A probe never sleeps, logs or reads a clock; the sampler
// owns cadence and timestamps.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string_view>
#include <vector>

#include "harness/model/sample.h"
#include "harness/result.h"

namespace mcpleak {

class Probe {
 public:
  virtual ~Probe() = default;
  virtual std::string_view name() const = 0;  // "proc_status", "libproc_rusage"
  // One process. Errc::io when the pid is gone (ESRCH/ENOENT) or unreadable.
  virtual Result<PidSample> sample(pid_t pid) = 0;
};

// The platform's footprint probe (probe_linux.cpp / probe_macos.cpp).
std::unique_ptr<Probe> make_footprint_probe();

// root and all its descendants, root first, parents before children. A pid that
// vanishes while the tree is walked is left out, not an error. Errc::io when root
// itself does not exist. (process_tree_linux.cpp / process_tree_macos.cpp)
Result<std::vector<pid_t>> list_process_tree(pid_t root);

// Samples every pid of root's tree and sums them. Pids that exit between listing and
// sampling are skipped; Errc::io only when root itself cannot be sampled.
Result<TreeSample> sample_tree(Probe& probe, pid_t root);

}  // namespace mcpleak
