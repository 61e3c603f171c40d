// The plain-data accessibility tree a backend returns from a walk, and its text rendering
// (the Snapshot tool's text, shaped after CursorTouch/MacOS-MCP's Snapshot output).
// Holds no OS handle: element references are released before this is built.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace mcpleak::axref {

struct Bounds {
  int x = 0, y = 0, width = 0, height = 0;
};

struct AxNode {
  std::string role;  // "AXButton" (macOS, synthetic) or "push button" (AT-SPI)
  std::string name;  // title / accessible name; may be empty
  std::optional<Bounds> bounds;
  std::vector<AxNode> children;
};

struct AppInfo {
  std::string name;
  int pid = 0;
};

struct DesktopState {
  AppInfo frontmost;
  std::vector<AppInfo> open_apps;
  AxNode root;           // the frontmost application's element
  bool truncated = false;  // the walk hit its node or depth cap
};

std::size_t count_nodes(const AxNode& root);

// True for roles a user acts on (buttons, fields, links, menu items, ...), both
// spellings (AX* and AT-SPI role names).
bool is_interactive_role(const std::string& role);

// Sections: "Focused Application", "Open Applications", "Accessibility Tree (N nodes)"
// with one indented line per node (role "name" (x,y,w,h)), then "List of Interactive
// Elements" as `id|window|control_type|name|coords` rows like MacOS-MCP.
std::string render_snapshot_text(const DesktopState& state);

}  // namespace mcpleak::axref
