// What one sample of a 3-process tree costs through the "proc_status" probe (plain
// /proc reads), against what a script would do: spawn `ps -o rss= -p PID` (via popen,
// so /bin/sh + ps per call) and read its output. Both run on the same live tree, in the
// same run, timed in wall-clock time since ps's work happens in child processes.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "probes/probe.h"
#include "probes/process_tree_linux.h"
#include "tests/unit/probes/spawned_tree_linux.h"

namespace {

constexpr std::size_t MiB = 1024 * 1024;

// One tree for the whole run; its destructor (at exit) kills and reaps all three.
mcpleak::test::SpawnedTree& tree() {
  static mcpleak::test::SpawnedTree t(16 * MiB);
  return t;
}

// RSS in kB of one or more comma-separated pids as ps prints them, summed. -1 on failure.
long ps_rss_kb(const std::string& pids) {
  const std::string command = "ps -o rss= -p " + pids;
  FILE* out = ::popen(command.c_str(), "r");
  if (out == nullptr) return -1;
  long sum = 0;
  char line[64];
  while (std::fgets(line, sizeof line, out) != nullptr) sum += std::strtol(line, nullptr, 10);
  const int status = ::pclose(out);
  return status == 0 ? sum : -1;
}

void BM_sample_tree_proc_status(benchmark::State& state) {
  if (!tree().ok()) return state.SkipWithError(tree().error().c_str());
  auto probe = mcpleak::make_footprint_probe();
  for (auto _ : state) {
    auto sampled = mcpleak::sample_tree(*probe, tree().root());
    if (!sampled || sampled->pids.size() != 3)
      return state.SkipWithError("sample_tree did not see the 3-process tree");
    benchmark::DoNotOptimize(sampled->footprint_bytes);
  }
}
BENCHMARK(BM_sample_tree_proc_status)->UseRealTime()->Unit(benchmark::kMicrosecond);

// The parts of one sample_tree: finding the tree, each way.
void BM_list_tree_children_files(benchmark::State& state) {
  if (!tree().ok()) return state.SkipWithError(tree().error().c_str());
  if (!mcpleak::detail::children_files_supported())
    return state.SkipWithError("no /proc/PID/task/TID/children on this kernel");
  for (auto _ : state) {
    auto listed = mcpleak::detail::list_tree_from_children_files(tree().root());
    if (!listed) return state.SkipWithError("listing failed");
    benchmark::DoNotOptimize(listed->data());
  }
}
BENCHMARK(BM_list_tree_children_files)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_list_tree_stat_scan(benchmark::State& state) {
  if (!tree().ok()) return state.SkipWithError(tree().error().c_str());
  for (auto _ : state) {
    auto listed = mcpleak::detail::list_tree_from_stat_scan(tree().root());
    if (!listed) return state.SkipWithError("listing failed");
    benchmark::DoNotOptimize(listed->data());
  }
}
BENCHMARK(BM_list_tree_stat_scan)->UseRealTime()->Unit(benchmark::kMicrosecond);

// One `ps -o rss= -p PID` per pid of the tree: three spawns per sample.
void BM_ps_rss_per_pid(benchmark::State& state) {
  if (!tree().ok()) return state.SkipWithError(tree().error().c_str());
  const std::string pids[] = {std::to_string(tree().root()), std::to_string(tree().busy()),
                              std::to_string(tree().idle())};
  for (auto _ : state) {
    long total = 0;
    for (const auto& pid : pids) {
      const long kb = ps_rss_kb(pid);
      if (kb <= 0) return state.SkipWithError("ps failed");
      total += kb;
    }
    benchmark::DoNotOptimize(total);
  }
}
BENCHMARK(BM_ps_rss_per_pid)->UseRealTime()->Unit(benchmark::kMicrosecond);

// The cheapest ps variant: one spawn for all three pids (-p A,B,C).
void BM_ps_rss_one_call(benchmark::State& state) {
  if (!tree().ok()) return state.SkipWithError(tree().error().c_str());
  const std::string pids = std::to_string(tree().root()) + "," + std::to_string(tree().busy()) +
                           "," + std::to_string(tree().idle());
  for (auto _ : state) {
    const long kb = ps_rss_kb(pids);
    if (kb <= 0) return state.SkipWithError("ps failed");
    benchmark::DoNotOptimize(kb);
  }
}
BENCHMARK(BM_ps_rss_one_call)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
