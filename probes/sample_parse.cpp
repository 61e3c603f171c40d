// parse_sample_top_frames: sample(1) call graph -> heaviest top-of-stack frames.
// A call-graph line is tree-drawing characters (" + ! : |"), a count whose column is the
// depth, then the frame: "__psynch_cvwait  (in libsystem_kernel.dylib) + 8  [0x18a...]".
// Thread lines ("2662 Thread_185603   DispatchQueue_1: ...") are roots, not frames.
#include "probes/sample_parse.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <utility>

#include "probes/text_parse.h"

namespace mcpleak {
namespace {

using detail::parse_count;
using detail::split_lines;
using detail::trim;

struct Node {
  std::size_t depth = 0;       // column of the count
  std::uint64_t count = 0;
  std::uint64_t children = 0;  // sum of direct children's counts
  bool is_frame = false;
  std::string text;  // the frame as printed, continuation lines of a wrapped one appended
};

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::pair<std::string, std::string> frame_key(std::string_view frame) {
  // "main  (in profanity.x64) + 8535  [0x1078cb667]"
  const auto in = frame.find("  (in ");
  if (in == std::string_view::npos) {
    const auto bracket = frame.find("  [");
    return {std::string(trim(frame.substr(0, bracket))), ""};
  }
  const auto lib_start = in + 6;
  const auto lib_end = frame.find(')', lib_start);
  return {std::string(trim(frame.substr(0, in))),
          std::string(frame.substr(lib_start, lib_end == std::string_view::npos
                                                  ? std::string_view::npos
                                                  : lib_end - lib_start))};
}

void close_node(const Node& node, std::map<std::pair<std::string, std::string>, std::uint64_t>& own) {
  if (!node.is_frame || node.count <= node.children) return;
  own[frame_key(trim(node.text))] += node.count - node.children;
}

}  // namespace

Result<std::vector<SampleFrame>> parse_sample_top_frames(std::string_view text,
                                                         std::size_t max_frames) {
  const auto lines = split_lines(text);
  std::size_t n = 0;
  while (n < lines.size() && trim(lines[n]) != "Call graph:") ++n;
  if (n == lines.size()) return Error(Errc::parse, "no Call graph: section");

  std::map<std::pair<std::string, std::string>, std::uint64_t> own;
  std::vector<Node> stack;  // the open ancestors of the current line
  std::size_t rows = 0;
  for (++n; n < lines.size(); ++n) {
    const auto line = lines[n];
    if (trim(line).empty()) break;  // the graph ends at the first blank line
    std::size_t at = line.find_first_not_of(" +!:|");
    std::size_t digits_end = at;
    while (digits_end < line.size() && std::isdigit(static_cast<unsigned char>(line[digits_end]))) ++digits_end;
    // A counted line is indented and its count is a word of its own; the tail of a
    // wrapped address ("1031b2a40]") at column 0 is not. Nor is a wrapped tail that
    // reads like a count (" + 52  [0x100e0a2cc]"): a frame follows a real count, not an
    // address, and a real count sits deeper than the line above or level with one of
    // its ancestors.
    bool counted = at != std::string_view::npos && at > 0 && digits_end > at &&
                   (digits_end == line.size() || line[digits_end] == ' ');
    if (counted) {
      const auto after = trim(line.substr(digits_end));
      const bool level = stack.empty() || at > stack.back().depth ||
                         std::any_of(stack.begin(), stack.end(), [&](const Node& a) { return a.depth == at; });
      counted = !after.empty() && after.front() != '[' && level;
    }
    if (!counted) {
      // A long line wrapped by a terminal or a mail client (fold(1)-style: nothing added
      // or lost) continues the frame above; with nothing above it is left out.
      if (!stack.empty()) stack.back().text += std::string(line);
      continue;
    }
    std::size_t end = at;
    while (end < line.size() && std::isdigit(static_cast<unsigned char>(line[end]))) ++end;
    Node node;
    node.depth = at;
    node.count = *parse_count(line.substr(at, end - at));
    // Spaces at the end are kept: a wrapped line may have been cut inside "  (in ".
    auto rest = line.substr(end);
    rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(' ')));
    node.is_frame = !starts_with(rest, "Thread_") && !starts_with(rest, "Thread ");
    if (node.is_frame) node.text = std::string(rest);

    while (!stack.empty() && stack.back().depth >= node.depth) {
      close_node(stack.back(), own);
      stack.pop_back();
    }
    if (!stack.empty()) stack.back().children += node.count;
    stack.push_back(std::move(node));
    ++rows;
  }
  while (!stack.empty()) {
    close_node(stack.back(), own);
    stack.pop_back();
  }
  if (rows == 0) return Error(Errc::parse, "empty call graph");

  std::vector<SampleFrame> frames;
  frames.reserve(own.size());
  for (auto& [key, samples] : own) frames.push_back({key.first, key.second, samples});
  std::sort(frames.begin(), frames.end(), [](const SampleFrame& a, const SampleFrame& b) {
    if (a.samples != b.samples) return a.samples > b.samples;
    return a.symbol < b.symbol;
  });
  if (frames.size() > max_frames) frames.resize(max_frames);
  return frames;
}

}  // namespace mcpleak
