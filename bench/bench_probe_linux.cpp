// What one sampler tick costs on Linux, on two live trees this benchmark spawns:
//  * small: 3 processes (tests/unit/probes/spawned_tree_linux.h), one of them 16 MiB;
//  * wide:  30 processes shaped like a browser's (wide_tree_linux.h): 29 children with
//           12 threads and MCPLEAK_BENCH_TREE_MB (default 200) MiB written each, split
//           into ~1,600 mappings.
// Side by side, in one run:
//  * before:  the tick as it was until 2026-12 (every thread's children file, status,
//             smaps_rollup and an /proc/PID/fd listing of every process, each file opened
//             and closed), rebuilt here from the same primitives;
//  * tick:    the sampler's tick now (TreeTick: kept-open files, extras on their
//             cadence), averaged over many ticks so the slow reads count at their share;
//  * fast:    the cheapest tick (known pids only, no extras);
//  * ps:      `ps -o rss= -p PID` spawned per pid, and once for all pids, as scripts do.
// Wall-clock time: ps's work happens in child processes.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "harness/sampler/tree_tick.h"
#include "probes/pid_read_linux.h"
#include "probes/proc_read_linux.h"
#include "probes/process_tree_linux.h"
#include "probes/tree_reader.h"
#include "tests/unit/probes/spawned_tree_linux.h"
#include "tests/unit/probes/wide_tree_linux.h"

namespace {

constexpr std::size_t MiB = 1024 * 1024;

struct Tree {
  std::string error;
  pid_t root = -1;
  std::vector<pid_t> pids;
};

// One tree of each shape for the whole run; destroyed (killed and reaped) at exit.
const Tree& small_tree() {
  static mcpleak::test::SpawnedTree t(16 * MiB);
  static const Tree tree{t.error(), t.root(), {t.root(), t.busy(), t.idle()}};
  return tree;
}

const Tree& wide_tree() {
  static const std::size_t mb = [] {
    const char* env = std::getenv("MCPLEAK_BENCH_TREE_MB");
    return env != nullptr ? std::strtoul(env, nullptr, 10) : 200;
  }();
  static mcpleak::test::WideTree t(29, 12, mb * MiB);
  static const Tree tree{t.error(), t.root(), t.all()};
  return tree;
}

const Tree& tree_for(const benchmark::State& state) { return state.range(0) == 0 ? small_tree() : wide_tree(); }

// The tick before 2026-12, from the same primitives: list every thread's children, then
// per process status + smaps_rollup + an fd listing, each file opened and closed.
std::size_t old_tick(pid_t root, std::string& buf) {
  auto pids = mcpleak::detail::list_tree_from_children_files(root);
  if (!pids) return 0;
  std::size_t read = 0;
  char path[64];
  for (pid_t pid : *pids) {
    std::snprintf(path, sizeof path, "/proc/%d/status", static_cast<int>(pid));
    if (!mcpleak::read_proc_file(path, buf)) continue;
    auto sample = mcpleak::pid_sample_from_status(pid, buf, path);
    if (!sample) continue;
    mcpleak::add_smaps_rollup(*sample, buf);
    if (const auto fds = mcpleak::detail::fd_count_by_listing(pid)) sample->fds = *fds;
    ++read;
  }
  return read;
}

void BM_tick_before(benchmark::State& state) {
  const Tree& tree = tree_for(state);
  if (!tree.error.empty()) return state.SkipWithError(tree.error.c_str());
  std::string buf;
  for (auto _ : state) {
    if (old_tick(tree.root, buf) != tree.pids.size()) return state.SkipWithError("did not read the whole tree");
  }
}

void BM_tick_now(benchmark::State& state) {
  const Tree& tree = tree_for(state);
  if (!tree.error.empty()) return state.SkipWithError(tree.error.c_str());
  mcpleak::TreeTick tick({tree.root}, std::chrono::milliseconds(250));
  for (auto _ : state) {
    auto sample = tick.take();
    if (!sample || sample->pids.size() != tree.pids.size()) return state.SkipWithError("did not read the whole tree");
    benchmark::DoNotOptimize(sample->footprint_bytes);
  }
  state.counters["ticks"] = static_cast<double>(tick.ticks());
}

void BM_tick_fast(benchmark::State& state) {
  const Tree& tree = tree_for(state);
  if (!tree.error.empty()) return state.SkipWithError(tree.error.c_str());
  auto reader = mcpleak::make_tree_reader(tree.root);
  if (!reader->read(mcpleak::Discovery::every_thread)) return state.SkipWithError("first read failed");
  for (auto _ : state) {
    auto sample = reader->read(mcpleak::Discovery::known);
    if (!sample || sample->pids.size() != tree.pids.size()) return state.SkipWithError("did not read the whole tree");
    benchmark::DoNotOptimize(sample->footprint_bytes);
  }
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

void BM_ps_per_pid(benchmark::State& state) {
  const Tree& tree = tree_for(state);
  if (!tree.error.empty()) return state.SkipWithError(tree.error.c_str());
  for (auto _ : state) {
    long total = 0;
    for (pid_t pid : tree.pids) {
      const long kb = ps_rss_kb(std::to_string(pid));
      if (kb <= 0) return state.SkipWithError("ps failed");
      total += kb;
    }
    benchmark::DoNotOptimize(total);
  }
}

void BM_ps_one_call(benchmark::State& state) {
  const Tree& tree = tree_for(state);
  if (!tree.error.empty()) return state.SkipWithError(tree.error.c_str());
  std::string pids;
  for (pid_t pid : tree.pids) pids += (pids.empty() ? "" : ",") + std::to_string(pid);
  for (auto _ : state) {
    const long kb = ps_rss_kb(pids);
    if (kb <= 0) return state.SkipWithError("ps failed");
    benchmark::DoNotOptimize(kb);
  }
}

// Arg 0: the 3-process tree; 1: the 30-process wide tree.
void trees(benchmark::internal::Benchmark* b) { b->ArgName("wide")->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMicrosecond); }

BENCHMARK(BM_tick_before)->Apply(trees);
BENCHMARK(BM_tick_now)->Apply(trees);
BENCHMARK(BM_tick_fast)->Apply(trees);
BENCHMARK(BM_ps_per_pid)->Apply(trees)->Iterations(3);
BENCHMARK(BM_ps_one_call)->Apply(trees)->Iterations(10);

}  // namespace
