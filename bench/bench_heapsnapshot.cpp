// One parse of a .heapsnapshot, for bench/heapsnapshot: prints seconds and the process's
// peak RSS, so each way of reading the file is measured in a process of its own.
//   bench_heapsnapshot graph|ids|diff|dom FILE
// graph: mcpleak's SAX parse into flat arrays (the third snapshot of a diff)
// ids:   the same, keeping node ids only (the first two snapshots)
// diff:  the whole diff job (two ids passes, one graph, the retainer search) on FILE x3
// dom:   nlohmann::json::parse of the whole file, for comparison
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/attribution/heap_diff_job.h"
#include "probes/heapsnapshot_parse.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: bench_heapsnapshot graph|ids|diff|dom FILE\n");
    return 2;
  }
  const std::string mode = argv[1];
  std::ifstream in(argv[2], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[2]);
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  std::size_t nodes = 0;
  if (mode == "graph") {
    auto s = mcpleak::parse_heapsnapshot(in);
    if (!s) return std::fprintf(stderr, "%s\n", s.error().describe().c_str()), 1;
    nodes = s->node_count();
  } else if (mode == "ids") {
    auto ids = mcpleak::heapsnapshot_ids(in);
    if (!ids) return std::fprintf(stderr, "%s\n", ids.error().describe().c_str()), 1;
    nodes = ids->size();
  } else if (mode == "diff") {
    // The whole job of one process's diff: two ids passes, one graph, the BFS. The same
    // file three times: nothing is new, everything else is done.
    const std::string f = argv[2];
    auto d = mcpleak::diff_snapshot_files(1, {{f, 0}, {f, 1}, {f, 2}}, "/tmp");
    if (!d) return std::fprintf(stderr, "%s\n", d.error().describe().c_str()), 1;
    nodes = d->still_alive;
  } else if (mode == "dom") {
    const auto j = nlohmann::json::parse(in);
    nodes = j["nodes"].size() / j["snapshot"]["meta"]["node_fields"].size();
  } else {
    std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
    return 2;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  std::printf("%s nodes=%zu seconds=%.2f peak_rss_mib=%.0f\n", mode.c_str(), nodes, seconds, ru.ru_maxrss / 1024.0);
  return 0;
}
