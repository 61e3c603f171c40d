#include "probes/leaks_parse.h"

#include "probes/text_parse.h"

namespace mcpleak {
namespace {

using detail::parse_count;
using detail::parse_size;
using detail::split_lines;
using detail::split_words;
using detail::trim;

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

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

// "Leak: 0x153f040f0  size=112  zone: MallocStackLoggingLiteZone_0x104480000   malloc in InitLinkedList  C  Project"
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
  // After "zone: NAME" comes the type, when leaks knew it.
  for (std::size_t i = 3; i + 1 < words.size(); ++i) {
    if (words[i] != "zone:") continue;
    if (i + 2 < words.size()) {
      const auto from = words[i + 2].data() - line.data();
      b.type = std::string(trim(line.substr(static_cast<std::size_t>(from))));
    }
    break;
  }
  return b;
}

// v4: "      1 (16 bytes) ROOT LEAK: <malloc in main 0x12e7040f0> [16]  length: 3  "100""
std::optional<LeakedBlock> parse_tree_leak(std::string_view line) {
  const auto open = line.find(": <");
  const auto close = line.find('>', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) return std::nullopt;
  const auto inside = split_words(line.substr(open + 3, close - open - 3));
  if (inside.empty()) return std::nullopt;
  auto address = parse_hex(inside.back());
  const auto size_open = line.find('[', close), size_close = line.find(']', close);
  if (!address || size_open == std::string_view::npos || size_close == std::string_view::npos) return std::nullopt;
  auto size = parse_count(line.substr(size_open + 1, size_close - size_open - 1));
  if (!size) return std::nullopt;
  LeakedBlock b;
  b.address = *address;
  b.size = *size;
  const auto type_end = inside.back().data() - line.data();
  b.type = std::string(trim(line.substr(open + 3, static_cast<std::size_t>(type_end) - open - 3)));
  return b;
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
    if (starts_with(line, "Process:")) {
      const auto open = line.rfind('[');
      if (open != std::string_view::npos) r.process = std::string(trim(line.substr(8, open - 8)));
      continue;
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
      if (starts_with(rest, "[thread")) rest = rest.substr(std::min(rest.size(), rest.find(']') + 2));
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
    if (line.find("LEAK: <") != std::string_view::npos || line.find("CYCLE: <") != std::string_view::npos) {
      if (auto b = parse_tree_leak(line)) {
        b->stack = stack;
        r.blocks.push_back(std::move(*b));
      } else {
        ++r.skipped_lines;
      }
    }
    // Anything else (content dumps, "<< TOTAL >>", the target's output) is not a block.
  }
  if (!totals) return Error(Errc::parse, "no \"Process N: K leaks for M total leaked bytes.\" line in leaks output");
  return r;
}

}  // namespace mcpleak
