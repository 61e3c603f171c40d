#include "probes/leaks_parse.h"

#include "probes/text_parse.h"

namespace mcpleak {
namespace {

using detail::parse_count;
using detail::split_lines;
using detail::split_words;
using detail::trim;

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::optional<std::uint64_t> parse_hex(std::string_view token) {
  if (starts_with(token, "0x")) token.remove_prefix(2);
  if (token.empty() || token.size() > 16) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : token) {
    const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) return std::nullopt;
    v = v << 4 | static_cast<std::uint64_t>(d);
  }
  return v;
}

// "Process 89995: 400 leaks for 6400 total leaked bytes." / "1 leak for 16 total ...".
bool parse_leak_totals(std::string_view line, LeaksReport& r) {
  const auto words = split_words(line);
  if (words.size() < 8 || words[0] != "Process" || (words[3] != "leaks" && words[3] != "leak")) return false;
  auto pid = parse_count(words[1].substr(0, words[1].size() - 1));
  auto count = parse_count(words[2]);
  auto bytes = parse_count(words[5]);
  if (!pid || !count || !bytes || words[4] != "for") return false;
  r.pid = static_cast<pid_t>(*pid);
  r.leak_count = *count;
  r.leaked_bytes = *bytes;
  return true;
}

// What leaks prints after a block's size is either its type ("malloc in InitLinkedList  C
// Project", "AXObserver  CFType  HIServices") or a description of its content
// ('length: 7  "10.2.13"', "string 'resource'"); the content is not a type.
std::string type_without_content(std::string_view text) {
  text = trim(text);
  if (starts_with(text, "length:") || starts_with(text, "string '")) return {};
  const auto content = text.find("  length: ");
  return std::string(trim(text.substr(0, content)));
}

// "Leak: 0x153f040f0  size=112  zone: MallocStackLoggingLiteZone_0x104480000   malloc in InitLinkedList  C  Project"
// Reports before 2.0 print no zone: "Leak: 0x514e00  size=48 string ''".
std::optional<LeakedBlock> parse_leak_line(std::string_view line) {
  const auto words = split_words(line);
  if (words.size() < 3) return std::nullopt;
  auto address = parse_hex(words[1]);
  if (!address || !starts_with(words[2], "size=")) return std::nullopt;
  auto size = parse_count(words[2].substr(5));
  if (!size) return std::nullopt;
  LeakedBlock b;
  b.address = *address;
  b.size = *size;
  // The type follows "zone: NAME" when a zone is printed, else the size.
  std::size_t type_word = 3;
  for (std::size_t i = 3; i < words.size(); ++i) {
    if (words[i] == "zone:") {
      type_word = i + 2;
      break;
    }
  }
  if (type_word < words.size()) {
    const auto from = static_cast<std::size_t>(words[type_word].data() - line.data());
    b.type = type_without_content(line.substr(from));
  }
  return b;
}

enum class TreeLine { block, not_a_block, unreadable };

// One line of the 4.0 tree: a count, "(SIZE)", then the block — "<TYPE ADDRESS>" or a
// bare ADDRESS — and "[SIZE]", optionally after "ROOT LEAK:" / "ROOT CYCLE:" (a root)
// or "field -->" (a block reached from its parent):
//   "      1 (16 bytes) ROOT LEAK: <malloc in main 0x12e7040f0> [16]  length: 3  "100""
//   "      1 (44.0K) ROOT LEAK: 0x10f3b5000 [45056]"
//   "         1 (112 bytes) 0x7f9326d00480 [112]"
//   "     1 (32 bytes) apartment --> ROOT CYCLE: <Apartment 0x600002332660> [32]"
// "<< TOTAL >>" and "CYCLE BACK TO" lines name no new block.
TreeLine parse_tree_line(std::string_view line, LeakedBlock& block, bool& root) {
  const auto t = trim(line);
  std::size_t digits = 0;
  while (digits < t.size() && t[digits] >= '0' && t[digits] <= '9') ++digits;
  if (digits == 0 || t.substr(digits, 2) != " (") return TreeLine::not_a_block;
  const auto close = t.find(')', digits);
  if (close == std::string_view::npos) return TreeLine::not_a_block;
  std::string_view rest = trim(t.substr(close + 1));
  if (starts_with(rest, "<< TOTAL >>") || rest.find("CYCLE BACK TO") != std::string_view::npos)
    return TreeLine::not_a_block;
  if (const auto arrow = rest.find("--> "); arrow != std::string_view::npos) rest = trim(rest.substr(arrow + 4));
  root = starts_with(rest, "ROOT LEAK:") || starts_with(rest, "ROOT CYCLE:");
  if (root) rest = trim(rest.substr(rest.find(':') + 1));
  std::optional<std::uint64_t> address;
  std::string_view type;
  if (starts_with(rest, "<")) {
    // The type may hold '<' and '>' itself ("std::vector<int>"); the block ends at "> [".
    const auto end = rest.find("> [");
    if (end == std::string_view::npos) return TreeLine::unreadable;
    const auto inside = split_words(rest.substr(1, end - 1));
    if (inside.empty()) return TreeLine::unreadable;
    address = parse_hex(inside.back());
    type = trim(rest.substr(1, static_cast<std::size_t>(inside.back().data() - rest.data()) - 1));
    rest = rest.substr(end + 2);
  } else {
    const auto words = split_words(rest);
    if (words.empty()) return TreeLine::unreadable;
    address = parse_hex(words[0]);
    rest = trim(rest.substr(static_cast<std::size_t>(words[0].data() + words[0].size() - rest.data())));
  }
  const auto size_end = rest.find(']');
  if (!address || !starts_with(rest, "[") || size_end == std::string_view::npos) return TreeLine::unreadable;
  auto size = parse_count(rest.substr(1, size_end - 1));
  if (!size) return TreeLine::unreadable;
  block = LeakedBlock{};
  block.address = *address;
  block.size = *size;
  block.type = std::string(type);
  return TreeLine::block;
}

// v4 stack frame: "2   main.exe   0x1001bf220 main + 16  main.cpp:0" -> "main + 16  main.cpp:0 (main.exe)".
std::optional<std::string> parse_frame(std::string_view line) {
  const auto words = split_words(line);
  if (words.size() < 4 || !parse_count(words[0]) || !parse_hex(words[2])) return std::nullopt;
  const auto from = words[3].data() - line.data();
  return std::string(trim(line.substr(static_cast<std::size_t>(from)))) + " (" + std::string(words[1]) + ")";
}

}  // namespace

Result<LeaksReport> parse_leaks(std::string_view text) {
  LeaksReport r;
  bool totals = false;
  std::vector<std::string> stack;  // the v4 "STACK OF" frames above the next tree
  bool in_stack = false;
  for (std::string_view raw : split_lines(text)) {
    const std::string_view line = trim(raw);
    if (line.empty()) {
      in_stack = false;
      continue;
    }
    if (const auto at = line.find("Process:"); at != std::string_view::npos && r.process.empty() &&
                                                !starts_with(line, "Parent Process:")) {
      // "Process:         Python [4312]"; the target's last output line, printed without
      // a newline, may come first on the same line.
      const auto header = line.substr(at + 8);
      const auto open = header.rfind('[');
      if (open != std::string_view::npos && ends_with(header, "]")) {
        r.process = std::string(trim(header.substr(0, open)));
        continue;
      }
    }
    if (starts_with(line, "leaks Report Version:")) {
      std::string_view v = trim(line.substr(21));
      r.report_version = std::string(trim(v.substr(0, v.find(','))));
      continue;
    }
    if (starts_with(line, "Process ") && line.find(" nodes malloced for ") != std::string_view::npos) {
      const auto words = split_words(line);
      if (words.size() >= 3) {
        if (auto n = parse_count(words[2])) r.nodes_malloced = *n;
      }
      continue;
    }
    if (!totals && starts_with(line, "Process ") && parse_leak_totals(line, r)) {
      totals = true;
      continue;
    }
    if (!totals) continue;  // the target's own output, MallocStackLogging lines, the header
    if (starts_with(line, "Leak:")) {
      if (auto b = parse_leak_line(line)) {
        r.blocks.push_back(std::move(*b));
      } else {
        ++r.skipped_lines;
      }
      continue;
    }
    if (starts_with(line, "Call stack:")) {
      if (r.blocks.empty()) {
        ++r.skipped_lines;
        continue;
      }
      std::string_view rest = trim(line.substr(11));
      // "[thread 0x10a974380]: | 0x10a5f678d (libdyld.dylib) start | ..."
      if (starts_with(rest, "[thread")) {
        const auto close = rest.find(']');
        rest = close == std::string_view::npos ? std::string_view{} : trim(rest.substr(close + 1));
        if (starts_with(rest, ":")) rest = trim(rest.substr(1));
      }
      while (!rest.empty()) {
        const auto bar = rest.find(" | ");
        std::string_view frame = trim(rest.substr(0, bar));
        if (starts_with(frame, "|")) frame = trim(frame.substr(1));
        if (!frame.empty()) r.blocks.back().stack.emplace_back(frame);
        rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 3);
      }
      continue;
    }
    if (starts_with(line, "STACK OF ")) {
      stack.clear();
      in_stack = true;
      continue;
    }
    if (line == "====") {
      in_stack = false;
      continue;
    }
    if (in_stack) {
      if (auto frame = parse_frame(line)) {
        stack.push_back(std::move(*frame));  // printed outermost (N) first, innermost (0) last
      } else {
        ++r.skipped_lines;
      }
      continue;
    }
    LeakedBlock block;
    bool root = false;
    switch (parse_tree_line(line, block, root)) {
      case TreeLine::block:
        if (root) block.stack = stack;  // the STACK OF group above holds root blocks
        r.blocks.push_back(std::move(block));
        break;
      case TreeLine::unreadable:
        ++r.skipped_lines;
        break;
      case TreeLine::not_a_block:
        // Content dumps, "<< TOTAL >>", "CYCLE BACK TO", the target's output.
        break;
    }
  }
  if (!totals) return Error(Errc::parse, "no \"Process N: K leaks for M total leaked bytes.\" line in leaks output");
  return r;
}

}  // namespace mcpleak
