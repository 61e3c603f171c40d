#include "harness/analysis/session_growth.h"

#include "harness/analysis/theil_sen.h"

namespace mcpleak::analysis {
namespace {

constexpr std::uint64_t kMinSessions = 3;

}  // namespace

std::vector<PhaseSessionGrowth> session_growth_by_phase(std::span<const Sample> samples, const RunInfo& run) {
  std::vector<PhaseSessionGrowth> out;
  for (std::size_t i = 0; i < run.phases.size(); ++i) {
    const PhaseInfo& phase = run.phases[i];
    if (phase.session_close.empty()) continue;
    std::vector<Point> points;
    std::uint64_t first = 0, last = 0;
    for (const Sample& s : samples) {
      if (s.phase != static_cast<int>(i) || s.t_s < run.warmup_s) continue;
      if (points.empty()) first = s.sessions;
      last = s.sessions;
      points.push_back({static_cast<double>(s.sessions), static_cast<double>(s.tree.footprint_bytes), 0});
    }
    PhaseSessionGrowth g;
    g.phase = phase.name;
    g.close = phase.session_close;
    g.sessions = last - first;
    if (g.sessions >= kMinSessions) g.bytes_per_session = theil_sen(points, 0.025).slope;
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace mcpleak::analysis
