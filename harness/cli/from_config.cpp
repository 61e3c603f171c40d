#include "harness/cli/from_config.h"

#include <cstdlib>

#include "harness/client_config/config_io.h"
#include "harness/client_config/config_locations.h"
#include "harness/mcp/http_endpoint.h"

namespace mcpleak::cli {

Result<ClientConfig> load_config_arg(const std::string& file_or_client) {
  const char* home = std::getenv("HOME");
  auto path = resolve_config_path(file_or_client, this_host_os(), home ? home : "", file_exists);
  if (!path) return path.error();
  return load_client_config(*path);
}

Result<void> apply_config_server(const std::string& file_or_client, const std::string& server,
                                 const std::map<std::string, std::string>& vars, bool attaching,
                                 RunOptions& options) {
  auto config = load_config_arg(file_or_client);
  if (!config) return config.error();
  auto entry = resolve_server(*config, server, process_var_context(vars));
  if (!entry) return entry.error();
  options.secrets.insert(options.secrets.end(), entry->secrets.begin(), entry->secrets.end());
  const std::string where = "server '" + entry->name + "' of " + config->path;
  switch (entry->kind) {
    case ServerKind::sse:
      return Error(Errc::usage, where + " uses the SSE transport (before Streamable HTTP), which mcpleak does not speak");
    case ServerKind::http: {
      if (!attaching) {
        return Error(Errc::usage, where + " is a URL: mcpleak can drive it, but samples only a process it is given: add "
                                          "--attach PID or --attach-name PATTERN for the server's process");
      }
      auto endpoint = parse_http_url(entry->url);
      if (!endpoint) return Error(endpoint.error()).with(where);
      options.http = std::move(*endpoint);
      options.http_headers.insert(options.http_headers.end(), entry->headers.begin(), entry->headers.end());
      return {};
    }
    case ServerKind::stdio:
      if (attaching) {
        return Error(Errc::usage, where + " is a command mcpleak would start: give --attach without --from-config, or "
                                          "drop --attach");
      }
      options.server_command = entry->argv;
      options.server_env = entry->env;
      options.server_cwd = entry->cwd;
      return {};
  }
  return {};
}

}  // namespace mcpleak::cli
