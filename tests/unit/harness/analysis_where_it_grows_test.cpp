// Where it grows: which sites and types count as growing across checkpoints, and what
// the report says about the share of the footprint's growth they explain.
#include "harness/analysis/where_it_grows.h"

#include <string>
#include <vector>

#include "tests/support/catch.h"

using namespace mcpleak;
using analysis::AttributionRun;
using analysis::where_it_grows;

namespace {

constexpr std::uint64_t kEvery = 50;

// One process's checkpoints: site name -> bytes at each checkpoint (`calls` apart).
std::vector<HeapCheckpoint> series(pid_t pid, const std::string& runtime,
                                   const std::vector<std::pair<std::string, std::vector<std::uint64_t>>>& sites,
                                   std::vector<std::uint64_t> live = {}) {
  std::size_t n = 0;
  for (const auto& s : sites) n = std::max(n, s.second.size());
  n = std::max(n, live.size());
  std::vector<HeapCheckpoint> out;
  for (std::size_t i = 0; i < n; ++i) {
    HeapCheckpoint c;
    c.pid = pid;
    c.runtime = runtime;
    c.version = "3.11.2";
    c.index = static_cast<int>(i);
    c.calls = 100 + i * kEvery;
    c.live_heap_bytes = i < live.size() ? live[i] : 0;
    for (const auto& [key, bytes] : sites) {
      if (i < bytes.size() && bytes[i] > 0) {
        c.sites.push_back({key, bytes[i], bytes[i] / 1000, {{"f_" + key, "/srv/" + key, 7}, {"caller", "/srv/c.py", 3}}});
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

Report leaking_at(double bytes_per_call) {
  Report r;
  r.verdict = Verdict::leaking;
  r.growth.bytes_per_call = bytes_per_call;
  r.calls.p50_ms = 1.0;
  return r;
}

AttributionRun python_run() {
  AttributionRun run;
  run.mode = "python";
  run.every_calls = kEvery;
  run.checkpoints_planned = 5;
  return run;
}

std::vector<std::uint64_t> linear(double per_call, std::size_t n, std::uint64_t start = 0) {
  std::vector<std::uint64_t> v;
  for (std::size_t i = 0; i < n; ++i) v.push_back(start + static_cast<std::uint64_t>(per_call * kEvery * i));
  return v;
}

}  // namespace

TEST_CASE("a site that grows at every checkpoint is named with its bytes per call and share", "[where]") {
  const auto checkpoints = series(7, "python", {{"leak.py:18", linear(16384, 5)}}, linear(16500, 5));
  const WhereItGrows w = where_it_grows(checkpoints, python_run(), leaking_at(16384));
  REQUIRE(w.status == "ok");
  REQUIRE(w.sites.size() == 1);
  CHECK(w.sites[0].site == "leak.py:18");
  CHECK(w.sites[0].function == "f_leak.py:18");
  CHECK(w.sites[0].bytes_per_call == Approx(16384).epsilon(0.001));
  CHECK(w.sites[0].share_of_growth.value() == Approx(1.0).epsilon(0.001));
  CHECK(w.sites[0].stack.size() == 2);
  CHECK(w.explained_fraction.value() == Approx(1.0).epsilon(0.001));
  CHECK(w.statement.find("explain 100%") != std::string::npos);
  CHECK(w.statement.find("the live heap grows too") != std::string::npos);
  REQUIRE(w.processes.size() == 1);
  CHECK(w.processes[0].live_heap_bytes_per_call.value() == Approx(16500).epsilon(0.001));
}

TEST_CASE("a cache that fills once and stops is not a growing site", "[where]") {
  // 1 MiB reached by the second checkpoint, flat after: the late half does not grow.
  const auto checkpoints =
      series(7, "python", {{"lru.py:30", {0, 800000, 1048576, 1048576, 1048576}}, {"leak.py:18", linear(4096, 5)}});
  const WhereItGrows w = where_it_grows(checkpoints, python_run(), leaking_at(4096));
  REQUIRE(w.sites.size() == 1);
  CHECK(w.sites[0].site == "leak.py:18");
}

TEST_CASE("sites are ranked by bytes per call and small ones are left out", "[where]") {
  const auto checkpoints = series(7, "python",
                                  {{"small.py:1", linear(1000, 5)}, {"big.py:2", linear(9000, 5)},
                                   {"tiny.py:3", linear(10, 5)}});
  const WhereItGrows w = where_it_grows(checkpoints, python_run(), leaking_at(10000));
  REQUIRE(w.sites.size() == 2);
  CHECK(w.sites[0].site == "big.py:2");
  CHECK(w.sites[1].site == "small.py:1");
}

TEST_CASE("a site missing from a checkpoint counts as under the threshold there", "[where]") {
  // Present from the second checkpoint on: growth from zero.
  const auto checkpoints = series(7, "python", {{"late.py:5", {0, 819200, 1638400, 2457600, 3276800}}});
  const WhereItGrows w = where_it_grows(checkpoints, python_run(), leaking_at(16384));
  REQUIRE(w.sites.size() == 1);
  CHECK(w.sites[0].bytes_per_call == Approx(16384).epsilon(0.001));
  CHECK(w.sites[0].bytes_at_checkpoints.front() == 0);
}

TEST_CASE("growth mostly outside the instrumented heap is said plainly", "[where]") {
  // The Python heap explains 2 KiB of a 10 KiB/call footprint growth and its live heap is flat.
  const auto checkpoints = series(7, "python", {{"leak.py:18", linear(2048, 5)}}, {50000, 50000, 50000, 50000, 50000});
  const WhereItGrows w = where_it_grows(checkpoints, python_run(), leaking_at(10240));
  REQUIRE(w.status == "ok");
  CHECK(w.explained_fraction.value() == Approx(0.2).epsilon(0.01));
  CHECK(w.statement.find("80% of the growth is outside the Python heap: native or framework memory") !=
        std::string::npos);
  CHECK(w.statement.find("the live heap is flat") != std::string::npos);
  CHECK(w.limits.front().find("tracemalloc sees Python's allocator only") != std::string::npos);
}

TEST_CASE("a bounded verdict gets no explained fraction", "[where]") {
  const auto checkpoints = series(7, "node", {{"srv.js:12", linear(500, 5)}});
  Report bounded;
  bounded.verdict = Verdict::bounded;
  bounded.growth.bytes_per_call = 3.0;
  const WhereItGrows w = where_it_grows(checkpoints, python_run(), bounded);
  CHECK(w.status == "ok");
  CHECK_FALSE(w.explained_fraction.has_value());
  CHECK(w.statement.find("while the verdict run's footprint was bounded") != std::string::npos);
  CHECK(w.limits.front().find("V8 heap") != std::string::npos);
}

TEST_CASE("object types that grow per call are listed, those that stay are not", "[where]") {
  auto checkpoints = series(7, "python", {}, {0, 0, 0, 0, 0});
  for (std::size_t i = 0; i < checkpoints.size(); ++i) {
    checkpoints[i].types = {{"builtins.bytearray", 10 + i * kEvery, (10 + i * kEvery) * 16000},
                            {"builtins.dict", 900, 90000}};
  }
  const WhereItGrows w = where_it_grows(checkpoints, python_run(), leaking_at(16000));
  REQUIRE(w.types.size() == 1);
  CHECK(w.types[0].type == "builtins.bytearray");
  CHECK(w.types[0].objects_per_call == Approx(1.0));
  CHECK(w.types[0].bytes_per_call == Approx(16000));
}

TEST_CASE("no hooked process makes attribution unavailable, naming the usual causes", "[where]") {
  const WhereItGrows w = where_it_grows({}, python_run(), leaking_at(100));
  CHECK(w.status == "unavailable");
  CHECK(w.why.find("no process of the server loaded the hook") != std::string::npos);
  CHECK(w.why.find("python -I, -E or -S") != std::string::npos);
  CHECK(w.sites.empty());
}

TEST_CASE("fewer than three checkpoints cannot call growth steady", "[where]") {
  const auto checkpoints = series(7, "python", {{"leak.py:18", linear(16384, 2)}});
  const WhereItGrows w = where_it_grows(checkpoints, python_run(), leaking_at(16384));
  CHECK(w.status == "unavailable");
  CHECK(w.why.find("fewer than 3 checkpoints") != std::string::npos);
  REQUIRE(w.processes.size() == 1);
  CHECK(w.processes[0].note.find("only 2 checkpoint(s)") != std::string::npos);
}

TEST_CASE("sites of several processes are kept apart", "[where]") {
  auto checkpoints = series(7, "python", {{"leak.py:18", linear(8000, 5)}});
  const auto other = series(9, "python", {{"leak.py:18", {5000, 5000, 5000, 5000, 5000}}});
  checkpoints.insert(checkpoints.end(), other.begin(), other.end());
  const WhereItGrows w = where_it_grows(checkpoints, python_run(), leaking_at(8000));
  REQUIRE(w.sites.size() == 1);
  CHECK(w.sites[0].pid == 7);
  CHECK(w.processes.size() == 2);
}

TEST_CASE("heaptrack checkpoints speak of malloc's heap and what heaptrack cannot see", "[analysis][attribution]") {
  AttributionRun run = python_run();
  run.mode = "native";
  const auto explained = where_it_grows(series(7, "native", {{"retain.cpp:9", linear(32768, 5)}}, linear(32768, 5)),
                                        run, leaking_at(32768));
  REQUIRE(explained.status == "ok");
  REQUIRE(explained.sites.size() == 1);
  CHECK(explained.statement.find("explain 100%") != std::string::npos);
  CHECK(explained.statement.find("malloc's live bytes grow too") != std::string::npos);
  bool heaptrack_limit = false;
  for (const auto& l : explained.limits) heaptrack_limit |= l.find("heaptrack sees malloc") != std::string::npos;
  CHECK(heaptrack_limit);
  // Growth outside malloc (mmap, other processes): said so, not blamed on "native memory".
  const auto outside = where_it_grows(series(7, "native", {{"small.cpp:1", linear(1000, 5)}}, linear(1000, 5)), run,
                                      leaking_at(32768));
  CHECK(outside.statement.find("outside the malloc heap: memory mapped directly") != std::string::npos);
  CHECK(outside.statement.find("see --attribute native") == std::string::npos);
  // No checkpoint at all: heaptrack's own reason, not the hooks'.
  const auto none = where_it_grows({}, run, leaking_at(32768));
  CHECK(none.why.find("heaptrack recorded no checkpoint") != std::string::npos);
}
