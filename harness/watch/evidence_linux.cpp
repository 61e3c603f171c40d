// Linux evidence: each process's /proc/PID/smaps_rollup (Rss, Pss, Private_Dirty, Swap of
// the whole address space) and /proc/PID/status, copied as the kernel printed them.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/watch/evidence.h"

namespace mcpleak::detail {

void capture_platform_evidence(const std::string& dir, const Sample& latest, Evidence& evidence) {
  namespace fs = std::filesystem;
  for (const auto& p : latest.tree.pids) {
    for (const char* file : {"smaps_rollup", "status"}) {
      const std::string from = "/proc/" + std::to_string(p.pid) + "/" + file;
      std::ifstream in(from);
      std::ostringstream text;
      if (in) text << in.rdbuf();
      if (!in || text.str().empty()) {
        evidence.notes.push_back(from + ": not readable (the process exited?)");
        continue;
      }
      const std::string name = std::string(file) + "." + std::to_string(p.pid) + ".txt";
      std::ofstream(fs::path(dir) / name) << text.str();
      evidence.files.push_back(name);
    }
  }
}

}  // namespace mcpleak::detail
