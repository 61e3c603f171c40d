// The bounded per-pid observer cache: bounded size, LRU eviction that releases, erase on
// pid exit, clear on shutdown, and counters that come back to zero.
#include "reference/observer_cache.h"

#include "tests/support/catch.h"

using namespace mcpleak::axref;

namespace {
// An observer that records its own release, as AXObserverRemoveNotification would be seen.
struct Probe final : Observer {
  Probe(Counters& c, pid_t pid, int& released) : Observer(c, pid, 1024, &c.cache_bytes), released_(released) {}
  ~Probe() override { ++released_; }
  int& released_;
};
}  // namespace

TEST_CASE("observer cache evicts the least recently used and releases it", "[reference]") {
  Counters counters;
  int released = 0;
  int created = 0;
  {
    ObserverCache cache(2);
    auto make = [&](pid_t pid) {
      return [&, pid] {
        ++created;
        return std::make_unique<Probe>(counters, pid, released);
      };
    };
    cache.get_or_attach(1, make(1));
    cache.get_or_attach(2, make(2));
    cache.get_or_attach(1, make(1));  // hit: 1 becomes most recent, nothing created
    CHECK(created == 2);
    cache.get_or_attach(3, make(3));  // evicts 2, the least recently used
    CHECK(released == 1);
    CHECK(cache.find(2) == nullptr);
    CHECK(cache.find(1) != nullptr);
    CHECK(cache.size() == 2);
    CHECK(cache.evictions() == 1);
    CHECK(counters.observers == 2);
    CHECK(counters.cache_bytes == 2 * 1024);

    CHECK(cache.erase(3));  // pid exit
    CHECK_FALSE(cache.erase(3));
    CHECK(released == 2);
    CHECK(counters.observers == 1);
  }
  // shutdown: the destructor releases the rest
  CHECK(released == 3);
  CHECK(counters.all_released());
}

TEST_CASE("observer cache stays bounded under churn", "[reference]") {
  Counters counters;
  int released = 0;
  ObserverCache cache(4);
  for (pid_t pid = 1; pid <= 100; ++pid) {
    cache.get_or_attach(pid, [&] { return std::make_unique<Probe>(counters, pid, released); });
    CHECK(counters.observers <= 4);
  }
  CHECK(released == 96);
  cache.clear();
  CHECK(counters.all_released());
}

TEST_CASE("a failed observer start caches nothing", "[reference]") {
  Counters counters;
  ObserverCache cache(2);
  CHECK(cache.get_or_attach(7, [] { return std::unique_ptr<Observer>(); }) == nullptr);
  CHECK(cache.size() == 0);
  CHECK(counters.observers == 0);
}

TEST_CASE("erase_dead releases observers of exited pids only", "[reference]") {
  Counters counters;
  int released = 0;
  ObserverCache cache(8);
  for (pid_t pid : {10, 11, 12}) {
    cache.get_or_attach(pid, [&] { return std::make_unique<Probe>(counters, pid, released); });
  }
  CHECK(cache.erase_dead([](pid_t pid) { return pid != 11; }) == 1);
  CHECK(cache.find(11) == nullptr);
  CHECK(cache.size() == 2);
  CHECK(released == 1);
}
