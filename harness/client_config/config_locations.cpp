#include "harness/client_config/config_locations.h"

#include <filesystem>

namespace mcpleak {
namespace {

namespace fs = std::filesystem;

std::string under(std::string_view home, const char* rest) {
  return (fs::path(home) / rest).string();
}

}  // namespace

std::vector<std::string> default_config_paths(ConfigFormat client, HostOs os, std::string_view home) {
  const bool mac = os == HostOs::macos;
  switch (client) {
    // https://modelcontextprotocol.io/quickstart/user: claude_desktop_config.json under
    // ~/Library/Application Support/Claude on macOS. Claude Desktop has no Linux build;
    // ~/.config/Claude is where unofficial builds and the MCP guides put it.
    case ConfigFormat::claude_desktop:
      return {mac ? under(home, "Library/Application Support/Claude/claude_desktop_config.json")
                  : under(home, ".config/Claude/claude_desktop_config.json")};
    // https://code.claude.com/docs/en/mcp: project scope is .mcp.json at the project root;
    // user (and local) scope live in ~/.claude.json.
    case ConfigFormat::claude_code:
      return {".mcp.json", under(home, ".claude.json")};
    // https://code.visualstudio.com/docs/copilot/reference/mcp-configuration: .vscode/mcp.json
    // in the workspace, or mcp.json in the user profile folder.
    case ConfigFormat::vscode:
      return {".vscode/mcp.json", mac ? under(home, "Library/Application Support/Code/User/mcp.json")
                                      : under(home, ".config/Code/User/mcp.json")};
    // https://cursor.com/docs/mcp: .cursor/mcp.json in the project, ~/.cursor/mcp.json
    // for every project.
    case ConfigFormat::cursor:
      return {".cursor/mcp.json", under(home, ".cursor/mcp.json")};
    // https://docs.windsurf.com/windsurf/cascade/mcp: ~/.codeium/windsurf/mcp_config.json.
    case ConfigFormat::windsurf:
      return {under(home, ".codeium/windsurf/mcp_config.json")};
    // https://zed.dev/docs/ai/mcp ("context_servers" in the settings file): the user settings
    // file is ~/.config/zed/settings.json on macOS and Linux alike.
    case ConfigFormat::zed:
      return {under(home, ".config/zed/settings.json")};
  }
  return {};
}

Result<std::string> resolve_config_path(std::string_view file_or_client, HostOs os, std::string_view home,
                                        const std::function<bool(const std::string&)>& exists) {
  const std::string given(file_or_client);
  if (exists(given)) return given;
  const auto client = parse_config_format(given);
  if (!client) {
    return Error(Errc::usage, "config '" + given +
                                  "' is neither a file nor a client name (claude-desktop, claude-code, vscode, "
                                  "cursor, windsurf, zed)");
  }
  const auto paths = default_config_paths(*client, os, home);
  std::string tried;
  for (const std::string& path : paths) {
    if (exists(path)) return path;
    tried += (tried.empty() ? "" : ", ") + path;
  }
  return Error(Errc::usage, std::string("no ") + config_format_name(*client) + " config found (looked for " + tried +
                                "): pass the file's path instead");
}

std::optional<ConfigFormat> format_from_path(std::string_view path) {
  const fs::path p(path);
  const std::string name = p.filename().string();
  const std::string folder = p.parent_path().filename().string();
  if (name == "claude_desktop_config.json") return ConfigFormat::claude_desktop;
  if (name == ".claude.json" || name.ends_with(".mcp.json")) return ConfigFormat::claude_code;
  if (name == "mcp.json" && folder == ".vscode") return ConfigFormat::vscode;
  if (name == "mcp.json" && folder == "User") return ConfigFormat::vscode;  // the user profile's
  if (name == "mcp.json" && folder == ".cursor") return ConfigFormat::cursor;
  if (name.ends_with("mcp_config.json")) return ConfigFormat::windsurf;
  if (name == "settings.json" && (folder == "zed" || folder == ".zed")) return ConfigFormat::zed;
  return std::nullopt;
}

std::string default_workspace_folder(std::string_view config_path) {
  fs::path folder = fs::path(config_path).parent_path();
  const std::string last = folder.filename().string();
  if (last == ".vscode" || last == ".cursor") folder = folder.parent_path();
  const std::string out = folder.string();
  return out.empty() ? "." : out;
}

}  // namespace mcpleak
