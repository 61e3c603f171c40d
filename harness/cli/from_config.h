// `--from-config FILE|CLIENT --server NAME`: the server a client's config file describes,
// turned into what `run` needs (command, environment, working folder, or URL and headers,
// and the values to keep out of reports). Shared by `run`, `ab` and `mcpleak servers`.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "harness/client_config/client_config.h"
#include "harness/result.h"
#include "harness/runner/runner.h"

namespace mcpleak::cli {

// FILE, or a client's name (claude-desktop, claude-code, vscode, cursor, windsurf, zed)
// for its default location on this platform, loaded and parsed.
Result<ClientConfig> load_config_arg(const std::string& file_or_client);

// Fills options' server_command, server_env, server_cwd, http and http_headers, and adds
// the entry's secrets. `vars` are --var (they win over the environment). An http entry
// needs `attaching` (mcpleak can drive a URL but samples only a process it is given);
// SSE, the transport before Streamable HTTP, is refused. Errc::usage saying what to do.
Result<void> apply_config_server(const std::string& file_or_client, const std::string& server,
                                 const std::map<std::string, std::string>& vars, bool attaching,
                                 RunOptions& options);

}  // namespace mcpleak::cli
