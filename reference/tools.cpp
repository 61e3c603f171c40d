#include "reference/tools.h"

#include <chrono>
#include <cmath>
#include <thread>

#include "reference/png_encode.h"

namespace mcpleak::axref {
namespace {

using nlohmann::json;

json int_pair_schema(const char* what) {
  return {{"type", "array"}, {"items", {{"type", "integer"}}}, {"minItems", 2},
          {"maxItems", 2}, {"description", what}};
}

// [a, b] of integers, or an error message.
Result<std::optional<std::array<int, 2>>> int_pair(const json& args, const char* key) {
  if (!args.contains(key) || args[key].is_null()) return std::optional<std::array<int, 2>>{};
  const json& v = args[key];
  if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number()) {
    return Error(Errc::usage, std::string(key) + " must be a list of exactly 2 integers");
  }
  return std::optional<std::array<int, 2>>{{v[0].get<int>(), v[1].get<int>()}};
}

}  // namespace

json text_result(const std::string& text, bool is_error) {
  json r = {{"content", json::array({{{"type", "text"}, {"text", text}}})}};
  if (is_error) r["isError"] = true;
  return r;
}

json ToolBox::list() const {
  json tools = json::array();
  tools.push_back(
      {{"name", "Snapshot"},
       {"description",
        "Captures the desktop state: focused application, open applications, the "
        "accessibility tree and interactive elements. Set use_vision=true to include a "
        "screenshot."},
       {"inputSchema",
        {{"type", "object"},
         {"properties", {{"use_vision", {{"type", "boolean"}, {"default", false}}}}}}}});
  tools.push_back(
      {{"name", "App"},
       {"description",
        "Manages applications with four modes: 'launch', 'resize' (active window), 'move' "
        "(active window), 'switch' (brings an app into focus)."},
       {"inputSchema",
        {{"type", "object"},
         {"properties",
          {{"mode", {{"type", "string"}, {"enum", {"launch", "resize", "move", "switch"}},
                     {"default", "launch"}}},
           {"name", {{"type", "string"}}},
           {"window_loc", int_pair_schema("[x, y]")},
           {"window_size", int_pair_schema("[width, height]")}}}}}});
  tools.push_back(
      {{"name", "Wait"},
       {"description", "Pauses for the given duration in seconds."},
       {"inputSchema",
        {{"type", "object"},
         {"properties", {{"duration", {{"type", "integer"}}}}},
         {"required", {"duration"}}}}});
  tools.push_back(
      {{"name", "Diagnostics"},
       {"description",
        "Live lifecycle counters of axref as JSON: observers attached, element references "
        "held, snapshots served, bytes held by caches, per-injection counters."},
       {"inputSchema", {{"type", "object"}, {"properties", json::object()}}}});
  return {{"tools", std::move(tools)}};
}

bool ToolBox::has_tool(const std::string& name) const {
  return name == "Snapshot" || name == "App" || name == "Wait" || name == "Diagnostics";
}

json ToolBox::call(const std::string& name, const json& arguments) {
  const json args = arguments.is_object() ? arguments : json::object();
  if (name == "Snapshot") return snapshot(args);
  if (name == "App") return app(args);
  if (name == "Wait") return wait(args);
  if (name == "Diagnostics") return diagnostics();
  return text_result("unknown tool: " + name, true);
}

json ToolBox::snapshot(const json& args) {
  const json& v = args.value("use_vision", json(false));
  if (!v.is_boolean()) return text_result("use_vision must be a boolean", true);
  injector_.on_call();
  auto snap = backend_.snapshot(v.get<bool>());
  if (!snap) return text_result("Snapshot failed: " + snap.error().describe(), true);
  counters_.snapshots++;
  std::string text = render_snapshot_text(snap->state);
  if (v.get<bool>() && snap->png.empty()) {
    text += "\nNote: no screenshot is attached";
    text += snap->note.empty() ? ".\n" : ": " + snap->note + "\n";
  }
  json result = text_result(text);
  if (!snap->png.empty()) {
    result["content"].push_back(
        {{"type", "image"}, {"data", base64_encode(snap->png)}, {"mimeType", "image/png"}});
  }
  return result;
}

json ToolBox::app(const json& args) {
  AppRequest req;
  if (args.contains("mode") && !args["mode"].is_null()) {
    if (!args["mode"].is_string()) return text_result("mode must be a string", true);
    req.mode = args["mode"].get<std::string>();
  }
  if (args.contains("name") && !args["name"].is_null()) {
    if (!args["name"].is_string()) return text_result("name must be a string", true);
    req.name = args["name"].get<std::string>();
  }
  auto loc = int_pair(args, "window_loc");
  if (!loc) return text_result(loc.error().message, true);
  auto size = int_pair(args, "window_size");
  if (!size) return text_result(size.error().message, true);
  req.window_loc = *loc;
  req.window_size = *size;
  injector_.on_call();
  auto text = backend_.app(req);
  if (!text) return text_result("App failed: " + text.error().describe(), true);
  return text_result(*text);
}

json ToolBox::wait(const json& args) {
  if (!args.contains("duration") || !args["duration"].is_number()) {
    return text_result("duration (seconds) is required", true);
  }
  const double seconds = args["duration"].get<double>();
  if (!(seconds >= 0) || seconds > 3600) return text_result("duration must be 0..3600 s", true);
  // Sleep in slices so the backend keeps delivering events while we wait.
  const auto end = std::chrono::steady_clock::now() +
                   std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000)));
  while (std::chrono::steady_clock::now() < end) {
    backend_.pump();
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(100), end - std::chrono::steady_clock::now()));
  }
  std::string shown = args["duration"].dump();
  return text_result("Waited for " + shown + " seconds.");
}

json ToolBox::diagnostics() {
  json d = diagnostics_json(counters_, injector_.config().mask);
  d["backend"] = std::string(backend_.name());
  d["inject_scale"] = injector_.config().scale;
  return text_result(d.dump());
}

}  // namespace mcpleak::axref
