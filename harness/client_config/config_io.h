// The file-system and environment side of client configs: the only code in
// harness/client_config that opens files or reads the process environment.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "harness/client_config/client_config.h"
#include "harness/client_config/config_vars.h"
#include "harness/result.h"

namespace mcpleak {

// A whole text file. Errc::io "cannot read: <strerror>" with the path as context.
Result<std::string> read_text_file(const std::string& path);

bool file_exists(const std::string& path);

// read_text_file + parse_client_config.
Result<ClientConfig> load_client_config(const std::string& path, std::optional<ConfigFormat> format = {});

// A VarContext for this process: `vars` (from --var), getenv, envFile read from disk.
// workspace_folder and user_home stay empty so resolve_server's defaults apply
// (the config's project folder; $HOME).
VarContext process_var_context(std::map<std::string, std::string> vars);

}  // namespace mcpleak
