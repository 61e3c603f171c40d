// How long the verdict takes: analyse() over a 30-minute run at 4 Hz (7200 samples, with
// a call loop and an idle phase so attribution runs too) and one interim look over the
// first minute (240 samples), the call the runner makes every few seconds.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "harness/analysis/analysis.h"

namespace {

using namespace mcpleak;

constexpr double kMiB = 1024.0 * 1024.0;

// A leak of 2 MiB/min in calls, AR(1) plus white noise, 4 KiB pages.
std::vector<Sample> series(std::size_t n, RunInfo& run) {
  std::mt19937 rng(42);
  std::normal_distribution<double> unit(0, 1);
  const double total_s = static_cast<double>(n) / 4;
  run.budget_bytes_per_min = kMiB;
  run.warmup_s = 5;
  run.min_duration_s = 30;
  run.phases = {PhaseInfo{"loop", false, 0, total_s * 0.8, 0, ""},
                PhaseInfo{"idle", true, total_s * 0.8, total_s, 0, ""}};
  std::vector<Sample> out;
  double ar = 0;
  double calls = 0;
  for (std::size_t i = 0; i < n; ++i) {
    Sample s;
    s.t_s = static_cast<double>(i) / 4;
    s.phase = s.t_s < total_s * 0.8 ? 0 : 1;
    if (s.phase == 0) calls += 1.25;
    s.calls = static_cast<std::uint64_t>(calls);
    ar = 0.9 * ar + 0.5 * kMiB * std::sqrt(1 - 0.81) * unit(rng);
    const double bytes = 80 * kMiB + 2 * kMiB / 75 * calls + ar + 0.25 * kMiB * unit(rng);
    s.tree.footprint_bytes = static_cast<std::uint64_t>(bytes / 4096) * 4096;
    s.tree.rss_bytes = s.tree.footprint_bytes + static_cast<std::uint64_t>(30 * kMiB);
    s.diagnostics["observers"] = std::floor(s.t_s / 10);
    out.push_back(std::move(s));
  }
  return out;
}

void BM_analyse_30min(benchmark::State& state) {
  RunInfo run;
  const auto samples = series(static_cast<std::size_t>(state.range(0)), run);
  std::vector<CallRecord> calls(static_cast<std::size_t>(state.range(0)));
  for (std::size_t i = 0; i < calls.size(); ++i) calls[i].latency_ms = static_cast<double>(i % 97);
  for (auto _ : state) {
    Report r = analyse(samples, calls, run);
    benchmark::DoNotOptimize(r.growth.bytes_per_min);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_analyse_30min)->Arg(7200)->Unit(benchmark::kMillisecond);

void BM_sequential_look(benchmark::State& state) {
  RunInfo run;
  const auto samples = series(static_cast<std::size_t>(state.range(0)), run);
  run.phases.clear();
  for (auto _ : state) {
    Look l = sequential_look(samples, run, 6, Exercise{});
    benchmark::DoNotOptimize(l.bytes_per_min);
  }
}
BENCHMARK(BM_sequential_look)->Arg(240)->Arg(7200)->Unit(benchmark::kMillisecond);

}  // namespace
