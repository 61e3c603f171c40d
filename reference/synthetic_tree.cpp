#include "reference/synthetic_tree.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

namespace mcpleak::axref {
namespace {

// splitmix64: tiny, well-mixed and identical on every compiler, unlike std distributions.
class SplitMix {
 public:
  explicit SplitMix(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t state_;
};

std::uint64_t hash_name(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

constexpr std::array<std::string_view, 6> kContainers = {
    "AXGroup", "AXToolbar", "AXScrollArea", "AXSplitGroup", "AXList", "AXOutline"};
constexpr std::array<std::string_view, 10> kLeaves = {
    "AXButton", "AXTextField", "AXStaticText", "AXCheckBox", "AXLink",
    "AXMenuItem", "AXPopUpButton", "AXImage", "AXRow", "AXSlider"};
constexpr std::array<std::string_view, 12> kWords = {
    "Back", "Forward", "Share", "Search", "Favorites", "Downloads",
    "Documents", "Settings", "Open", "Close", "Reload", "Sidebar"};

struct FlatNode {
  AxNode node;
  std::size_t parent = 0;
  int depth = 0;
  bool container = false;
};

Bounds inside(const Bounds& p, SplitMix& rng) {
  Bounds b;
  b.width = std::max(1, p.width / 2 + static_cast<int>(rng.below(static_cast<std::size_t>(p.width / 2 + 1))) / 2);
  b.height = std::max(1, p.height / 4 + static_cast<int>(rng.below(static_cast<std::size_t>(p.height / 4 + 1))));
  b.width = std::min(b.width, p.width);
  b.height = std::min(b.height, p.height);
  b.x = p.x + static_cast<int>(rng.below(static_cast<std::size_t>(p.width - b.width + 1)));
  b.y = p.y + static_cast<int>(rng.below(static_cast<std::size_t>(p.height - b.height + 1)));
  return b;
}

AxNode assemble(std::vector<FlatNode>& flat, const std::vector<std::vector<std::size_t>>& kids,
                std::size_t i) {
  AxNode out = std::move(flat[i].node);
  out.children.reserve(kids[i].size());
  for (std::size_t k : kids[i]) out.children.push_back(assemble(flat, kids, k));
  return out;
}

}  // namespace

AxNode generate_synthetic_tree(const std::string& app, std::uint64_t seed,
                               std::size_t node_count) {
  constexpr int kMaxDepth = 12;
  if (node_count == 0) node_count = 1;
  SplitMix rng(seed ^ hash_name(app));
  std::vector<FlatNode> flat;
  flat.reserve(node_count);
  flat.push_back({AxNode{"AXApplication", app, Bounds{0, 0, 1440, 900}, {}}, 0, 0, false});
  std::vector<std::size_t> containers;
  const std::size_t windows = std::min<std::size_t>(2, node_count - 1);
  for (std::size_t w = 0; w < windows; ++w) {
    const Bounds b{static_cast<int>(40 + 60 * w), static_cast<int>(40 + 40 * w), 1200, 760};
    flat.push_back({AxNode{"AXWindow", app + " window " + std::to_string(w + 1), b, {}}, 0, 1, true});
    containers.push_back(flat.size() - 1);
  }
  while (flat.size() < node_count) {
    const std::size_t parent = containers[rng.below(containers.size())];
    const int depth = flat[parent].depth + 1;
    const bool container = depth < kMaxDepth && rng.below(4) == 0;
    const std::string_view role =
        container ? kContainers[rng.below(kContainers.size())] : kLeaves[rng.below(kLeaves.size())];
    std::string name = std::string(kWords[rng.below(kWords.size())]) + " " +
                       std::to_string(flat.size());
    const Bounds b = inside(*flat[parent].node.bounds, rng);
    flat.push_back({AxNode{std::string(role), std::move(name), b, {}}, parent, depth, container});
    if (container) containers.push_back(flat.size() - 1);
  }
  std::vector<std::vector<std::size_t>> kids(flat.size());
  for (std::size_t i = 1; i < flat.size(); ++i) kids[flat[i].parent].push_back(i);
  return assemble(flat, kids, 0);
}

}  // namespace mcpleak::axref
