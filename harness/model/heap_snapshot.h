// A V8 heap snapshot (.heapsnapshot) as flat integer arrays, the way the file stores
// it: `nodes` holds node_fields.size() values per node, `edges` edge_fields.size() per
// edge, in node order (each node's edge_count edges follow the previous node's).
// Parsed by probes/heapsnapshot_parse.h; diffed by analysis/heap_diff.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mcpleak {

struct HeapSnapshot {
  std::vector<std::string> node_fields;  // "type", "name", "id", "self_size", "edge_count", ...
  std::vector<std::string> node_types;   // names of the values of the "type" field
  std::vector<std::string> edge_fields;  // "type", "name_or_index", "to_node"
  std::vector<std::string> edge_types;   // "context", "element", "property", "internal", ...
  std::vector<std::uint32_t> nodes;
  std::vector<std::uint32_t> edges;
  std::vector<std::string> strings;

  // Offsets of the fields the diff needs; -1 when the file has no such field.
  int field(const std::vector<std::string>& fields, const char* name) const {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (fields[i] == name) return static_cast<int>(i);
    }
    return -1;
  }
  std::size_t node_count() const { return node_fields.empty() ? 0 : nodes.size() / node_fields.size(); }
};

}  // namespace mcpleak
