// harness/watch/watchdog: when a watched session crosses --max-footprint or --max-growth.
#include "harness/watch/watchdog.h"
#include "tests/support/catch.h"

using mcpleak::Sample;
using mcpleak::WatchLimits;

namespace {

Sample at(double t_s, std::uint64_t footprint) {
  Sample s;
  s.t_s = t_s;
  s.tree.footprint_bytes = footprint;
  return s;
}

}  // namespace

TEST_CASE("watchdog: the first sample above --max-footprint crosses it, once", "[watch][watchdog]") {
  WatchLimits limits;
  limits.max_footprint_bytes = 100'000'000;
  mcpleak::Watchdog dog(limits);
  CHECK_FALSE(dog.on_sample(at(1, 99'000'000)));
  CHECK_FALSE(dog.on_sample(at(2, 100'000'000)));  // at the limit is not above it
  const auto crossed = dog.on_sample(at(3, 100'000'001));
  REQUIRE(crossed);
  CHECK(crossed->trigger == "max-footprint");
  CHECK(crossed->sample_t_s == 3);
  CHECK(crossed->footprint_bytes == 100'000'001);
  CHECK(crossed->detail.find("--max-footprint") != std::string::npos);
  CHECK_FALSE(dog.on_sample(at(4, 200'000'000)));
}

TEST_CASE("watchdog: --max-growth acts on a look that decided leaking, and only that", "[watch][watchdog]") {
  WatchLimits limits;
  limits.max_growth_bytes_per_min = 50e6 / 60;
  mcpleak::Watchdog dog(limits);
  mcpleak::Look undecided;
  undecided.bytes_per_min = 2e6;
  CHECK_FALSE(dog.on_look(undecided, at(60, 1)));
  mcpleak::Look bounded = undecided;
  bounded.decided = mcpleak::Verdict::bounded;
  CHECK_FALSE(dog.on_look(bounded, at(90, 1)));
  mcpleak::Look leaking = undecided;
  leaking.decided = mcpleak::Verdict::leaking;
  const auto crossed = dog.on_look(leaking, at(120, 5));
  REQUIRE(crossed);
  CHECK(crossed->trigger == "max-growth");
  CHECK(crossed->sample_t_s == 120);
  CHECK_FALSE(dog.on_look(leaking, at(150, 6)));
}

TEST_CASE("watchdog: without limits nothing crosses", "[watch][watchdog]") {
  mcpleak::Watchdog dog(WatchLimits{});
  CHECK_FALSE(dog.on_sample(at(1, ~0ull)));
  mcpleak::Look leaking;
  leaking.decided = mcpleak::Verdict::leaking;
  CHECK_FALSE(dog.on_look(leaking, at(1, 1)));
}
