// macOS evidence: `vmmap -summary` and `sample PID 3` of the largest process, and
// `footprint -f bytes` of every process of the tree in one call (type-checked against the
// macOS 14 SDK; not run on a Mac).
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "harness/watch/evidence.h"
#include "probes/macos_tools.h"

namespace mcpleak::detail {

void capture_platform_evidence(const std::string& dir, const Sample& latest, Evidence& evidence) {
  namespace fs = std::filesystem;
  if (latest.tree.pids.empty()) return;
  const auto largest = std::max_element(latest.tree.pids.begin(), latest.tree.pids.end(),
                                        [](const PidSample& a, const PidSample& b) {
                                          return a.footprint_bytes < b.footprint_bytes;
                                        })->pid;
  std::vector<pid_t> pids;
  for (const auto& p : latest.tree.pids) pids.push_back(p.pid);
  auto keep = [&](const std::string& name, const Result<std::string>& text) {
    if (!text) {
      evidence.notes.push_back(name + ": " + text.error().describe());
      return;
    }
    std::ofstream(fs::path(dir) / name) << *text;
    evidence.files.push_back(name);
  };
  keep("vmmap-summary." + std::to_string(largest) + ".txt", run_vmmap_summary_text(largest));
  keep("footprint.txt", run_footprint_text(pids));
  keep("sample." + std::to_string(largest) + ".txt", run_sample(largest, 3));
}

}  // namespace mcpleak::detail
