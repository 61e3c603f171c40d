#include "probes/heap_checkpoint_parse.h"

#include "harness/mcp/json_members.h"

namespace mcpleak {
namespace {

using nlohmann::json;

// A non-negative integer member, or `fallback`.
std::uint64_t count_member(const json& j, const char* key, std::uint64_t fallback = 0) {
  const auto it = j.find(key);
  if (it == j.end()) return fallback;
  if (it->is_number_unsigned()) return it->get<std::uint64_t>();
  if (it->is_number() && it->get<double>() >= 0) return static_cast<std::uint64_t>(it->get<double>());
  return fallback;
}

double number_member(const json& j, const char* key, double fallback = 0) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}

std::vector<StackFrame> stack_of(const json& site) {
  std::vector<StackFrame> stack;
  const auto it = site.find("stack");
  if (it == site.end() || !it->is_array()) return stack;
  for (const auto& f : *it) {
    if (!f.is_object()) continue;
    stack.push_back({string_member(f, "function"), string_member(f, "file"),
                     static_cast<int>(count_member(f, "line"))});
  }
  return stack;
}

}  // namespace

Result<HeapCheckpoint> heap_checkpoint_from_json(const json& j) {
  if (!j.is_object()) return Error(Errc::parse, "a checkpoint answer must be a JSON object");
  if (!bool_member(j, "ok", false)) {
    return Error(Errc::parse, "the hook failed: " + string_member(j, "error", "no reason given"));
  }
  HeapCheckpoint c;
  c.pid = static_cast<pid_t>(count_member(j, "pid"));
  c.runtime = string_member(j, "runtime");
  c.version = string_member(j, "version");
  c.index = static_cast<int>(count_member(j, "index"));
  c.t_s = number_member(j, "t_s");
  c.calls = count_member(j, "calls");
  c.live_heap_bytes = count_member(j, "live_heap_bytes");
  if (j.contains("hook_overhead_bytes")) c.hook_overhead_bytes = count_member(j, "hook_overhead_bytes");
  c.took_s = number_member(j, "took_s");
  if (const auto it = j.find("sites"); it != j.end() && it->is_array()) {
    for (const auto& s : *it) {
      SiteSnapshot site;
      site.key = string_member(s, "key");
      if (site.key.empty()) continue;
      site.bytes = count_member(s, "bytes");
      if (s.contains("count")) site.count = count_member(s, "count");
      site.stack = stack_of(s);
      c.sites.push_back(std::move(site));
    }
  }
  if (const auto it = j.find("types"); it != j.end() && it->is_array()) {
    for (const auto& t : *it) {
      TypeSnapshot type{string_member(t, "type"), count_member(t, "count"), count_member(t, "bytes")};
      if (!type.type.empty()) c.types.push_back(std::move(type));
    }
  }
  return c;
}

json heap_checkpoint_to_json(const HeapCheckpoint& c) {
  json sites = json::array();
  for (const auto& s : c.sites) {
    json stack = json::array();
    for (const auto& f : s.stack) stack.push_back({{"function", f.function}, {"file", f.file}, {"line", f.line}});
    json site = {{"key", s.key}, {"bytes", s.bytes}, {"stack", std::move(stack)}};
    if (s.count) site["count"] = *s.count;
    sites.push_back(std::move(site));
  }
  json types = json::array();
  for (const auto& t : c.types) types.push_back({{"type", t.type}, {"count", t.count}, {"bytes", t.bytes}});
  json j = {{"ok", true},          {"pid", c.pid},
            {"runtime", c.runtime}, {"version", c.version},
            {"index", c.index},     {"t_s", c.t_s},
            {"calls", c.calls},     {"live_heap_bytes", c.live_heap_bytes},
            {"took_s", c.took_s},   {"sites", std::move(sites)},
            {"types", std::move(types)}};
  if (c.hook_overhead_bytes) j["hook_overhead_bytes"] = *c.hook_overhead_bytes;
  return j;
}

Result<HeapCheckpoint> parse_heap_checkpoint(std::string_view json_text) {
  const auto j = json::parse(json_text, nullptr, false);
  if (j.is_discarded()) return Error(Errc::parse, "a checkpoint answer is not JSON");
  return heap_checkpoint_from_json(j);
}

}  // namespace mcpleak
