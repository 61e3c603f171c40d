// Back-off for failed observer starts: doubling delays, a cap, reset on success.
#include "reference/retry_backoff.h"

#include "tests/support/catch.h"

using namespace mcpleak::axref;
using std::chrono::milliseconds;

TEST_CASE("retry back-off doubles up to the cap and resets on success", "[reference]") {
  RetryBackoff b(milliseconds(100), milliseconds(1000));
  const auto t0 = RetryBackoff::Clock::time_point{} + std::chrono::hours(1);
  CHECK(b.ready(t0));
  b.failed(t0);
  CHECK(b.current_delay() == milliseconds(100));
  CHECK_FALSE(b.ready(t0 + milliseconds(99)));
  CHECK(b.ready(t0 + milliseconds(100)));
  b.failed(t0);
  CHECK(b.current_delay() == milliseconds(200));
  for (int i = 0; i < 10; ++i) b.failed(t0);
  CHECK(b.current_delay() == milliseconds(1000));
  CHECK_FALSE(b.ready(t0 + milliseconds(999)));
  b.succeeded();
  CHECK(b.ready(t0));
  CHECK(b.failures() == 0);
}

TEST_CASE("a retry every 0.1 s is impossible under back-off", "[reference]") {
  // The upstream idle leak: a failed start retried every tick. Count attempts over 60 s
  // of 0.1 s ticks when each attempt fails.
  RetryBackoff b(milliseconds(500), milliseconds(30000));
  auto now = RetryBackoff::Clock::time_point{} + std::chrono::hours(1);
  int attempts = 0;
  for (int tick = 0; tick < 600; ++tick, now += milliseconds(100)) {
    if (!b.ready(now)) continue;
    ++attempts;
    b.failed(now);
  }
  CHECK(attempts < 10);
}
