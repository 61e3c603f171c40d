// Variables in MCP client configs: ${VAR} and ${VAR:-default} (Claude Code), ${env:NAME},
// ${input:id}, ${workspaceFolder}, ${userHome}, ... (VS Code, Cursor, Windsurf). Pure: the
// environment and any file come in through VarContext's functions, so tests set them.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/result.h"

namespace mcpleak {

// Which ${...} forms a client expands. Forms a client does not expand stay as written,
// as that client would pass them on.
struct VarSyntax {
  bool shell = false;   // ${NAME}, ${NAME:-default} (default when NAME is unset or empty)
  bool env = false;     // ${env:NAME}
  bool input = false;   // ${input:id}: a value VS Code would prompt for
  bool editor = false;  // ${workspaceFolder}, ${workspaceFolderBasename}, ${userHome},
                        // ${pathSeparator}, ${/}
};

// Where variable values come from.
struct VarContext {
  // From --var KEY=VALUE. Wins over everything else: KEY answers ${KEY}, ${env:KEY},
  // ${input:KEY} and the editor names (--var workspaceFolder=/src/app).
  std::map<std::string, std::string> vars;
  // The process environment; empty: nothing is set.
  std::function<std::optional<std::string>(const std::string& name)> env;
  // ${workspaceFolder}. Empty: resolve_server uses default_workspace_folder(config path).
  std::optional<std::string> workspace_folder;
  // ${userHome}. Empty: env("HOME").
  std::optional<std::string> user_home;
  // Reads an "envFile". Empty: a server with an envFile is an Errc::usage error.
  std::function<Result<std::string>(const std::string& path)> read_env_file;
};

// A VS Code "inputs" entry.
struct InputSpec {
  std::string id;
  std::string description;
  bool password = false;   // its value is a secret
};

struct Expanded {
  std::string text;
  // What each ${NAME}, ${env:NAME} and ${input:id} gave, in order (editor paths such as
  // ${workspaceFolder} are not listed: they are not secrets).
  std::vector<std::string> substituted;
  std::vector<std::string> secrets;   // the values of password inputs
};

// Expands the forms `syntax` allows in `text`. `subject` names the owner in messages
// ("server 'github'"). A variable without a value is Errc::usage saying how to give one:
// "server 'github' uses ${API_KEY}, which is not set: pass --var API_KEY=… or set it in
// the environment"; for ${input:id}, "… pass --var id=…" with the input's description.
// Messages name variables, never values.
Result<Expanded> expand_vars(std::string_view text, const VarSyntax& syntax, const VarContext& ctx,
                             std::string_view subject, const std::vector<InputSpec>& inputs = {});

}  // namespace mcpleak
