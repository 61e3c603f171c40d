// The synthetic backend's lifecycle: walks of --tree-nodes nodes, no element reference
// held after a walk, observers bounded per pid, everything released at shutdown.
#include "reference/backend_synthetic.h"

#include "reference/injection.h"
#include "tests/support/catch.h"

using namespace mcpleak::axref;

namespace {
BackendOptions options_with(std::size_t nodes, std::size_t cache = 8) {
  BackendOptions o;
  o.tree_nodes = nodes;
  o.observer_cache_capacity = cache;
  return o;
}
}  // namespace

TEST_CASE("synthetic snapshot walks tree-nodes nodes and releases every element", "[reference]") {
  Counters counters;
  Injector injector({}, counters);
  SyntheticBackend backend(options_with(321), counters, injector);
  auto snap = backend.snapshot(false);
  REQUIRE(snap);
  CHECK(count_nodes(snap->state.root) == 321);
  CHECK(snap->state.frontmost.name == "Finder");
  CHECK(snap->state.open_apps.size() == 2);
  CHECK(snap->png.empty());
  CHECK(counters.elements == 0);
  CHECK(counters.observers == 1);
}

TEST_CASE("synthetic snapshots of the same app are identical", "[reference]") {
  Counters counters;
  Injector injector({}, counters);
  SyntheticBackend backend(options_with(200), counters, injector);
  auto a = backend.snapshot(false);
  auto b = backend.snapshot(false);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(render_snapshot_text(a->state) == render_snapshot_text(b->state));
}

TEST_CASE("switching apps keeps one observer per app, steady across calls", "[reference]") {
  Counters counters;
  Injector injector({}, counters);
  SyntheticBackend backend(options_with(50), counters, injector);
  std::int64_t steady_bytes = -1;
  for (int round = 0; round < 20; ++round) {
    REQUIRE(backend.app({"switch", "finder", {}, {}}));
    REQUIRE(backend.snapshot(false));
    REQUIRE(backend.app({"switch", "Safari", {}, {}}));
    auto snap = backend.snapshot(false);
    REQUIRE(snap);
    CHECK(snap->state.frontmost.name == "Safari");
    CHECK(counters.observers == 2);
    CHECK(counters.elements == 0);
    if (steady_bytes < 0) steady_bytes = counters.cache_bytes;
    CHECK(counters.cache_bytes == steady_bytes);
  }
}

TEST_CASE("a quitting app's observer is released", "[reference]") {
  Counters counters;
  Injector injector({}, counters);
  SyntheticBackend backend(options_with(10), counters, injector);
  REQUIRE(backend.snapshot(false));
  REQUIRE(backend.app({"switch", "Safari", {}, {}}));
  REQUIRE(backend.snapshot(false));
  CHECK(counters.observers == 2);
  CHECK(backend.quit_app("Safari"));
  CHECK(counters.observers == 1);
  auto snap = backend.snapshot(false);
  REQUIRE(snap);
  CHECK(snap->state.frontmost.name == "Finder");
}

TEST_CASE("launching many apps keeps the observer cache bounded", "[reference]") {
  Counters counters;
  Injector injector({}, counters);
  SyntheticBackend backend(options_with(5, 3), counters, injector);
  for (int i = 0; i < 10; ++i) {
    REQUIRE(backend.app({"launch", "App" + std::to_string(i), {}, {}}));
    REQUIRE(backend.snapshot(false));
  }
  CHECK(counters.observers == 3);
  CHECK(backend.observers().evictions() == 7);
}

TEST_CASE("synthetic App validates its arguments", "[reference]") {
  Counters counters;
  Injector injector({}, counters);
  SyntheticBackend backend(options_with(5), counters, injector);
  CHECK_FALSE(backend.app({"switch", "Mail", {}, {}}));
  CHECK_FALSE(backend.app({"switch", "", {}, {}}));
  CHECK_FALSE(backend.app({"resize", "", {}, {}}));
  CHECK_FALSE(backend.app({"fly", "Finder", {}, {}}));
  auto moved = backend.app({"move", "", std::array<int, 2>{5, 6}, {}});
  REQUIRE(moved);
  CHECK(moved->find("(5,6)") != std::string::npos);
  auto snap = backend.snapshot(false);
  REQUIRE(snap);
  REQUIRE(snap->state.root.children.front().bounds);
  CHECK(snap->state.root.children.front().bounds->x == 5);
}

TEST_CASE("use_vision makes a PNG on the synthetic backend", "[reference]") {
  Counters counters;
  Injector injector({}, counters);
  SyntheticBackend backend(options_with(5), counters, injector);
  auto snap = backend.snapshot(true);
  REQUIRE(snap);
  REQUIRE(snap->png.size() > 8);
  CHECK(snap->png[1] == 'P');
}

TEST_CASE("every counter is zero after shutdown, with and without injections", "[reference]") {
  const unsigned mask = GENERATE(0u, 0xFu);
  Counters counters;
  {
    InjectionConfig cfg;
    cfg.mask = mask;
    cfg.scale = 0.01;
    Injector injector(cfg, counters);
    SyntheticBackend backend(options_with(100), counters, injector);
    for (int i = 0; i < 5; ++i) {
      injector.on_call();
      REQUIRE(backend.snapshot(false));
      REQUIRE(backend.app({"switch", i % 2 ? "Finder" : "Safari", {}, {}}));
    }
    CHECK(counters.observers > 0);
    CHECK(counters.cache_bytes > 0);
  }
  CHECK(counters.all_released());
  CHECK(counters.observers == 0);
  CHECK(counters.elements == 0);
}
