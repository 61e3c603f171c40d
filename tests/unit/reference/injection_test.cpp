// Leak injection: parsing, and each class raising its own counters (and the shared ones)
// while fixed axref stays flat.
#include "reference/injection.h"

#include <chrono>
#include <thread>

#include "reference/backend_synthetic.h"
#include "tests/support/catch.h"

using namespace mcpleak::axref;

TEST_CASE("parse_injections accepts the four classes and rejects others", "[reference]") {
  auto all = parse_injections("observer-per-snapshot, observer-retry,element-retain,undrained-pool", 2);
  REQUIRE(all);
  CHECK(all->mask == 0xFu);
  CHECK(all->scale == 2);
  auto none = parse_injections("", 1);
  REQUIRE(none);
  CHECK(none->mask == 0);
  auto bad = parse_injections("observer-retry,leak-everything", 1);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == mcpleak::Errc::usage);
  CHECK(bad.error().message.find("leak-everything") != std::string::npos);
  CHECK_FALSE(parse_injections("observer-retry", 0));
}

TEST_CASE("leak sizes follow the scale", "[reference]") {
  CHECK(bytes_per_leak_event(LeakClass::element_retain, 2) ==
        2 * bytes_per_leak_event(LeakClass::element_retain, 1));
  // ~10 MB/min at 5 calls/s and at 10 ticks/s
  CHECK(bytes_per_leak_event(LeakClass::observer_per_snapshot, 1) * 300 > 9'000'000);
  CHECK(bytes_per_leak_event(LeakClass::observer_retry, 1) * 600 > 9'000'000);
}

namespace {
// Runs `calls` Snapshot calls (as the tool layer does) with `c` injected.
void run_calls(LeakClass c, int calls, Counters& counters, std::int64_t& observers_after,
               std::int64_t& elements_after) {
  InjectionConfig cfg;
  cfg.mask = 1u << static_cast<unsigned>(c);
  Injector injector(cfg, counters);
  BackendOptions o;
  o.tree_nodes = 40;
  SyntheticBackend backend(o, counters, injector);
  for (int i = 0; i < calls; ++i) {
    injector.on_call();
    REQUIRE(backend.snapshot(false));
  }
  observers_after = counters.observers;
  elements_after = counters.elements;
  const auto& ic = counters.injection(c);
  CHECK(ic.events == calls);
  CHECK(ic.bytes == static_cast<std::int64_t>(calls * bytes_per_leak_event(c, 1)));
  for (LeakClass other : kAllLeakClasses) {
    if (other != c) CHECK(counters.injection(other).events == 0);
  }
}
}  // namespace

TEST_CASE("observer-per-snapshot leaks one observer per tree read", "[reference]") {
  Counters counters;
  std::int64_t observers = 0, elements = 0;
  run_calls(LeakClass::observer_per_snapshot, 6, counters, observers, elements);
  CHECK(observers == 1 + 6);  // the cached observer plus one leaked per snapshot
  CHECK(elements == 0);
  CHECK(counters.all_released());
}

TEST_CASE("element-retain keeps every element of every walk", "[reference]") {
  Counters counters;
  std::int64_t observers = 0, elements = 0;
  run_calls(LeakClass::element_retain, 3, counters, observers, elements);
  CHECK(elements == 3 * 40);
  CHECK(observers == 1);
  CHECK(counters.all_released());
}

TEST_CASE("undrained-pool leaks temporaries per call from a worker thread", "[reference]") {
  Counters counters;
  std::int64_t observers = 0, elements = 0;
  run_calls(LeakClass::undrained_pool, 4, counters, observers, elements);
  CHECK(observers == 1);
  CHECK(elements == 0);
  CHECK(counters.all_released());
}

TEST_CASE("observer-retry leaks observers while idle", "[reference]") {
  Counters counters;
  {
    InjectionConfig cfg;
    cfg.mask = 1u << static_cast<unsigned>(LeakClass::observer_retry);
    cfg.scale = 0.1;
    Injector injector(cfg, counters);
    // No calls at all: wait (bounded) until the retry thread has ticked a few times.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (counters.injection(LeakClass::observer_retry).events < 3 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const auto events = counters.injection(LeakClass::observer_retry).events.load();
    CHECK(events >= 3);
    CHECK(counters.observers >= events);
    CHECK(counters.injection(LeakClass::observer_retry).bytes > 0);
  }
  CHECK(counters.all_released());
}

TEST_CASE("fixed axref creates no leak objects", "[reference]") {
  Counters counters;
  Injector injector({}, counters);
  BackendOptions o;
  o.tree_nodes = 40;
  SyntheticBackend backend(o, counters, injector);
  for (int i = 0; i < 10; ++i) {
    injector.on_call();
    REQUIRE(backend.snapshot(false));
  }
  CHECK(counters.leaked_bytes() == 0);
  CHECK(counters.observers == 1);
  CHECK(counters.elements == 0);
}
