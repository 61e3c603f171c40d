#include "probes/heaptrack_parse.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>

namespace mcpleak {
namespace {

// The next hex number of `rest`, consuming it and the space after it.
std::optional<std::uint64_t> take_hex(std::string_view& rest) {
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value, 16);
  if (ec != std::errc{} || (end != rest.data() + rest.size() && *end != ' ')) return std::nullopt;
  rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
  return value;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The allocator's frames: what a stack passes through on its way to malloc, never the
// code that wanted the memory. With debug information the standard library's inlined
// helpers (make_unique, allocator<T>::allocate) have unqualified names but their
// header as file.
bool allocator_frame(const StackFrame& frame) {
  if (frame.file.find("/include/c++/") != std::string::npos) return true;
  const std::string_view module = std::string_view(frame.file).substr(frame.file.find_last_of('/') + 1);
  if (frame.line == 0 && (starts_with(module, "libstdc++.so") || starts_with(module, "libc++.so"))) return true;
  const std::string_view function = frame.function;
  static constexpr std::array<std::string_view, 12> c_allocators = {
      "malloc", "calloc", "realloc", "reallocarray", "posix_memalign", "aligned_alloc",
      "memalign", "valloc", "pvalloc", "strdup", "strndup", "__libc_memalign"};
  if (std::find(c_allocators.begin(), c_allocators.end(), function) != c_allocators.end()) return true;
  return starts_with(function, "operator new") || starts_with(function, "std::") ||
         starts_with(function, "void std::") || starts_with(function, "__gnu_cxx::") ||
         starts_with(function, "g_malloc") || starts_with(function, "g_realloc") ||
         starts_with(function, "g_try_malloc") || starts_with(function, "g_slice_alloc");
}

// "ns::Class::f(int, std::vector<…> const&) const" -> "ns::Class::f": demangled
// parameter lists of C++ symbols run to hundreds of characters and name no place.
std::string without_parameters(std::string name) {
  for (std::string_view suffix : {" const", " &&", " &"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) name.resize(name.size() - suffix.size());
  }
  if (name.empty() || name.back() != ')') return name;
  int depth = 0;
  for (std::size_t i = name.size(); i-- > 0;) {
    if (name[i] == ')') ++depth;
    if (name[i] == '(' && --depth == 0) {
      // "(anonymous namespace)" is part of a name, not a parameter list.
      if (i == 0) return name;
      name.resize(i);
      break;
    }
  }
  for (const std::string tag : {"[abi:cxx11]"}) {
    if (name.ends_with(tag)) name.resize(name.size() - tag.size());
  }
  return name;
}

std::string frame_text(const StackFrame& f) {
  std::string text = f.function;
  if (!f.file.empty()) {
    text += " (" + f.file.substr(f.file.find_last_of('/') + 1);
    if (f.line > 0) text += ":" + std::to_string(f.line);
    text += ")";
  }
  return text;
}

}  // namespace

void HeaptrackReader::feed(std::string_view bytes) {
  std::size_t start = 0;
  if (!pending_.empty()) {
    const auto nl = bytes.find('\n');
    if (nl == std::string_view::npos) {
      pending_.append(bytes);
      return;
    }
    pending_.append(bytes.substr(0, nl));
    parse_line(pending_);
    pending_.clear();
    start = nl + 1;
  }
  while (start < bytes.size()) {
    const auto nl = bytes.find('\n', start);
    if (nl == std::string_view::npos) {
      pending_.assign(bytes.substr(start));
      return;
    }
    parse_line(bytes.substr(start, nl - start));
    start = nl + 1;
  }
}

const std::string& HeaptrackReader::string_at(std::uint64_t index) const {
  static const std::string none;
  return index == 0 || index > strings_.size() ? none : strings_[index - 1];
}

bool HeaptrackReader::parse_ip(std::string_view rest) {
  Ip ip;
  auto address = take_hex(rest);
  auto module = take_hex(rest);
  if (!address || !module) return false;
  ip.address = *address;
  ip.module = static_cast<std::uint32_t>(*module);
  // Frames come in threes: the innermost (where the address is, perhaps inlined) first,
  // then each function it was inlined into. Without debug information a frame is the
  // symbol's function alone.
  while (!rest.empty()) {
    auto function = take_hex(rest);
    if (!function) return false;
    auto file = take_hex(rest);
    auto line = file ? take_hex(rest) : std::nullopt;
    if (file.has_value() != line.has_value()) return false;
    ip.frames.push_back({string_at(*function), string_at(file.value_or(0)), static_cast<int>(line.value_or(0))});
  }
  ips_.push_back(std::move(ip));
  return true;
}

void HeaptrackReader::parse_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return;
  const char mode = line.front();
  std::string_view rest = line.size() > 2 ? line.substr(2) : std::string_view{};
  bool ok = true;
  switch (mode) {
    case 's':
      if (file_version_ >= 3) {
        auto length = take_hex(rest);
        if (!length || rest.size() < *length + 1 || rest.front() != ' ') {
          ok = false;
          strings_.emplace_back();  // keeps later indexes right
          break;
        }
        strings_.emplace_back(rest.substr(1, *length));
      } else {
        strings_.emplace_back(rest);
      }
      break;
    case 'i':
      if (!parse_ip(rest)) {
        ok = false;
        ips_.emplace_back();
      }
      break;
    case 't': {
      auto ip = take_hex(rest), parent = take_hex(rest);
      ok = ip && parent;
      traces_.push_back({static_cast<std::uint32_t>(ip.value_or(0)), static_cast<std::uint32_t>(parent.value_or(0))});
      break;
    }
    case 'a': {
      auto size = take_hex(rest), trace = take_hex(rest);
      ok = size && trace;
      infos_.push_back({size.value_or(0), static_cast<std::uint32_t>(trace.value_or(0)), 0});
      break;
    }
    case '+':
    case '-': {
      auto index = take_hex(rest);
      if (!index || *index >= infos_.size()) {
        ok = false;
        break;
      }
      auto& info = infos_[*index];
      if (mode == '+') {
        ++info.live;
        ++live_blocks_;
        live_bytes_ += info.size;
        ++allocations_;
      } else if (info.live > 0) {  // a block allocated before tracing began is not counted
        --info.live;
        --live_blocks_;
        live_bytes_ -= info.size;
      }
      break;
    }
    case 'c': {
      auto ms = take_hex(rest);
      ok = ms.has_value();
      if (ms) last_time_ms_ = *ms;
      break;
    }
    case 'v': {
      auto version = take_hex(rest);
      ok = version.has_value();
      heaptrack_version_ = version.value_or(0);
      // Before 1.0 the file version was the heaptrack version (0x010200): format 1.
      file_version_ = take_hex(rest).value_or(heaptrack_version_ == 0x010200 ? 1 : 0);
      break;
    }
    case 'X':
      command_ = std::string(rest);
      break;
    case '#':
      if (starts_with(line, "# strings:")) ended_ = true;
      break;
    case 'R':
    case 'I':
    case 'A':
    case 'S':
      break;
    default:
      ok = false;
  }
  if (!ok) ++skipped_;
}

std::string HeaptrackReader::heaptrack_version() const {
  if (heaptrack_version_ == 0) return {};
  const auto v = heaptrack_version_;
  return std::to_string(v >> 16) + "." + std::to_string(v >> 8 & 0xff) + "." + std::to_string(v & 0xff);
}

std::vector<StackFrame> HeaptrackReader::stack_of(std::uint32_t trace, std::size_t max_frames) const {
  std::vector<StackFrame> stack;
  // Parents always come before children in the file; the bound guards a damaged one.
  for (std::size_t hops = 0; trace != 0 && trace <= traces_.size() && hops < traces_.size(); ++hops) {
    const Trace& t = traces_[trace - 1];
    if (t.ip >= 1 && t.ip <= ips_.size()) {
      const Ip& ip = ips_[t.ip - 1];
      if (ip.frames.empty()) {
        char address[24];
        const auto end = std::to_chars(address, address + sizeof address, ip.address, 16).ptr;
        stack.push_back({"0x" + std::string(address, end), string_at(ip.module), 0});
      }
      for (const auto& f : ip.frames) {
        stack.push_back({without_parameters(f.function), f.file.empty() ? string_at(ip.module) : f.file,
                         f.file.empty() ? 0 : f.line});
      }
    }
    trace = t.parent;
  }
  const auto first_own = std::find_if(stack.begin(), stack.end(),
                                      [](const StackFrame& f) { return !allocator_frame(f); });
  if (first_own != stack.end()) stack.erase(stack.begin(), first_own);
  if (stack.size() > max_frames) stack.resize(max_frames);
  return stack;
}

std::vector<SiteSnapshot> HeaptrackReader::live_sites(const HeaptrackSiteRule& rule) const {
  struct Live {
    std::uint64_t bytes = 0, blocks = 0;
  };
  std::map<std::uint32_t, Live> by_trace;
  for (const auto& info : infos_) {
    if (info.live == 0) continue;
    auto& l = by_trace[info.trace];
    l.bytes += info.size * info.live;
    l.blocks += info.live;
  }
  std::map<std::string, SiteSnapshot> by_key;
  std::map<std::string, std::uint64_t> heaviest;  // bytes of the stack that stands for a key
  for (const auto& [trace, live] : by_trace) {
    auto stack = stack_of(trace, rule.max_frames);
    // A recursive function's frames count once, so its allocations at every depth merge.
    std::string key;
    std::size_t named = 0;
    for (std::size_t i = 0; i < stack.size() && named < rule.key_frames; ++i) {
      if (i > 0 && stack[i].function == stack[i - 1].function) continue;
      key += (named++ == 0 ? "" : " < ") + frame_text(stack[i]);
    }
    if (key.empty()) key = "(no stack)";
    auto& site = by_key[key];
    if (site.key.empty()) {
      site.key = key;
      site.count = 0;
    }
    // The heaviest stack of a merged site stands for it.
    if (auto& h = heaviest[key]; site.stack.empty() || live.bytes > h) {
      h = live.bytes;
      site.stack = std::move(stack);
    }
    site.bytes += live.bytes;
    *site.count += live.blocks;
  }
  std::vector<SiteSnapshot> sites;
  for (auto& [key, site] : by_key) {
    if (site.bytes >= rule.min_bytes) sites.push_back(std::move(site));
  }
  std::sort(sites.begin(), sites.end(), [](const SiteSnapshot& a, const SiteSnapshot& b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.key < b.key;
  });
  if (sites.size() > rule.max_sites) sites.resize(rule.max_sites);
  return sites;
}

}  // namespace mcpleak
