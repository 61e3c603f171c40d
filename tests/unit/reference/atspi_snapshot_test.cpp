// The AT-SPI backend against real GTK apps. Needs the session of ci/atspi-session
// (Xvfb, D-Bus, AT-SPI bus, gtk3-demo and gtk3-widget-factory); ctest runs it there as
// `atspi_snapshot`. Tagged [atspi] so it never runs without that desktop.
#include <functional>

#include "reference/backend_atspi.h"
#include "reference/injection.h"
#include "tests/support/catch.h"

using namespace mcpleak::axref;

namespace {
void visit(const AxNode& n, const std::function<void(const AxNode&)>& f) {
  f(n);
  for (const auto& c : n.children) visit(c, f);
}
}  // namespace

TEST_CASE("atspi snapshot of gtk3-widget-factory walks its real tree", "[atspi]") {
  Counters counters;
  {
    Injector injector({}, counters);
    auto backend = make_atspi_backend({}, counters, injector);
    REQUIRE(backend);
    auto switched = (*backend)->app({"switch", "widget-factory", {}, {}});
    REQUIRE(switched);
    auto snap = (*backend)->snapshot(false);
    REQUIRE(snap);
    CHECK(snap->state.frontmost.name == "gtk3-widget-factory");
    std::size_t nodes = 0, with_role = 0, with_name = 0, buttons = 0;
    visit(snap->state.root, [&](const AxNode& n) {
      ++nodes;
      if (!n.role.empty()) ++with_role;
      if (!n.name.empty()) ++with_name;
      if (n.role == "push button" || n.role == "toggle button") ++buttons;
    });
    INFO("nodes " << nodes << ", named " << with_name);
    CHECK(nodes >= 100);
    CHECK(with_role == nodes);
    CHECK(with_name >= 20);
    CHECK(buttons >= 1);
    CHECK(snap->state.root.role == "application");
    CHECK(counters.elements == 0);
    CHECK(counters.observers == 1);
    // a second app is there too, and switching to it walks a different tree
    REQUIRE((*backend)->app({"switch", "gtk3-demo", {}, {}}));
    auto demo = (*backend)->snapshot(false);
    REQUIRE(demo);
    CHECK(demo->state.frontmost.name == "gtk3-demo");
    CHECK(counters.observers == 2);
    CHECK_FALSE((*backend)->app({"switch", "no-such-app", {}, {}}));
  }
  CHECK(counters.all_released());
}

TEST_CASE("atspi element-retain keeps the walk's references until shutdown", "[atspi]") {
  Counters counters;
  {
    InjectionConfig cfg;
    cfg.mask = 1u << static_cast<unsigned>(LeakClass::element_retain);
    Injector injector(cfg, counters);
    auto backend = make_atspi_backend({}, counters, injector);
    REQUIRE(backend);
    REQUIRE((*backend)->app({"switch", "widget-factory", {}, {}}));
    auto snap = (*backend)->snapshot(false);
    REQUIRE(snap);
    CHECK(counters.elements == static_cast<std::int64_t>(count_nodes(snap->state.root)));
    REQUIRE((*backend)->snapshot(false));
    CHECK(counters.elements == 2 * static_cast<std::int64_t>(count_nodes(snap->state.root)));
  }
  CHECK(counters.all_released());
}
