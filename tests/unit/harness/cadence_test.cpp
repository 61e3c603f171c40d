// The sampler's cadence (harness/sampler/cadence.h): which ticks list every thread or
// scan /proc, when the fd count and smaps_rollup are due, and how a costly read waits
// longer. Pure: ticks and costs are given.
#include "harness/sampler/cadence.h"

#include "harness/sampler/tick_times.h"
#include "tests/support/catch.h"

using namespace std::chrono_literals;
using mcpleak::Cadence;
using mcpleak::CadenceOptions;
using mcpleak::Discovery;

TEST_CASE("cadence at 4 Hz: every thread every 2 s, /proc scanned every 30 s, known pids between",
          "[sampler][cadence]") {
  const Cadence c(CadenceOptions{}, 250ms);
  CHECK(c.discovery(0) == Discovery::every_thread);
  for (std::uint64_t t = 1; t < 8; ++t) CHECK(c.discovery(t) == Discovery::known);
  CHECK(c.discovery(8) == Discovery::every_thread);
  CHECK(c.discovery(119) == Discovery::known);
  CHECK(c.discovery(120) == Discovery::full_scan);
  CHECK(c.discovery(240) == Discovery::full_scan);
  CHECK(c.every_thread_interval_s() == Approx(2.0));
  CHECK(c.full_scan_interval_s() == Approx(30.0));
}

TEST_CASE("cadence: the fd count is due at every tick while cheap, on multiples of a doubled wait when slow",
          "[sampler][cadence]") {
  Cadence c(CadenceOptions{}, 250ms);
  CHECK(c.fds_due(0));
  c.fds_read(0, 0.0001);
  CHECK(c.fds_due(1));
  CHECK(c.fds_interval_s() == Approx(0.25));
  // 10 ms may take 0.2% of a core once every 5 s: 20 ticks, doubled from the base to
  // 32 (8 s), and the next count on a multiple of 32, which every thinned in-memory
  // series (every 2^k-th sample) still holds.
  c.fds_read(1, 0.010);
  CHECK_FALSE(c.fds_due(31));
  CHECK(c.fds_due(32));
  CHECK(c.fds_interval_s() == Approx(8.0));
  // Cheap again: back to every tick.
  c.fds_read(32, 0.0001);
  CHECK(c.fds_due(33));
  // A 1-second base: the next count on the next multiple of 4 ticks.
  CadenceOptions slower;
  slower.fds = 1000ms;
  Cadence d(slower, 250ms);
  d.fds_read(0, 0.0001);
  CHECK_FALSE(d.fds_due(3));
  CHECK(d.fds_due(4));
}

TEST_CASE("cadence: smaps_rollup per process, new ones at once, slow ones less often, never past the longest wait",
          "[sampler][cadence]") {
  Cadence c(CadenceOptions{}, 250ms);
  CHECK(c.detail_due(100, 0));
  CHECK(c.detail_due(200, 0));
  c.detail_read(100, 0, 0.001);  // 1 ms: the 10 s base
  c.detail_read(200, 0, 0.1);    // 100 ms: 50 s
  CHECK_FALSE(c.detail_due(100, 39));
  CHECK(c.detail_due(100, 40));
  CHECK_FALSE(c.detail_due(200, 199));
  CHECK(c.detail_due(200, 200));
  CHECK(c.longest_detail_interval_s() == Approx(50.0));
  c.detail_read(200, 200, 30.0);  // absurdly slow: capped at 2 min
  CHECK_FALSE(c.detail_due(200, 200 + 479));
  CHECK(c.detail_due(200, 200 + 480));
  CHECK(c.detail_due(300, 5));  // a process that just appeared

  // A process that left is forgotten: its pid, reused, starts afresh.
  c.keep_only({200});
  CHECK(c.detail_due(100, 1));
  CHECK_FALSE(c.detail_due(200, 201));
}

TEST_CASE("cadence at 1 Hz: no source is read more often than the ticks", "[sampler][cadence]") {
  Cadence c(CadenceOptions{}, 1000ms);
  CHECK(c.discovery(1) == Discovery::known);
  CHECK(c.discovery(2) == Discovery::every_thread);
  CHECK(c.discovery(30) == Discovery::full_scan);
  c.fds_read(0, 0);
  CHECK(c.fds_due(1));
  CHECK(c.fds_interval_s() == Approx(1.0));
}

TEST_CASE("tick times: mean and max over the run, median and p99 over the latest 1024", "[sampler]") {
  mcpleak::TickTimes times;
  CHECK(times.summary().ticks == 0);
  for (int i = 1; i <= 100; ++i) times.add(i / 1000.0);
  auto s = times.summary();
  CHECK(s.ticks == 100);
  CHECK(s.tick_ms_mean == Approx(50.5));
  CHECK(s.tick_ms_max == Approx(100));
  CHECK(s.tick_ms_median == Approx(50).margin(1));
  CHECK(s.tick_ms_p99 == Approx(99).margin(1));
  // 2000 more at 1 ms push the early ones out of the window, not out of max and mean.
  for (int i = 0; i < 2000; ++i) times.add(0.001);
  s = times.summary();
  CHECK(s.ticks == 2100);
  CHECK(s.tick_ms_median == Approx(1));
  CHECK(s.tick_ms_p99 == Approx(1));
  CHECK(s.tick_ms_max == Approx(100));
  CHECK(s.tick_ms_mean == Approx((5050 + 2000) / 2100.0));
}
