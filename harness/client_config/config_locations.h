// Where each client keeps its MCP config on Linux and macOS, so that `--from-config cursor`
// finds the file. Pure: the caller says which files exist.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/client_config/client_config.h"
#include "harness/result.h"

namespace mcpleak {

enum class HostOs { linux_os, macos };

constexpr HostOs this_host_os() {
#if defined(__APPLE__)
  return HostOs::macos;
#else
  return HostOs::linux_os;
#endif
}

// The files `client` reads, in the order mcpleak tries them: project files first (relative
// to the current directory), then the user's (under `home`).
std::vector<std::string> default_config_paths(ConfigFormat client, HostOs os, std::string_view home);

// A config file path, or a client name from config_format_name, to a file: a path that
// exists is used as is; a client name gives its first default path that exists. Errc::usage
// listing the paths tried when none exists, or the client names when `file_or_client` is
// neither a file nor a client.
Result<std::string> resolve_config_path(std::string_view file_or_client, HostOs os, std::string_view home,
                                        const std::function<bool(const std::string&)>& exists);

// The format a file name implies (".vscode/mcp.json" is vscode); empty for other names.
std::optional<ConfigFormat> format_from_path(std::string_view path);

// ${workspaceFolder} when none is given: the project a config file belongs to. For
// ".vscode/mcp.json" and ".cursor/mcp.json" the folder holding ".vscode" / ".cursor";
// for any other file the folder holding it; "." when that is empty. Lexical only.
std::string default_workspace_folder(std::string_view config_path);

}  // namespace mcpleak
