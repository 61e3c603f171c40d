#include "harness/analysis/heap_diff.h"

#include <algorithm>
#include <deque>
#include <map>
#include <string_view>

namespace mcpleak::analysis {
namespace {

constexpr std::uint32_t kUnreached = UINT32_MAX;
constexpr std::size_t kMaxPathHops = 8;

// V8's own bookkeeping: never what a server's code retains by itself.
bool internal_type(std::string_view type) {
  return type == "hidden" || type == "code" || type == "object shape" || type == "synthetic";
}

bool string_type(std::string_view type) {
  return type == "string" || type == "concatenated string" || type == "sliced string";
}

// Field offsets and strides of one snapshot, looked up once.
struct Layout {
  std::size_t stride, type, name, id, self_size, edge_count, estride, etype, ename, eto;
  explicit Layout(const HeapSnapshot& s)
      : stride(s.node_fields.size()),
        type(static_cast<std::size_t>(s.field(s.node_fields, "type"))),
        name(static_cast<std::size_t>(s.field(s.node_fields, "name"))),
        id(static_cast<std::size_t>(s.field(s.node_fields, "id"))),
        self_size(static_cast<std::size_t>(s.field(s.node_fields, "self_size"))),
        edge_count(static_cast<std::size_t>(s.field(s.node_fields, "edge_count"))),
        estride(s.edge_fields.size()),
        etype(static_cast<std::size_t>(s.field(s.edge_fields, "type"))),
        ename(static_cast<std::size_t>(s.field(s.edge_fields, "name_or_index"))),
        eto(static_cast<std::size_t>(s.field(s.edge_fields, "to_node"))) {}
};

std::string_view at(const std::vector<std::string>& names, std::uint32_t i) {
  return i < names.size() ? std::string_view(names[i]) : std::string_view("?");
}

// Breadth-first from node 0 (the synthetic root) over every edge but weak ones and
// shortcuts: each reached node's parent node and the edge taken, in BFS order, so the
// first member of a group reached has the shortest path.
struct Retainers {
  std::vector<std::uint32_t> parent;       // node index of the parent, kUnreached if none
  std::vector<std::uint32_t> parent_edge;  // edge offset in `edges`
  std::vector<std::uint32_t> order;        // node indexes in BFS order
};

Retainers shortest_retainers(const HeapSnapshot& s, const Layout& l) {
  const std::size_t n = s.node_count();
  Retainers r;
  r.parent.assign(n, kUnreached);
  r.parent_edge.assign(n, kUnreached);
  std::vector<std::uint32_t> first_edge(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    first_edge[i + 1] = first_edge[i] + s.nodes[i * l.stride + l.edge_count] * static_cast<std::uint32_t>(l.estride);
  }
  if (n == 0) return r;
  std::deque<std::uint32_t> queue{0};
  r.parent[0] = 0;
  while (!queue.empty()) {
    const std::uint32_t node = queue.front();
    queue.pop_front();
    r.order.push_back(node);
    for (std::uint32_t e = first_edge[node]; e < first_edge[node + 1]; e += static_cast<std::uint32_t>(l.estride)) {
      const std::string_view etype = at(s.edge_types, s.edges[e + l.etype]);
      if (etype == "weak" || etype == "shortcut") continue;
      const std::uint32_t to = s.edges[e + l.eto] / static_cast<std::uint32_t>(l.stride);
      if (r.parent[to] != kUnreached) continue;
      r.parent[to] = node;
      r.parent_edge[to] = e;
      queue.push_back(to);
    }
  }
  return r;
}

std::string node_label(const HeapSnapshot& s, const Layout& l, std::uint32_t node) {
  const std::string_view type = at(s.node_types, s.nodes[node * l.stride + l.type]);
  if (string_type(type)) return "(string)";
  const std::string_view name = at(s.strings, s.nodes[node * l.stride + l.name]);
  return name.empty() ? "(" + std::string(type) + ")" : std::string(name.substr(0, 80));
}

std::string edge_label(const HeapSnapshot& s, const Layout& l, std::uint32_t edge) {
  const std::string_view type = at(s.edge_types, s.edges[edge + l.etype]);
  const std::uint32_t name = s.edges[edge + l.ename];
  if (type == "element" || type == "hidden") return "[" + std::to_string(name) + "]";
  return std::string(at(s.strings, name).substr(0, 80));
}

// Root side first: node, edge, node, edge, ... ending at `node`; the synthetic root
// itself is left out, and a long path keeps its last hops behind "...".
std::vector<std::string> path_to(const HeapSnapshot& s, const Layout& l, const Retainers& r, std::uint32_t node) {
  std::vector<std::string> reversed;
  std::size_t hops = 0;
  while (node != 0 && r.parent[node] != kUnreached) {
    if (++hops > kMaxPathHops) {
      reversed.push_back("...");
      break;
    }
    reversed.push_back(node_label(s, l, node));
    reversed.push_back(edge_label(s, l, r.parent_edge[node]));
    node = r.parent[node];
  }
  return {reversed.rbegin(), reversed.rend()};
}

}  // namespace

HeapSnapshotDiff diff_heap_snapshots(std::span<const std::uint32_t> first_ids,
                                     std::span<const std::uint32_t> second_ids, const HeapSnapshot& third,
                                     std::uint64_t calls_between, std::size_t max_groups) {
  HeapSnapshotDiff diff;
  std::vector<std::uint32_t> fresh;  // in the second, not in the first
  std::set_difference(second_ids.begin(), second_ids.end(), first_ids.begin(), first_ids.end(),
                      std::back_inserter(fresh));
  diff.new_in_second = fresh.size();
  const Layout l(third);
  const std::size_t n = third.node_count();
  std::vector<bool> suspect(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t id = third.nodes[i * l.stride + l.id];
    if (!std::binary_search(fresh.begin(), fresh.end(), id)) continue;
    if (internal_type(at(third.node_types, third.nodes[i * l.stride + l.type]))) continue;
    suspect[i] = true;
    ++diff.still_alive;
  }
  // Grouped by (type, constructor); a group's representative is its first member in BFS
  // order, the one with the shortest retainer path.
  const Retainers r = shortest_retainers(third, l);
  struct Group {
    RetainedGroup g;
    std::uint32_t representative = kUnreached;
  };
  std::map<std::pair<std::string, std::string>, Group> groups;
  auto add = [&](std::uint32_t node) {
    const std::string type(at(third.node_types, third.nodes[node * l.stride + l.type]));
    Group& group = groups[{type, node_label(third, l, node)}];
    group.g.type = type;
    group.g.constructor = node_label(third, l, node);
    ++group.g.count;
    group.g.self_bytes += third.nodes[node * l.stride + l.self_size];
    return &group;
  };
  for (std::uint32_t node : r.order) {
    if (!suspect[node]) continue;
    Group* g = add(node);
    if (g->representative == kUnreached) g->representative = node;
    suspect[node] = false;
  }
  for (std::size_t i = 0; i < n; ++i) {  // suspects no strong path reaches
    if (suspect[i]) add(static_cast<std::uint32_t>(i));
  }
  std::vector<Group> ranked;
  for (auto& [key, g] : groups) ranked.push_back(std::move(g));
  std::sort(ranked.begin(), ranked.end(), [](const Group& a, const Group& b) {
    return a.g.self_bytes != b.g.self_bytes ? a.g.self_bytes > b.g.self_bytes : a.g.count > b.g.count;
  });
  if (ranked.size() > max_groups) ranked.resize(max_groups);
  for (auto& g : ranked) {
    if (calls_between > 0) g.g.per_call = static_cast<double>(g.g.count) / static_cast<double>(calls_between);
    if (g.representative != kUnreached) g.g.retainer_path = path_to(third, l, r, g.representative);
    diff.groups.push_back(std::move(g.g));
  }
  return diff;
}

}  // namespace mcpleak::analysis
