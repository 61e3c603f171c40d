#include "probes/heapsnapshot_parse.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace mcpleak {
namespace {

using json = nlohmann::json;

// A SAX handler that knows the snapshot's layout: the top-level arrays "nodes", "edges"
// and "strings" go straight into flat vectors; "snapshot.meta" gives the field names;
// everything else (trace trees, samples, locations) is skipped.
class SnapshotSax : public nlohmann::json_sax<json> {
 public:
  SnapshotSax(HeapSnapshot& out, HeapSnapshotPart part) : out_(out), part_(part) {}

  bool null() override { return scalar(); }
  bool boolean(bool) override { return scalar(); }
  bool number_integer(number_integer_t v) override { return number(v < 0 ? 0 : static_cast<std::uint64_t>(v)); }
  bool number_unsigned(number_unsigned_t v) override { return number(v); }
  bool number_float(number_float_t v, const string_t&) override {
    return number(v < 0 ? 0 : static_cast<std::uint64_t>(v));
  }
  bool binary(binary_t&) override { return scalar(); }
  bool string(string_t& v) override {
    if (depth_ == 2 && top_ == Top::strings) {
      if (part_ == HeapSnapshotPart::graph) out_.strings.push_back(std::move(v));
    } else if (meta_list_ && depth_ == meta_depth_) {
      meta_list_->push_back(std::move(v));
    }
    return scalar();
  }
  bool start_object(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(true); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    if (depth_ == 1) {
      in_meta_ = false;
      top_ = k == "snapshot" ? Top::snapshot : k == "nodes" ? Top::nodes : k == "edges" ? Top::edges
           : k == "strings" ? Top::strings : Top::other;
    }
    if (depth_ == 2 && top_ == Top::snapshot) {
      in_meta_ = k == "meta";
      snapshot_key_ = k;
    }
    if (depth_ == 3 && in_meta_) meta_key_ = k;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    error_ = "not a heap snapshot: JSON error at byte " + std::to_string(position) + ": " + e.what();
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  enum class Top { none, snapshot, nodes, edges, strings, other };

  bool scalar() { return true; }
  bool number(std::uint64_t v) {
    // snapshot.node_count / edge_count: the arrays' sizes, reserved once instead of
    // doubling (which would hold up to twice the memory for a moment).
    if (depth_ == 2 && top_ == Top::snapshot && part_ == HeapSnapshotPart::graph) {
      if (snapshot_key_ == "node_count") node_count_ = v;
      if (snapshot_key_ == "edge_count") edge_count_ = v;
    }
    if (depth_ == 2) {
      if (top_ == Top::nodes) {
        if (part_ == HeapSnapshotPart::graph) {
          out_.nodes.push_back(static_cast<std::uint32_t>(v));
        } else if (node_field_index_++ % stride_ == id_field_) {
          out_.nodes.push_back(static_cast<std::uint32_t>(v));  // ids only
        }
      } else if (top_ == Top::edges && part_ == HeapSnapshotPart::graph) {
        out_.edges.push_back(static_cast<std::uint32_t>(v));
      }
    }
    return scalar();
  }
  // node_fields/edge_fields are arrays of strings at depth 4; node_types/edge_types hold
  // the type names in their first element, an array at depth 5.
  bool open(bool array) {
    ++depth_;
    if (in_meta_ && depth_ == 4 && array) {
      if (meta_key_ == "node_fields") meta_list_ = &out_.node_fields, meta_depth_ = 4;
      if (meta_key_ == "edge_fields") meta_list_ = &out_.edge_fields, meta_depth_ = 4;
      if (meta_key_ == "node_types" || meta_key_ == "edge_types") types_key_ = meta_key_, type_elements_ = 0;
    } else if (in_meta_ && depth_ == 5 && array && !types_key_.empty() && type_elements_++ == 0) {
      meta_list_ = types_key_ == "node_types" ? &out_.node_types : &out_.edge_types;
      meta_depth_ = 5;
    } else if (depth_ == 2 && part_ == HeapSnapshotPart::graph && top_ == Top::nodes) {
      out_.nodes.reserve(std::min<std::uint64_t>(node_count_, kMaxReserve) * out_.node_fields.size());
    } else if (depth_ == 2 && part_ == HeapSnapshotPart::graph && top_ == Top::edges) {
      out_.edges.reserve(std::min<std::uint64_t>(edge_count_, kMaxReserve) * out_.edge_fields.size());
    } else if (depth_ == 2 && top_ == Top::nodes && part_ == HeapSnapshotPart::ids) {
      stride_ = out_.node_fields.size();
      const int id = out_.field(out_.node_fields, "id");
      if (stride_ == 0 || id < 0) {
        error_ = "not a heap snapshot: its nodes come before snapshot.meta.node_fields names an id";
        return false;
      }
      id_field_ = static_cast<std::size_t>(id);
    }
    return true;
  }
  bool close() {
    if (meta_list_ && depth_ == meta_depth_) meta_list_ = nullptr;
    if (depth_ == 4 && !types_key_.empty()) types_key_.clear();
    --depth_;
    return true;
  }

  // A count the file states but does not hold is not trusted past this.
  static constexpr std::uint64_t kMaxReserve = 50'000'000;

  HeapSnapshot& out_;
  HeapSnapshotPart part_;
  std::string snapshot_key_;
  std::uint64_t node_count_ = 0, edge_count_ = 0;
  int depth_ = 0;
  Top top_ = Top::none;
  bool in_meta_ = false;
  std::string meta_key_;
  std::string types_key_;
  int type_elements_ = 0;
  std::vector<std::string>* meta_list_ = nullptr;
  int meta_depth_ = 0;
  std::size_t stride_ = 1, id_field_ = 0, node_field_index_ = 0;
  std::string error_;
};

Result<void> check_graph(const HeapSnapshot& s) {
  const std::size_t stride = s.node_fields.size();
  if (stride == 0) return Error(Errc::parse, "not a heap snapshot: no snapshot.meta.node_fields");
  if (s.nodes.size() % stride != 0) {
    return Error(Errc::parse, "heap snapshot: " + std::to_string(s.nodes.size()) +
                                  " node values are not a multiple of " + std::to_string(stride) + " fields");
  }
  for (const char* f : {"type", "name", "id", "self_size", "edge_count"}) {
    if (s.field(s.node_fields, f) < 0) return Error(Errc::parse, std::string("heap snapshot: no node field ") + f);
  }
  const int to = s.field(s.edge_fields, "to_node");
  const std::size_t estride = s.edge_fields.size();
  if (to < 0 || estride == 0 || s.edges.size() % estride != 0) {
    return Error(Errc::parse, "heap snapshot: edges without a to_node field, or a partial edge");
  }
  std::uint64_t edge_total = 0;
  const auto ec = static_cast<std::size_t>(s.field(s.node_fields, "edge_count"));
  for (std::size_t i = ec; i < s.nodes.size(); i += stride) edge_total += s.nodes[i];
  if (edge_total != s.edges.size() / estride) {
    return Error(Errc::parse, "heap snapshot: the nodes' edge counts add up to " + std::to_string(edge_total) +
                                  ", the edge array holds " + std::to_string(s.edges.size() / estride));
  }
  for (std::size_t i = static_cast<std::size_t>(to); i < s.edges.size(); i += estride) {
    if (s.edges[i] % stride != 0 || s.edges[i] >= s.nodes.size()) {
      return Error(Errc::parse, "heap snapshot: an edge points outside the node array");
    }
  }
  return {};
}

}  // namespace

Result<HeapSnapshot> parse_heapsnapshot(std::istream& in, HeapSnapshotPart part) {
  HeapSnapshot s;
  SnapshotSax sax(s, part);
  const bool ok = json::sax_parse(in, &sax);
  if (!ok) return Error(Errc::parse, sax.error().empty() ? "not a heap snapshot" : sax.error());
  if (part == HeapSnapshotPart::graph) {
    if (auto checked = check_graph(s); !checked) return checked.error();
  } else if (s.node_fields.empty()) {
    return Error(Errc::parse, "not a heap snapshot: no snapshot.meta.node_fields");
  }
  return s;
}

Result<std::vector<std::uint32_t>> heapsnapshot_ids(std::istream& in) {
  auto s = parse_heapsnapshot(in, HeapSnapshotPart::ids);
  if (!s) return s.error();
  std::sort(s->nodes.begin(), s->nodes.end());
  return std::move(s->nodes);
}

}  // namespace mcpleak
