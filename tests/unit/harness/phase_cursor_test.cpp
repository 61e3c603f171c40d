// harness/runner/phase_cursor: when each call of a phase is due, at a rate and at a
// recorded session's own pace. Pure bookkeeping: times are given, nothing waits.
#include "harness/runner/phase_cursor.h"
#include "tests/support/catch.h"

using mcpleak::Phase;
using mcpleak::PhaseCursor;
using mcpleak::Step;

namespace {

Phase recorded_phase() {
  Phase p;
  p.name = "session";
  Step a{"a", nlohmann::json::object(), 0.0};
  Step b{"b", nlohmann::json::object(), 2.0};
  Step c{"c", nlohmann::json::object(), 0.5};
  p.steps = {a, b, c};
  p.recorded_pace = true;
  return p;
}

}  // namespace

TEST_CASE("at a recorded pace each call waits its own step's time after the one before", "[runner][cursor]") {
  const Phase phase = recorded_phase();
  PhaseCursor cursor(phase, /*interval_s=*/10, /*start_s=*/100, /*recorded_pace=*/true);
  CHECK(cursor.next_call_s() == 100);  // the first call at once
  CHECK(cursor.take_step().tool == "a");
  cursor.call_done(100.1);  // answered quickly: b is due 2 s after a was planned
  CHECK(cursor.next_call_s() == Approx(102));
  CHECK(cursor.take_step().tool == "b");
  cursor.call_done(105);  // b took 3 s: c goes once b is answered, not in the past
  CHECK(cursor.next_call_s() == Approx(105));
  CHECK(cursor.take_step().tool == "c");
  cursor.call_done(105.2);  // round again: a's own wait (0) after c, so at once
  CHECK(cursor.next_call_s() == Approx(105.2));
  CHECK(cursor.take_step().tool == "a");
}

TEST_CASE("without the recorded pace the steps' waits are ignored and the rate holds", "[runner][cursor]") {
  const Phase phase = recorded_phase();
  PhaseCursor cursor(phase, /*interval_s=*/0.25, /*start_s=*/0);
  cursor.take_step();
  cursor.call_done(0.01);
  CHECK(cursor.next_call_s() == Approx(0.25));
  cursor.take_step();
  cursor.call_done(3);  // a slow call: no burst of catch-up calls
  CHECK(cursor.next_call_s() == Approx(2.75));
}
