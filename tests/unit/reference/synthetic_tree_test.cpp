// The synthetic desktop's trees: exact size, determinism, and geometry that makes sense.
#include "reference/synthetic_tree.h"

#include <functional>

#include "tests/support/catch.h"

using namespace mcpleak::axref;

namespace {
bool children_inside(const AxNode& n, int depth, int& max_depth) {
  max_depth = std::max(max_depth, depth);
  for (const auto& c : n.children) {
    if (depth > 0 && n.bounds && c.bounds) {
      const Bounds& p = *n.bounds;
      const Bounds& b = *c.bounds;
      if (b.x < p.x || b.y < p.y || b.x + b.width > p.x + p.width ||
          b.y + b.height > p.y + p.height) {
        return false;
      }
    }
    if (c.role.empty() || c.name.empty()) return false;
    if (!children_inside(c, depth + 1, max_depth)) return false;
  }
  return true;
}
}  // namespace

TEST_CASE("synthetic tree has exactly the requested number of nodes", "[reference]") {
  const auto n = GENERATE(1, 2, 3, 17, 600, 5000);
  const AxNode root = generate_synthetic_tree("Finder", 1, static_cast<std::size_t>(n));
  CHECK(count_nodes(root) == static_cast<std::size_t>(n));
  CHECK(root.role == "AXApplication");
  CHECK(root.name == "Finder");
}

TEST_CASE("synthetic tree is deterministic and depends on app and seed", "[reference]") {
  const auto a = render_snapshot_text({{"Finder", 1}, {}, generate_synthetic_tree("Finder", 7, 300)});
  const auto b = render_snapshot_text({{"Finder", 1}, {}, generate_synthetic_tree("Finder", 7, 300)});
  const auto other_seed =
      render_snapshot_text({{"Finder", 1}, {}, generate_synthetic_tree("Finder", 8, 300)});
  const auto other_app =
      render_snapshot_text({{"Finder", 1}, {}, generate_synthetic_tree("Safari", 7, 300)});
  CHECK(a == b);
  CHECK(a != other_seed);
  CHECK(a != other_app);
}

TEST_CASE("synthetic tree nests controls inside their parents, depth capped", "[reference]") {
  const AxNode root = generate_synthetic_tree("Safari", 3, 2000);
  int max_depth = 0;
  CHECK(children_inside(root, 0, max_depth));
  CHECK(max_depth <= 12);
  CHECK(max_depth >= 3);  // not a flat list
  REQUIRE(root.children.size() == 2);
  CHECK(root.children[0].role == "AXWindow");
}
