// analysis/processes: which process of the tree grows. Synthetic trees whose per-process
// truth is known: a flat wrapper (uv), a leaking child (python3), a helper that comes and
// goes; the shares must follow the truth.
#include <string>
#include <vector>

#include "harness/analysis/analysis.h"
#include "harness/analysis/processes.h"
#include "tests/support/catch.h"
#include "tests/unit/harness/analysis_synthetic.h"

using namespace mcpleak;
using namespace mcpleak::test;

namespace {

// 0-120 s at 4 Hz: uv (pid 100) flat at 20 MiB, python3 (pid 101, child of 100) from 60 MiB
// growing `leak_per_min`, and an osascript helper (pid 102+k) alive 2 s of every 20.
std::vector<Sample> tree_series(double leak_per_min) {
  std::vector<Sample> out;
  for (int i = 0; i <= 480; ++i) {
    Sample s;
    s.t_s = i / 4.0;
    const double wobble = ((i * 7919) % 13 - 6) * 4096.0;  // page-sized noise
    PidSample uv{100, 1, "uv", static_cast<std::uint64_t>(20 * kMiB + wobble), 0, {}, {}, {}, {}, {}, {}};
    PidSample py{101, 100, "python3",
                 static_cast<std::uint64_t>(60 * kMiB + leak_per_min * s.t_s / 60 - wobble), 0, {}, {}, {}, {}, {}, {}};
    s.tree.pids = {uv, py};
    if (static_cast<int>(s.t_s) % 20 < 2) {
      const pid_t helper = 200 + static_cast<int>(s.t_s) / 20;
      s.tree.pids.push_back({helper, 101, "osascript", static_cast<std::uint64_t>(6 * kMiB), 0, {}, {}, {}, {}, {}, {}});
    }
    for (const auto& p : s.tree.pids) s.tree.footprint_bytes += p.footprint_bytes;
    s.tree.rss_bytes = s.tree.footprint_bytes;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

TEST_CASE("the leaking child of a flat wrapper carries the tree's growth", "[analysis][processes]") {
  const auto samples = tree_series(10 * kMiB);
  const RunInfo run = make_run(1 * kMiB, 5, 30);
  const Report r = analyse(samples, {}, run);
  REQUIRE(r.verdict == Verdict::leaking);
  REQUIRE(r.processes.size() == 2);
  const ProcessGrowth& top = r.processes[0];
  CHECK(top.name == "python3");
  CHECK(top.pid == 101);
  CHECK(top.parent == 100);
  CHECK(top.role == "child");
  CHECK(top.alive_at_end);
  CHECK(top.bytes_per_min == Approx(10 * kMiB).epsilon(0.05));
  CHECK(top.ci95_bytes_per_min.lo < top.bytes_per_min);
  CHECK(top.ci95_bytes_per_min.hi > top.bytes_per_min);
  REQUIRE(top.share_of_growth);
  CHECK(*top.share_of_growth == Approx(1.0).epsilon(0.1));
  const ProcessGrowth& wrapper = r.processes[1];
  CHECK(wrapper.name == "uv");
  CHECK(wrapper.role == "leader");
  CHECK(std::abs(wrapper.bytes_per_min) < 0.2 * kMiB);
  REQUIRE(wrapper.share_of_growth);
  CHECK(std::abs(*wrapper.share_of_growth) < 0.05);
  // Helpers alive 2 s at a time (8 samples) are too short for a slope: one line by name.
  REQUIRE(r.transient_processes.size() == 1);
  CHECK(r.transient_processes[0].name == "osascript");
  CHECK(r.transient_processes[0].count == 7);  // at 0, 20, ..., 120 s
  CHECK(r.transient_processes[0].peak_bytes == static_cast<std::uint64_t>(6 * kMiB));
}

TEST_CASE("a tree that does not grow gets slopes but no shares", "[analysis][processes]") {
  const Report r = analyse(tree_series(0), {}, make_run(1 * kMiB, 5, 30));
  CHECK(r.verdict == Verdict::bounded);
  REQUIRE(r.processes.size() == 2);
  for (const auto& p : r.processes) CHECK_FALSE(p.share_of_growth);
}

TEST_CASE("samples without per-process detail give no table", "[analysis][processes]") {
  Synth g;
  g.slope_bytes_per_min = 10 * kMiB;
  const Report r = analyse(make_series(g, 1), {}, make_run(1 * kMiB, 5, 30));
  CHECK(r.processes.empty());
  CHECK(r.transient_processes.empty());
}
