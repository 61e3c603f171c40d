#include "harness/watch/evidence.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace mcpleak {
namespace detail {

std::string processes_table(const Sample& sample) {
  std::vector<const PidSample*> rows;
  for (const auto& p : sample.tree.pids) rows.push_back(&p);
  std::sort(rows.begin(), rows.end(),
            [](const PidSample* a, const PidSample* b) { return a->footprint_bytes > b->footprint_bytes; });
  auto optional = [](const auto& v) { return v ? std::to_string(*v) : std::string("-"); };
  std::string out = "# t_s=" + std::to_string(sample.t_s) + " calls=" + std::to_string(sample.calls) +
                    " footprint_bytes=" + std::to_string(sample.tree.footprint_bytes) + "\n";
  out += "pid\tppid\tname\tfootprint_bytes\trss_bytes\tswap_bytes\tprivate_dirty_bytes\tthreads\tfds\n";
  for (const PidSample* p : rows) {
    out += std::to_string(p->pid) + "\t" + std::to_string(p->ppid) + "\t" + (p->name.empty() ? "-" : p->name) + "\t" +
           std::to_string(p->footprint_bytes) + "\t" + std::to_string(p->rss_bytes) + "\t" + optional(p->swap_bytes) +
           "\t" + optional(p->private_dirty_bytes) + "\t" + optional(p->threads) + "\t" + optional(p->fds) + "\n";
  }
  return out;
}

}  // namespace detail

Evidence capture_evidence(const std::string& run_dir, int n, const Sample& latest) {
  namespace fs = std::filesystem;
  Evidence evidence;
  evidence.dir = "evidence-" + std::to_string(n);
  const fs::path dir = fs::path(run_dir) / evidence.dir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    evidence.notes.push_back("cannot create " + dir.string() + ": " + ec.message());
    return evidence;
  }
  if (std::ofstream out(dir / "processes.tsv"); out << detail::processes_table(latest)) {
    evidence.files.push_back("processes.tsv");
  } else {
    evidence.notes.push_back("cannot write processes.tsv");
  }
  detail::capture_platform_evidence(dir.string(), latest, evidence);
  return evidence;
}

}  // namespace mcpleak
