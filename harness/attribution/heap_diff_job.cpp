#include "harness/attribution/heap_diff_job.h"

#include <filesystem>
#include <fstream>

#include "harness/analysis/heap_diff.h"
#include "harness/model/serialize.h"
#include "probes/heapsnapshot_parse.h"

namespace mcpleak {

Result<HeapSnapshotDiff> diff_snapshot_files(pid_t pid, const std::vector<TakenSnapshot>& three,
                                             const std::string& out_dir) {
  if (three.size() != 3) return Error(Errc::usage, "a heap diff takes three snapshots");
  std::vector<std::vector<std::uint32_t>> ids;
  for (int i = 0; i < 2; ++i) {
    std::ifstream in(three[i].path, std::ios::binary);
    if (!in) return Error(Errc::io, "cannot read").with(three[i].path);
    auto read = heapsnapshot_ids(in);
    if (!read) return Error(read.error()).with(three[i].path);
    ids.push_back(std::move(*read));
  }
  std::ifstream in(three[2].path, std::ios::binary);
  if (!in) return Error(Errc::io, "cannot read").with(three[2].path);
  auto graph = parse_heapsnapshot(in);
  if (!graph) return Error(graph.error()).with(three[2].path);
  HeapSnapshotDiff diff =
      analysis::diff_heap_snapshots(ids[0], ids[1], *graph, three[1].calls - three[0].calls);
  diff.pid = pid;
  for (const auto& s : three) {
    diff.snapshots.push_back(std::filesystem::path(s.path).filename().string());
    diff.calls.push_back(s.calls);
  }
  const auto out = std::filesystem::path(out_dir) / ("heap-diff." + std::to_string(pid) + ".json");
  std::ofstream(out) << to_json_value(diff).dump(2) << "\n";
  return diff;
}

}  // namespace mcpleak
