// Synthetic sample series for the analysis tests: a known deterministic shape plus seeded
// noise (white and AR(1)), 4 KiB page quantisation, jittered and missed 4 Hz ticks.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "harness/model/report.h"
#include "harness/model/sample.h"

namespace mcpleak::test {

inline constexpr double kMiB = 1024.0 * 1024.0;
inline constexpr double kKiB = 1024.0;

struct Synth {
  double duration_s = 120;
  double hz = 4;
  double base_bytes = 80 * kMiB;
  double slope_bytes_per_min = 0;           // linear part of the footprint
  std::function<double(double)> shape;      // extra deterministic footprint(t), bytes
  std::function<double(const Sample&)> per_state;  // footprint added from calls/sessions
  double white_sd_bytes = 0.25 * kMiB;
  double ar_phi = 0;                        // AR(1) coefficient per tick
  double ar_sd_bytes = 0;                   // stationary sd of the AR(1) part
  double miss_probability = 0;              // a tick the sampler missed
  double jitter_s = 0.02;                   // timestamp noise around the tick
  double calls_per_s = 0;                   // outside idle phases
  double sessions_per_s = 0;
  std::vector<PhaseInfo> phases;            // sample.phase follows these when given
  double rss_extra_bytes = 30 * kMiB;       // rss = footprint + this ...
  bool rss_flat = false;                    // ... or a constant (the swap trap)
};

inline std::vector<Sample> make_series(const Synth& g, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> unit(0.0, 1.0);
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  const double innovation = g.ar_sd_bytes * std::sqrt(1 - g.ar_phi * g.ar_phi);
  double ar = g.ar_sd_bytes * unit(rng);
  double calls = 0;
  double sessions = 0;
  std::vector<Sample> out;
  const auto ticks = static_cast<long>(g.duration_s * g.hz);
  double prev_t = 0;
  for (long i = 0; i <= ticks; ++i) {
    const double t = std::max(0.0, i / g.hz + g.jitter_s * (u01(rng) - 0.5));
    ar = g.ar_phi * ar + innovation * unit(rng);
    int phase = 0;
    for (std::size_t p = 0; p < g.phases.size(); ++p) {
      if (t >= g.phases[p].start_s) phase = static_cast<int>(p);
    }
    const bool idle = !g.phases.empty() && g.phases[static_cast<std::size_t>(phase)].idle;
    if (!idle) {
      calls += g.calls_per_s * (t - prev_t);
      sessions += g.sessions_per_s * (t - prev_t);
    }
    prev_t = t;
    if (u01(rng) < g.miss_probability) continue;
    Sample s;
    s.t_s = t;
    s.phase = phase;
    s.calls = static_cast<std::uint64_t>(calls);
    s.sessions = static_cast<std::uint64_t>(sessions);
    double bytes = g.base_bytes + g.slope_bytes_per_min * t / 60 + ar + g.white_sd_bytes * unit(rng);
    if (g.shape) bytes += g.shape(t);
    if (g.per_state) bytes += g.per_state(s);
    const auto pages = static_cast<std::uint64_t>(std::max(0.0, bytes) / 4096);
    s.tree.footprint_bytes = pages * 4096;
    s.tree.rss_bytes = g.rss_flat ? static_cast<std::uint64_t>(g.base_bytes + g.rss_extra_bytes)
                                  : s.tree.footprint_bytes +
                                        static_cast<std::uint64_t>(g.rss_extra_bytes);
    out.push_back(std::move(s));
  }
  return out;
}

// Successful calls as the series' call phases made them (calls_per_s outside idle
// phases): the call records of a run that exercised its server as planned.
inline std::vector<CallRecord> ok_calls(const Synth& g) {
  std::vector<CallRecord> out;
  if (g.calls_per_s <= 0) return out;
  for (double t = 0; t < g.duration_s; t += 1 / g.calls_per_s) {
    int phase = 0;
    for (std::size_t p = 0; p < g.phases.size(); ++p) {
      if (t >= g.phases[p].start_s) phase = static_cast<int>(p);
    }
    if (!g.phases.empty() && g.phases[static_cast<std::size_t>(phase)].idle) continue;
    CallRecord c;
    c.t_s = t;
    c.phase = phase;
    c.tool = "Snapshot";
    c.latency_ms = 5;
    c.ok = true;
    out.push_back(c);
  }
  return out;
}

inline RunInfo make_run(double budget_bytes_per_min = 1 * kMiB, double warmup_s = 5,
                        double min_duration_s = 30) {
  RunInfo run;
  run.budget_bytes_per_min = budget_bytes_per_min;
  run.warmup_s = warmup_s;
  run.min_duration_s = min_duration_s;
  return run;
}

// The "ordinary" noise of a Linux server: a slow AR(1) wander (GC, allocator) plus
// sampling noise; the values DESIGN.md describes are well inside it.
inline void ordinary_noise(Synth& g) {
  g.white_sd_bytes = 0.25 * kMiB;
  g.ar_phi = 0.9;
  g.ar_sd_bytes = 0.5 * kMiB;
  g.miss_probability = 0.05;
}

}  // namespace mcpleak::test
