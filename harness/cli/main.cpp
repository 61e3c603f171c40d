// mcpleak: finds memory leaks in MCP servers. Parses the command line and dispatches.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "harness/cli/commands.h"
#include "harness/cli/exit_codes.h"
#include "harness/cli/run_flags.h"
#include "harness/process/child_group.h"
#include "harness/process/guardian.h"
#include "harness/process/stop_signal.h"

int main(int argc, char** argv) {
  using namespace mcpleak;
  // Everything after the first "--" is the server's command line, untouched by CLI11
  // (server flags such as --backend must not be read as ours).
  std::vector<std::string> args(argv + 1, argv + argc);
  cli::remember_invocation(argc, argv);
  std::vector<std::string> server_argv;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") {
      server_argv.assign(args.begin() + static_cast<long>(i) + 1, args.end());
      args.resize(i);
      break;
    }
  }
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector

  CLI::App app{"mcpleak: replay a scenario against an MCP server, sample the footprint of its\n"
               "process tree, and say whether it is bounded or leaking.\n\n"
               "Exit codes: 0 bounded, 1 leaking, 2 usage or scenario error, 3 server failed,\n"
               "4 inconclusive.",
               "mcpleak"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "mcpleak " MCPLEAK_VERSION);
  const cli::Command commands[] = {cli::add_run_command(app), cli::add_compare_command(app),
                                   cli::add_ab_command(app), cli::add_report_command(app),
                                   cli::add_probe_command(app), cli::add_servers_command(app),
                                   cli::add_watch_command(app)};

  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : cli::kExitUsage;
  }
  // `run`, `ab` and `watch` start servers: fork the guardian that kills them should mcpleak
  // die by SIGKILL, now, while no thread and no server pipe exists yet.
  if (app.got_subcommand("run") || app.got_subcommand("ab") || app.got_subcommand("watch")) {
    if (auto started = Guardian::start_process_guardian(); !started) {
      std::fprintf(stderr, "mcpleak: warning: %s (servers may outlive a SIGKILL of mcpleak)\n",
                   started.error().describe().c_str());
    }
  }
  install_stop_signal_handlers();
  become_child_subreaper();
  for (const auto& command : commands) {
    if (!command.sub->parsed()) continue;
    const int rc = command.run(server_argv);
    Guardian::stop_process_guardian();  // every server is terminated: quit, kill nothing
    return rc;
  }
  return cli::kExitUsage;
}
