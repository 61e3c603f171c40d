// Class counts over time (macOS heap(1) readings carried by samples): which classes
// grow, and --bounded-class verdicts judged like counted resources. Synthetic samples:
// 4 Hz for 120 s, a reading every 10 s, 5 calls a second.
#include "harness/analysis/class_counts.h"

#include <string>
#include <vector>

#include "harness/analysis/analysis.h"
#include "tests/support/catch.h"

using namespace mcpleak;
using namespace mcpleak::analysis;

namespace {

// `count_at(t, calls)` gives each class's count at a reading.
std::vector<Sample> run_with_readings(const std::function<std::map<std::string, std::uint64_t>(double, double)>& count_at,
                                      double seconds = 120, double reading_every_s = 10) {
  std::vector<Sample> out;
  double next_reading = 0;
  for (double t = 0; t <= seconds; t += 0.25) {
    Sample s;
    s.t_s = t;
    s.calls = static_cast<std::uint64_t>(t * 5);
    s.tree.footprint_bytes = 50u << 20;
    s.tree.processes = 1;
    if (t >= next_reading) {
      s.classes = count_at(t, static_cast<double>(s.calls));
      next_reading += reading_every_s;
    }
    out.push_back(std::move(s));
  }
  return out;
}

RunInfo run_info(std::vector<std::string> bounded = {}) {
  RunInfo run;
  run.warmup_s = 10;
  run.min_duration_s = 30;
  run.budget_bytes_per_min = 1e6;
  run.phases.push_back(PhaseInfo{"loop", false, 0, 120, 0.2, ""});
  run.bounded_classes = std::move(bounded);
  return run;
}

std::vector<CallRecord> calls_of(const std::vector<Sample>& samples) {
  std::vector<CallRecord> calls;
  std::uint64_t made = 0;
  for (const Sample& s : samples) {
    for (; made < s.calls; ++made) {
      CallRecord c;
      c.t_s = s.t_s;
      c.tool = "Snapshot";
      c.ok = true;
      c.latency_ms = 5;
      calls.push_back(c);
    }
  }
  return calls;
}

const ResourceVerdict* named(const std::vector<ResourceVerdict>& v, const std::string& name) {
  for (const auto& x : v) {
    if (x.name == name) return &x;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("class globs match as fnmatch does", "[analysis][classes]") {
  CHECK(class_matches("AX*", "AXObserver"));
  CHECK(class_matches("AX*", "AXUIElement"));
  CHECK_FALSE(class_matches("AX*", "__NSCFString"));
  CHECK(class_matches("AXObserver", "AXObserver"));
  CHECK_FALSE(class_matches("AXObserver", "AXObserverX"));
}

TEST_CASE("a class that gains two objects per call is named growing, a steady one is not", "[analysis][classes]") {
  const auto samples = run_with_readings([](double, double calls) {
    return std::map<std::string, std::uint64_t>{{"AXObserver", 4 + static_cast<std::uint64_t>(2 * calls)},
                                                {"__NSCFString", 5000}};
  });
  const auto growing = growing_classes(samples, run_info());
  REQUIRE(growing.size() == 1);
  CHECK(growing[0].name == "AXObserver");
  REQUIRE(growing[0].per_call);
  CHECK(*growing[0].per_call == Approx(2.0).epsilon(0.02));
  CHECK(growing[0].headline.find("AXObserver +2.00 per call") == 0);
}

TEST_CASE("bounded classes: the matching classes' sum decides, with the classes budget", "[analysis][classes]") {
  const auto leaking = run_with_readings([](double, double calls) {
    return std::map<std::string, std::uint64_t>{{"AXObserver", static_cast<std::uint64_t>(2 * calls)},
                                                {"AXUIElement", static_cast<std::uint64_t>(61 * calls)},
                                                {"NSObject", 10}};
  });
  const auto v = judge_bounded_classes(leaking, run_info({"AX*", "NSObject"}));
  REQUIRE(v.size() == 2);
  const ResourceVerdict* ax = named(v, "class AX*");
  REQUIRE(ax);
  CHECK(ax->verdict == "leaking");
  REQUIRE(ax->per_call);
  CHECK(*ax->per_call == Approx(63.0).epsilon(0.02));
  const ResourceVerdict* ns = named(v, "class NSObject");
  REQUIRE(ns);
  CHECK(ns->verdict == "bounded");

  // A cache that fills to 6 observers and stays: within the default allowance.
  const auto cache = run_with_readings([](double t, double) {
    return std::map<std::string, std::uint64_t>{{"AXObserver", t < 30 ? 2 : 8}};
  });
  const auto bounded = judge_bounded_classes(cache, run_info({"AXObserver"}));
  REQUIRE(bounded.size() == 1);
  CHECK(bounded[0].verdict == "bounded");
}

TEST_CASE("a bounded class with no reading, or too few, is inconclusive, never bounded", "[analysis][classes]") {
  const auto none = run_with_readings([](double, double) { return std::map<std::string, std::uint64_t>{}; });
  auto v = judge_bounded_classes(none, run_info({"AX*"}));
  REQUIRE(v.size() == 1);
  CHECK(v[0].verdict == "inconclusive");
  CHECK(v[0].why.find("no heap(1) reading") != std::string::npos);
  // Three readings after warm-up: too few to judge.
  const auto few = run_with_readings(
      [](double, double) { return std::map<std::string, std::uint64_t>{{"AXObserver", 3}}; }, 40);
  v = judge_bounded_classes(few, run_info({"AX*"}));
  REQUIRE(v.size() == 1);
  CHECK(v[0].verdict == "inconclusive");
}

TEST_CASE("a leaking bounded class makes the run leaking though the footprint is flat", "[analysis][classes]") {
  auto samples = run_with_readings([](double, double calls) {
    return std::map<std::string, std::uint64_t>{{"AXObserver", static_cast<std::uint64_t>(2 * calls)}};
  });
  const RunInfo run = run_info({"AX*"});
  const Report r = analyse(samples, calls_of(samples), run);
  CHECK(r.verdict == Verdict::leaking);
  CHECK(r.footprint_verdict == "bounded");
  CHECK(r.reason.find("class AX* +2.00 per call") != std::string::npos);
  REQUIRE(r.classes.size() == 1);
  CHECK(r.classes[0].name == "AXObserver");
}
