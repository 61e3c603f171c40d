// verdict_line(): the one-line verdict shared by summary.md, junit.xml and report.html.
#include <algorithm>
#include <cmath>

#include "reports/report.h"
#include "reports/units.h"

namespace mcpleak {
namespace {

std::string upper_verdict(Verdict v) {
  switch (v) {
    case Verdict::bounded: return "BOUNDED";
    case Verdict::leaking: return "LEAKING";
    case Verdict::inconclusive: return "INCONCLUSIVE";
    case Verdict::server_failed: return "SERVER FAILED";
  }
  return "INCONCLUSIVE";
}

// "+11.8 MiB/min (95% CI 10.9–12.6)": slope and interval in one unit, chosen from the
// largest of the three so that a wide interval around a tiny slope still reads well.
std::string slope_with_interval(const Report& r) {
  const auto& g = r.growth;
  if (!g.fitted) return "no slope (too few samples)";  // a 0 from no data would read as flat
  const double widest = std::max({std::fabs(g.bytes_per_min), std::fabs(g.ci95_bytes_per_min.lo),
                                  std::fabs(g.ci95_bytes_per_min.hi)});
  const reports::ByteUnit unit = reports::byte_unit_for(widest);
  std::string slope = reports::format_in_unit(g.bytes_per_min, unit);
  if (slope != "0" && slope[0] != '-') slope = "+" + slope;
  const std::string lo = reports::format_in_unit(g.ci95_bytes_per_min.lo, unit);
  const std::string hi = reports::format_in_unit(g.ci95_bytes_per_min.hi, unit);
  // An en dash between two negative numbers reads as a minus sign; spell it out then.
  const std::string sep = g.ci95_bytes_per_min.lo < 0 ? " to " : "\u2013";
  return slope + " " + unit.name + "/min (95% CI " + lo + sep + hi + ")";
}

// ", python3 (pid 4313) +11.6 MiB/min of the tree's +11.8": which process grows, when
// the tree has more than one. Empty when there is one process or no share to give.
std::string growing_process(const Report& r) {
  if (r.processes.size() + r.transient_processes.size() < 2 || r.processes.empty()) return "";
  const ProcessGrowth& top = r.processes.front();
  if (!top.share_of_growth) return "";
  const std::string name = top.name.empty() ? "pid " + std::to_string(top.pid)
                                            : top.name + " (pid " + std::to_string(top.pid) + ")";
  return ", " + name + " " + reports::format_signed_bytes(top.bytes_per_min) + "/min of the tree's " +
         reports::format_signed_bytes(r.growth.bytes_per_min) + "/min";
}

}  // namespace

std::string verdict_line(const Report& r) {
  std::string line = upper_verdict(r.verdict) + ": ";
  if (r.verdict == Verdict::server_failed) {
    return line + (r.run.server_failure ? *r.run.server_failure : r.reason);
  }
  if (r.verdict == Verdict::inconclusive && r.exercise.required && !r.exercise.exercised) {
    // What a person must fix first: the scenario did not run, whatever the slope.
    return line + "not exercised: " + r.exercise.reason + "; footprint " + slope_with_interval(r);
  }
  if (!r.run.reconnect_cycles.empty()) {
    // The server restarted every cycle: what the disconnects left is the verdict.
    for (const ResourceVerdict& v : r.resources) {
      if (v.name == "orphans") return line + (v.verdict == "leaking" ? v.headline : v.why);
    }
    return line + r.reason;
  }
  // A counted resource that leaks leads: "fds +1.00 per call (8 → 1,208); footprint bounded".
  std::string leaks;
  for (const ResourceVerdict& v : r.resources) {
    if (v.verdict == "leaking") leaks += (leaks.empty() ? "" : ", ") + v.headline;
  }
  if (r.verdict == Verdict::leaking && !leaks.empty() && r.footprint_verdict != "leaking") {
    return line + leaks + "; footprint " + (r.footprint_verdict.empty() ? "not judged" : r.footprint_verdict) +
           " (" + slope_with_interval(r) + ")";
  }
  line += slope_with_interval(r);
  if (r.growth.bytes_per_call) {
    line += ", " + reports::format_signed_bytes(*r.growth.bytes_per_call) + "/call";
  }
  if (r.growth.bytes_per_session) {
    line += ", " + reports::format_signed_bytes(*r.growth.bytes_per_session) + "/session";
  }
  if (r.verdict == Verdict::leaking) {
    line += growing_process(r);
    if (r.retained_bytes) {
      line += ", retained " + reports::format_bytes(*r.retained_bytes) + " after idle";
    }
    if (!leaks.empty()) line += "; also " + leaks;
  } else {
    line += ", budget " + reports::format_bytes(r.run.budget_bytes_per_min) + "/min";
  }
  return line;
}

}  // namespace mcpleak
