#include "probes/malloc_history_parse.h"

#include <algorithm>

#include "probes/text_parse.h"

namespace mcpleak {
namespace {

using detail::parse_count;
using detail::parse_size;
using detail::split_lines;
using detail::split_words;
using detail::trim;

struct Node {
  std::size_t depth = 0;  // column where its count starts
  std::uint64_t count = 0, bytes = 0;
  std::string frame;
  std::uint64_t child_count = 0, child_bytes = 0;
};

// "      + ! 4800 (1.50M) walk(…)  (in axref) + 44  [0x100e0e82c]": the tree guides, then
// COUNT (SIZE) FRAME. SIZE is "1.50M", "75.0K" or "16 bytes".
std::optional<Node> parse_node(std::string_view line) {
  std::size_t at = 0;
  while (at < line.size() && (line[at] == ' ' || line[at] == '+' || line[at] == '!' || line[at] == ':' ||
                              line[at] == '|' || line[at] == '\t')) {
    ++at;
  }
  const std::string_view rest = line.substr(at);
  const auto open = rest.find(" (");
  const auto close = rest.find(')', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) return std::nullopt;
  auto count = parse_count(rest.substr(0, open));
  const auto size_words = split_words(rest.substr(open + 2, close - open - 2));
  std::optional<std::uint64_t> bytes;
  if (size_words.size() == 1) bytes = parse_size(size_words[0]);
  if (size_words.size() == 2 && size_words[1] == "bytes") bytes = parse_size(size_words[0]);
  const std::string_view frame = trim(rest.substr(close + 1));
  if (!count || !bytes || frame.empty()) return std::nullopt;
  return Node{at, *count, *bytes, std::string(frame), 0, 0};
}

// "walk(…)  (in axref) + 44  [0x100e0e82c]" -> "walk(…)  (in axref) + 44": the address
// differs from run to run, the rest names the place.
std::string without_address(const std::string& frame) {
  const auto bracket = frame.rfind("  [0x");
  return bracket == std::string::npos ? frame : frame.substr(0, bracket);
}

}  // namespace

Result<CallTree> parse_malloc_history_call_tree(std::string_view text, std::size_t max_stacks) {
  CallTree tree;
  std::vector<Node> path;  // the open nodes from the root down
  bool started = false;
  auto close_node = [&] {
    const Node n = path.back();
    path.pop_back();
    if (!path.empty()) {
      path.back().child_count += n.count;
      path.back().child_bytes += n.bytes;
    }
    if (n.frame == "<< TOTAL >>" || n.bytes <= n.child_bytes) return;
    AllocationStack s;
    for (const auto& p : path) {
      if (p.frame != "<< TOTAL >>") s.frames.push_back(without_address(p.frame));
    }
    s.frames.push_back(without_address(n.frame));
    s.bytes = n.bytes - n.child_bytes;
    s.count = n.count > n.child_count ? n.count - n.child_count : 0;
    tree.stacks.push_back(std::move(s));
  };
  for (std::string_view line : split_lines(text)) {
    if (trim(line).empty()) continue;
    auto node = parse_node(line);
    if (!node) {
      // Before the tree: MallocStackLogging lines, the report header, "Call graph:".
      if (started) ++tree.skipped_lines;
      continue;
    }
    started = true;
    if (node->frame == "<< TOTAL >>") {
      tree.total_bytes += node->bytes;
      tree.total_count += node->count;
    }
    while (!path.empty() && path.back().depth >= node->depth) close_node();
    path.push_back(std::move(*node));
  }
  while (!path.empty()) close_node();
  if (!started) return Error(Errc::parse, "no call tree line (\"COUNT (SIZE) frame\") in malloc_history output");
  if (tree.total_bytes == 0) {
    for (const auto& s : tree.stacks) {
      tree.total_bytes += s.bytes;
      tree.total_count += s.count;
    }
  }
  std::stable_sort(tree.stacks.begin(), tree.stacks.end(),
                   [](const AllocationStack& a, const AllocationStack& b) { return a.bytes > b.bytes; });
  if (tree.stacks.size() > max_stacks) tree.stacks.resize(max_stacks);
  return tree;
}

}  // namespace mcpleak
