// Text rendering of a walked tree: every node appears once, interactive ones are listed.
#include "reference/ax_tree.h"

#include "tests/support/catch.h"

using namespace mcpleak::axref;

namespace {
std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("render lists every node with role, name and bounds", "[reference]") {
  // GIVEN an app with one window holding a button and an unnamed group
  AxNode button{"AXButton", "OK", Bounds{10, 20, 30, 40}, {}};
  AxNode group{"AXGroup", "", std::nullopt, {}};
  AxNode window{"AXWindow", "Main", Bounds{0, 0, 100, 100}, {button, group}};
  DesktopState state{{"Finder", 42}, {{"Finder", 42}, {"Safari", 43}}, {"AXApplication", "Finder", std::nullopt, {window}}};
  const std::string text = render_snapshot_text(state);
  CHECK(count_nodes(state.root) == 4);
  CHECK(text.find("Accessibility Tree (4 nodes):") != std::string::npos);
  CHECK(text.find("    AXButton \"OK\" (10,20,30,40)\n") != std::string::npos);
  CHECK(text.find("    AXGroup\n") != std::string::npos);
  CHECK(text.find("Safari (pid 43)") != std::string::npos);
  // the interactive list names the window and the centre of the button
  CHECK(text.find("0|Main|AXButton|OK|(25,40)|{}") != std::string::npos);
  CHECK(occurrences(text, "AXGroup") == 1);
}

TEST_CASE("render says so when nothing is interactive", "[reference]") {
  DesktopState state{{"X", 1}, {}, {"AXApplication", "X", std::nullopt, {}}};
  CHECK(render_snapshot_text(state).find("No interactive elements found.") != std::string::npos);
}

TEST_CASE("interactive roles cover both AX and AT-SPI spellings", "[reference]") {
  CHECK(is_interactive_role("AXButton"));
  CHECK(is_interactive_role("push button"));
  CHECK_FALSE(is_interactive_role("AXGroup"));
  CHECK_FALSE(is_interactive_role("filler"));
}
