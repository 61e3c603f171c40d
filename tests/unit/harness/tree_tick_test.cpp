// TreeTick on live processes: which fields each tick carries at 4 Hz (the mixed cadences
// samples.jsonl holds), a complete tick, and a root that is gone.
#include "harness/sampler/tree_tick.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/catch.h"

using namespace std::chrono_literals;
using mcpleak::TreeSample;
using mcpleak::TreeTick;

namespace {

bool has_fds(const TreeSample& t) { return t.fds.has_value() && t.pids.front().fds.has_value(); }
// smaps_rollup exists on Linux only: elsewhere no tick has it, and none may claim it.
#if defined(__linux__)
constexpr bool kHasDetail = true;
#else
constexpr bool kHasDetail = false;
#endif
bool has_detail(const TreeSample& t) { return t.pids.front().pss_bytes.has_value(); }

}  // namespace

TEST_CASE("tree tick: status and fds every tick, smaps_rollup at the first and on a complete tick",
          "[sampler][linux]") {
  // A budget of a whole core: a read delayed by a busy machine must not stretch the
  // cadence this test checks (cadence_test.cpp covers the stretching).
  mcpleak::CadenceOptions options;
  options.budget = 1.0;
  TreeTick tick({::getpid()}, 250ms, options);
  std::vector<TreeSample> taken;
  for (int i = 0; i < 6; ++i) {
    auto t = tick.take();
    REQUIRE(t);
    REQUIRE_FALSE(t->pids.empty());
    CHECK(t->pids.front().pid == ::getpid());
    CHECK(t->footprint_bytes > 0);
    CHECK(t->threads.has_value());  // from status: every tick
    taken.push_back(std::move(*t));
  }
  CHECK(has_detail(taken[0]) == kHasDetail);
  for (std::size_t i = 0; i < taken.size(); ++i) {
    INFO("tick " << i);
    CHECK(has_fds(taken[i]));
    if (i > 0) CHECK_FALSE(has_detail(taken[i]));
  }

  auto last = tick.take(true);
  REQUIRE(last);
  CHECK(has_fds(*last));
  CHECK(has_detail(*last) == kHasDetail);
  CHECK(tick.ticks() == 7);
}

TEST_CASE("tree tick: a root that exited is an error naming it", "[sampler][linux]") {
  const pid_t child = ::fork();
  if (child == 0) {
    for (;;) ::pause();
  }
  REQUIRE(child > 0);
  // Killed and reaped however the test ends.
  struct Reap {
    pid_t pid;
    ~Reap() {
      if (pid <= 0) return;
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  } reap{child};
  TreeTick tick({::getpid(), child}, 250ms);
  REQUIRE(tick.take());
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  reap.pid = 0;  // reaped: the pid may be reused from here on
  auto after = tick.take();
  REQUIRE_FALSE(after);
  CHECK(after.error().message.find("process gone") == 0);
  CHECK(tick.gone_root() == child);
}
