// sample_tree: platform-neutral glue between list_process_tree and a Probe.
#include "probes/probe.h"

#include <string>

namespace mcpleak {

Result<TreeSample> sample_tree(Probe& probe, pid_t root) {
  auto pids = list_process_tree(root);
  if (!pids) return Error(pids.error()).with("pid " + std::to_string(root));
  TreeSample tree;
  tree.pids.reserve(pids->size());
  for (pid_t pid : *pids) {
    auto one = probe.sample(pid);
    if (!one) {
      // A child that exits between listing and reading is normal churn, not an error.
      if (pid == root) return Error(one.error()).with("pid " + std::to_string(root));
      continue;
    }
    tree.pids.push_back(std::move(*one));
  }
  total_tree(tree);
  return tree;
}

}  // namespace mcpleak
