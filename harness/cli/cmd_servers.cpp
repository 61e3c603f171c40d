// `mcpleak servers FILE|CLIENT`: the MCP servers a client's config file defines, as
// `run --from-config FILE --server NAME` would use them. Arguments are redacted.
#include <cstdio>

#include "harness/cli/commands.h"
#include "harness/cli/exit_codes.h"
#include "harness/cli/from_config.h"
#include "harness/runner/redact.h"

namespace mcpleak::cli {

Command add_servers_command(CLI::App& app) {
  auto* sub = app.add_subcommand("servers", "list the MCP servers of a client's config file");
  auto file = std::make_shared<std::string>();
  sub->add_option("config", *file,
                  "a config file, or a client's name for its default file: claude-desktop, claude-code, "
                  "vscode, cursor, windsurf, zed")
      ->required();
  sub->footer(
      "Then: mcpleak run --from-config CONFIG --server NAME --scenario snapshot-loop\n"
      "Variables (${VAR}, ${input:id}, ${env:NAME}) are shown as written; run resolves them\n"
      "from --var KEY=VALUE and the environment.");
  return {sub, [file](const std::vector<std::string>&) {
            auto config = load_config_arg(*file);
            if (!config) return report_error(config.error());
            auto servers = list_servers(*config);
            if (!servers) return report_error(servers.error());
            std::printf("%s (%s): %zu server%s\n", config->path.c_str(), config_format_name(config->format),
                        servers->size(), servers->size() == 1 ? "" : "s");
            for (const auto& s : *servers) {
              std::string what = s.url;
              if (s.kind == ServerKind::stdio) {
                for (const auto& arg : redact_command(s.argv)) what += (what.empty() ? "" : " ") + arg;
              } else {
                what = redact_command({s.url}).front();
              }
              std::printf("  %-20s %-5s %s%s%s\n", s.name.c_str(), server_kind_name(s.kind), what.c_str(),
                          s.disabled ? "  (disabled)" : "", s.problem.empty() ? "" : ("  [" + s.problem + "]").c_str());
            }
            return 0;
          }};
}

}  // namespace mcpleak::cli
