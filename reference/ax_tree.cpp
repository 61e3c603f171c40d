#include "reference/ax_tree.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace mcpleak::axref {
namespace {

void render_node(const AxNode& node, int depth, std::string& out) {
  out.append(static_cast<std::size_t>(depth) * 2, ' ');
  out += node.role;
  if (!node.name.empty()) {
    out += " \"";
    out += node.name;
    out += '"';
  }
  if (node.bounds) {
    const Bounds& b = *node.bounds;
    out += " (" + std::to_string(b.x) + "," + std::to_string(b.y) + "," +
           std::to_string(b.width) + "," + std::to_string(b.height) + ")";
  }
  out += '\n';
  for (const auto& child : node.children) render_node(child, depth + 1, out);
}

bool is_window_role(const std::string& role) {
  return role == "AXWindow" || role == "frame" || role == "window" || role == "dialog";
}

void collect_interactive(const AxNode& node, const std::string& window, std::string& out,
                         std::size_t& next_id) {
  const std::string& here = is_window_role(node.role) ? node.name : window;
  if (is_interactive_role(node.role)) {
    out += std::to_string(next_id++) + "|" + here + "|" + node.role + "|" + node.name + "|";
    if (node.bounds) {
      out += "(" + std::to_string(node.bounds->x + node.bounds->width / 2) + "," +
             std::to_string(node.bounds->y + node.bounds->height / 2) + ")";
    }
    out += "|{}\n";
  }
  for (const auto& child : node.children) collect_interactive(child, here, out, next_id);
}

}  // namespace

std::size_t count_nodes(const AxNode& root) {
  std::size_t n = 1;
  for (const auto& child : root.children) n += count_nodes(child);
  return n;
}

bool is_interactive_role(const std::string& role) {
  static constexpr std::array<std::string_view, 22> kRoles = {
      "AXButton", "AXCheckBox", "AXRadioButton", "AXTextField", "AXTextArea", "AXLink",
      "AXMenuItem", "AXPopUpButton", "AXComboBox", "AXSlider", "AXTab",
      "push button", "toggle button", "check box", "radio button", "text", "entry",
      "link", "menu item", "combo box", "slider", "page tab"};
  return std::find(kRoles.begin(), kRoles.end(), role) != kRoles.end();
}

std::string render_snapshot_text(const DesktopState& state) {
  std::string out;
  out += "Focused Application:\n" + state.frontmost.name + " (pid " +
         std::to_string(state.frontmost.pid) + ")\n\nOpen Applications:\n";
  for (const auto& app : state.open_apps) {
    out += app.name + " (pid " + std::to_string(app.pid) + ")\n";
  }
  out += "\nAccessibility Tree (" + std::to_string(count_nodes(state.root)) + " nodes" +
         (state.truncated ? ", truncated" : "") + "):\n";
  render_node(state.root, 0, out);
  out += "\nList of Interactive Elements:\n";
  std::string rows;
  std::size_t next_id = 0;
  collect_interactive(state.root, "", rows, next_id);
  out += rows.empty() ? "No interactive elements found.\n"
                      : "# id|window|control_type|name|coords|metadata\n" + rows;
  return out;
}

}  // namespace mcpleak::axref
